//! One page per persona and stage (`personas/<id>/<stage>/`), playbooks for several stages
//! (`stages = [...]`), and the links that reach those pages in two taps: the persona page's
//! stage list, the stage page's column heads and the journey table's stage heads.

mod common;
use common::{build, hrefs, page, write};

use std::path::Path;

use assert_cmd::Command;
use scraper::{Html, Selector};

/// Three stages; `buyer` has a journey, `user` has none; `hearing` is for the buyer at two
/// stages, `demo` for every persona at the second.
fn site(root: &Path) {
    write(
        root,
        "tabiji.toml",
        r#"title = "Test"
language = "ja"

[[stages]]
id = "aware"
name = "認知"

[[stages]]
id = "consider"
name = "比較検討"

[[stages]]
id = "buy"
name = "購買"

[[rows]]
id = "problem"
name = "課題"

[[rows]]
id = "key_factor"
name = "キーファクター"
"#,
    );
    write(
        root,
        "content/personas/buyer.md",
        "+++\nname = \"情シス課長\"\nrole = \"チャンピオン\"\n+++\n",
    );
    write(
        root,
        "content/personas/user.md",
        "+++\nname = \"現場担当\"\n+++\n",
    );
    write(
        root,
        "content/departments/sales.md",
        "+++\nname = \"営業\"\n+++\n",
    );
    write(
        root,
        "content/journeys/buyer-new.toml",
        r#"persona = "buyer"

[stages.consider]
problem = """
台帳と実機が
合わない"""
key_factor = "課長が**「これで行く」と決め**ること"
experience = "決裁者に響く一枚の提案"
touchpoints = ["デモ", "事例集"]
emotion = 1

[[stages.consider.tasks]]
department = "sales"
task = "ROI を試算する"
kpi = "提案率 60%"
"#,
    );
    write(
        root,
        "content/playbooks/hearing.md",
        "+++\ntitle = \"ヒアリング\"\nstages = [\"aware\", \"consider\"]\npersonas = [\"buyer\"]\n+++\n## 聞くこと\n\n- 予算\n\n## 次の一手\n\n## まとめ\n",
    );
    write(
        root,
        "content/playbooks/demo.md",
        "+++\ntitle = \"デモ\"\nstage = \"consider\"\n+++\n本文\n",
    );
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn a_persona_at_a_stage_shows_both_sides_and_its_playbooks() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    let doc = page(&out, "personas/buyer/consider/index.html");
    let h1 = texts(&doc, "h1").join(" ");
    assert!(h1.contains("情シス課長") && h1.contains("比較検討"), "{h1}");
    let cells = texts(&doc, ".customer-side dd").join("|");
    assert!(cells.contains("台帳と実機が"), "{cells}");
    // A line break in the cell stays one.
    let html = doc.html();
    assert!(
        html.contains("台帳と実機が<br>"),
        "the cell's line break is lost"
    );
    // What moves the customer on, with its emphasis.
    assert!(
        html.contains("課長が<strong>「これで行く」と決め</strong>ること"),
        "the key factor is missing or its emphasis is not rendered"
    );
    assert!(
        texts(&doc, ".customer-side").join(" ").contains("+1"),
        "no emotion"
    );
    let seller = texts(&doc, ".seller-side").join(" ");
    for want in [
        "決裁者に響く一枚の提案",
        "デモ",
        "事例集",
        "ROI を試算する",
        "提案率 60%",
        "営業",
    ] {
        assert!(
            seller.contains(want),
            "the seller's side lacks {want}: {seller}"
        );
    }
    assert!(hrefs(&doc, ".seller-side a.dept").contains(&"/departments/sales/".to_string()));
    // Both playbooks apply here (by `order`, then id), each with its table of contents.
    let playbooks = hrefs(&doc, ".at-stage-playbooks h3 a");
    assert_eq!(playbooks, ["/playbooks/demo/", "/playbooks/hearing/"]);
    let toc = texts(&doc, ".at-stage-playbooks .toc-list a");
    assert_eq!(toc, ["聞くこと", "次の一手", "まとめ"]);
    assert!(hrefs(&doc, ".toc-list a")[0].starts_with("/playbooks/hearing/#"));
    // The same persona at the stages before and after.
    assert_eq!(hrefs(&doc, "a[rel=prev]"), ["/personas/buyer/aware/"]);
    assert_eq!(hrefs(&doc, "a[rel=next]"), ["/personas/buyer/buy/"]);
}

#[test]
fn pages_exist_where_a_persona_has_a_journey_or_a_playbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    for stage in ["aware", "consider", "buy"] {
        assert!(
            out.join(format!("personas/buyer/{stage}/index.html"))
                .is_file(),
            "{stage}"
        );
    }
    // `user` has no journey: only where a playbook applies to every persona.
    assert!(out.join("personas/user/consider/index.html").is_file());
    assert!(!out.join("personas/user/aware").exists());
    assert!(!out.join("personas/user/buy").exists());
    let user = page(&out, "personas/user/consider/index.html");
    assert_eq!(
        hrefs(&user, ".at-stage-playbooks h3 a"),
        ["/playbooks/demo/"]
    );
    // An empty stage says so.
    let empty = page(&out, "personas/buyer/buy/index.html");
    assert!(!texts(&empty, "p.empty").is_empty());
}

#[test]
fn two_taps_reach_a_persona_at_a_stage() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    // Home → persona → stage.
    let home = page(&out, "index.html");
    assert!(hrefs(&home, ".persona-card h3 a").contains(&"/personas/buyer/".to_string()));
    let persona = page(&out, "personas/buyer/index.html");
    assert_eq!(
        hrefs(&persona, ".stage-links a"),
        [
            "/personas/buyer/aware/",
            "/personas/buyer/consider/",
            "/personas/buyer/buy/"
        ]
    );
    // Home → stage → persona.
    let stage = page(&out, "stages/consider/index.html");
    assert_eq!(
        hrefs(&stage, ".stage-table thead th > a"),
        ["/personas/buyer/consider/"]
    );
    // The journey table's stage heads.
    let journey = page(&out, "journeys/buyer-new/index.html");
    assert_eq!(
        hrefs(&journey, "tr.stage-heads th > a"),
        [
            "/personas/buyer/aware/",
            "/personas/buyer/consider/",
            "/personas/buyer/buy/"
        ]
    );
    // Every link of every page leads to a page that exists.
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("entry");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(entry.path()).expect("read"));
        for href in hrefs(&doc, "a[href^='/personas/']") {
            let path = href.split('#').next().unwrap_or("");
            assert!(
                out.join(path.trim_start_matches('/'))
                    .join("index.html")
                    .is_file(),
                "{href} from {}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_playbook_for_several_stages_is_on_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    for stage in ["aware", "consider"] {
        let doc = page(&out, &format!("stages/{stage}/index.html"));
        assert!(
            hrefs(&doc, ".cards a").contains(&"/playbooks/hearing/".to_string()),
            "{stage}"
        );
    }
    let buy = page(&out, "stages/buy/index.html");
    assert!(!hrefs(&buy, ".cards a").contains(&"/playbooks/hearing/".to_string()));
    let playbook = page(&out, "playbooks/hearing/index.html");
    let stages = hrefs(&playbook, ".profile a[href^='/stages/']");
    assert_eq!(stages, ["/stages/aware/", "/stages/consider/"]);
    // The persona page lists it under both stages, in column order.
    let persona = page(&out, "personas/buyer/index.html");
    assert_eq!(
        texts(&persona, ".playbooks-by-stage dt"),
        ["認知", "比較検討"]
    );
    // Printed once.
    let print = std::fs::read_to_string(out.join("print/index.html")).expect("print");
    assert_eq!(print.matches("id=\"tj-playbook-hearing\"").count(), 1);
    // Coverage: both stages have a playbook, the third does not.
    let check = Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("stage-without-playbook"), "{text}");
    assert_eq!(text.matches("stage-without-playbook").count(), 1, "{text}");
}

#[test]
fn stage_and_stages_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    write(
        dir.path(),
        "content/playbooks/both.md",
        "+++\ntitle = \"両方\"\nstage = \"aware\"\nstages = [\"aware\", \"buy\"]\n+++\n",
    );
    write(
        dir.path(),
        "content/playbooks/typo.md",
        "+++\ntitle = \"誤字\"\nstages = [\"aware\", \"considr\"]\n+++\n",
    );
    write(
        dir.path(),
        "content/playbooks/none.md",
        "+++\ntitle = \"なし\"\n+++\n",
    );
    let check = Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .args(["check"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(check.status.code(), Some(1));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("content/playbooks/both.md:4:"), "{text}");
    assert!(text.contains("not both"), "{text}");
    assert!(text.contains("content/playbooks/typo.md:3:"), "{text}");
    assert!(
        text.contains("consider"),
        "no suggestion for the misspelt stage: {text}"
    );
    assert!(text.contains("content/playbooks/none.md"), "{text}");
    assert!(
        text.contains("stages = ["),
        "the hint names both forms: {text}"
    );
}
