//! A name written where an id belongs, and what an IME leaves in an id (half-width katakana,
//! full-width letters), get the same answer for every kind of reference, in English and in
//! Japanese: "`検討` is the name of stage `consideration`; use the id: write `consideration`",
//! "did you mean `marketing`?". Known ids are listed in the site's own order.

use std::process::Command;

use tabiji::diagnostic::Diagnostic;
use tabiji::load::{InputFile, Loaded, load_files};

/// A small Japanese site whose references name things by their names (and a few by what an
/// IME typed), one mistake of each kind, each word once per file.
const SITE: &[(&str, &str)] = &[
    (
        "tabiji.toml",
        r#"title = "名前と ID"

[[stages]]
id = "awareness"
name = "認知"
owner = "マーケティング"

[[stages]]
id = "模索"
name = "情報収集"
owner = "insight-sales"

[[stages]]
id = "consideration"
name = "検討"
owner = "field-sales"

[[rows]]
id = "problem"
name = "課題"

[[rows]]
id = "thinking"
name = "思考"
"#,
    ),
    (
        "content/departments/marketing.md",
        "+++\nname = \"マーケティング\"\nclients = [\"インサイドセールス\"]\n+++\n",
    ),
    (
        "content/departments/insight-sales.md",
        "+++\nname = \"インサイドセールス\"\nclients = [\"field-sales\"]\n+++\n",
    ),
    (
        "content/departments/field-sales.md",
        "+++\nname = \"フィールドセールス\"\nsuppliers = [\"インサイドセールス\"]\n+++\n",
    ),
    (
        "content/personas/it-manager.md",
        "+++\nname = \"情シス課長\"\nowner = \"フィールドセールス\"\n+++\n\
         [a](department:インサイドセールス) [b](persona:情シス課長) [c](stage:検討)\n\
         [d](playbook:初回ヒアリング) [e](glossary:ちゃんぴおん) [f](glossary:ﾁｬﾝﾋﾟｵﾝ)\n\
         [g](stage:purchase) [h](department:insight)\n",
    ),
    (
        "content/journeys/it-manager-new.toml",
        r#"persona = "it-manager"

[stages.awareness]
"課題" = "台帳が古い"

[[stages.awareness.tasks]]
department = "フィールドセールス"
task = "訪問する"
kpi = "訪問数"

[[stages.awareness.tasks]]
department = "ｍａｒｋｅｔｉｎｇ"
task = "記事を書く"
kpi = "PV"

[stages."検討"]
problem = "比較の軸がない"
"#,
    ),
    (
        "content/playbooks/hearing.md",
        "+++\ntitle = \"初回ヒアリング\"\nstage = \"情報収集\"\n\
         departments = [\"フィールドセールス\", \"insight\"]\npersonas = [\"情シス課長\"]\n+++\n",
    ),
    (
        "content/playbooks/demo.md",
        "+++\ntitle = \"デモ\"\nstages = [\"awareness\", \"検討\"]\n+++\n",
    ),
    (
        "content/quizzes/check.toml",
        r#"title = "確認"
stage = "認知"
personas = ["情シス課長"]

[[questions]]
question = "最初にすることは？"
choices = ["値引き", "課題を聞く"]
answer = 2
"#,
    ),
    (
        "content/onboarding.toml",
        r#"title = "最初の週"

[[steps]]
title = "知る"
pages = ["personas/情シス課長", "playbooks/初回ヒアリング", "stages/認知", "departments/マーケティング"]
"#,
    ),
    (
        "content/glossary.toml",
        "[[terms]]\nterm = \"チャンピオン\"\nreading = \"ちゃんぴおん\"\ndefinition = \"社内の推進者\"\n",
    ),
];

fn load() -> Loaded {
    let files = SITE
        .iter()
        .map(|(path, text)| InputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    load_files(files, "")
}

/// The one diagnostic of `file` whose English message is `message`.
fn find<'a>(l: &'a Loaded, file: &str, message: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = l
        .diagnostics
        .iter()
        .filter(|d| {
            d.message.en() == message
                && d.span
                    .is_some_and(|s| l.sources.get(s.file).rel_path == file)
        })
        .collect();
    assert_eq!(found.len(), 1, "{file}: {message}\n{:#?}", l.diagnostics);
    found[0]
}

fn hint(d: &Diagnostic) -> (&str, &str) {
    let h = d.hint.as_ref().expect("a hint");
    (h.en(), h.ja())
}

/// `word`, written in `file` where an id belongs, is the name of the `kind` with `id`: the
/// hint says so and what to write, in both languages.
#[track_caller]
fn named(l: &Loaded, file: &str, message: &str, word: &str, kind: [&str; 2], id: &str) {
    let d = find(l, file, message);
    let [en, ja] = kind;
    assert_eq!(
        hint(d),
        (
            format!("`{word}` is the name of {en} `{id}`; use the id: write `{id}`").as_str(),
            format!("`{word}` は{ja} `{id}` の名前です。ID の `{id}` を書いてください").as_str(),
        ),
        "{file}: {message}"
    );
}

const STAGE: [&str; 2] = ["stage", "ステージ"];
const DEPARTMENT: [&str; 2] = ["department", "部門"];
const PERSONA: [&str; 2] = ["persona", "ペルソナ"];
const ROW: [&str; 2] = ["row", "行"];

#[test]
fn fields_naming_a_stage_by_its_name() {
    let l = load();
    let pb = "content/playbooks/hearing.md";
    named(
        &l,
        pb,
        "unknown stage `情報収集`",
        "情報収集",
        STAGE,
        "模索",
    );
    let d = find(&l, pb, "unknown stage `情報収集`");
    assert_eq!(d.message.ja(), "`情報収集` というステージはありません");
    assert_eq!(
        d.label.as_ref().unwrap().ja(),
        "tabiji.toml のステージ ID ではありません"
    );
    let demo = "content/playbooks/demo.md";
    named(
        &l,
        demo,
        "unknown stage `検討`",
        "検討",
        STAGE,
        "consideration",
    );
    let quiz = "content/quizzes/check.toml";
    named(&l, quiz, "unknown stage `認知`", "認知", STAGE, "awareness");
    let ob = "content/onboarding.toml";
    named(&l, ob, "unknown stage `認知`", "認知", STAGE, "awareness");
}

#[test]
fn fields_naming_a_department_by_its_name() {
    let l = load();
    let toml = "tabiji.toml";
    named(
        &l,
        toml,
        "unknown department `マーケティング`",
        "マーケティング",
        DEPARTMENT,
        "marketing",
    );
    let d = find(&l, toml, "unknown department `マーケティング`");
    assert_eq!(d.message.ja(), "`マーケティング` という部門はありません");
    let m = "content/departments/marketing.md";
    named(
        &l,
        m,
        "unknown department `インサイドセールス`",
        "インサイドセールス",
        DEPARTMENT,
        "insight-sales",
    );
    let f = "content/departments/field-sales.md";
    named(
        &l,
        f,
        "unknown department `インサイドセールス`",
        "インサイドセールス",
        DEPARTMENT,
        "insight-sales",
    );
    let j = "content/journeys/it-manager-new.toml";
    named(
        &l,
        j,
        "unknown department `フィールドセールス`",
        "フィールドセールス",
        DEPARTMENT,
        "field-sales",
    );
    let pb = "content/playbooks/hearing.md";
    named(
        &l,
        pb,
        "unknown department `フィールドセールス`",
        "フィールドセールス",
        DEPARTMENT,
        "field-sales",
    );
    let ob = "content/onboarding.toml";
    named(
        &l,
        ob,
        "unknown department `マーケティング`",
        "マーケティング",
        DEPARTMENT,
        "marketing",
    );
    // A page's owner says what an owner is, and gets the same hint.
    let p = "content/personas/it-manager.md";
    named(
        &l,
        p,
        "unknown department `フィールドセールス`",
        "フィールドセールス",
        DEPARTMENT,
        "field-sales",
    );
    let d = find(&l, p, "unknown department `フィールドセールス`");
    assert_eq!(
        d.label.as_ref().unwrap().ja(),
        "content/departments/ の部門 ID ではありません（owner には部門 ID を書きます）"
    );
}

#[test]
fn fields_naming_a_persona_or_playbook_by_its_name() {
    let l = load();
    let pb = "content/playbooks/hearing.md";
    named(
        &l,
        pb,
        "unknown persona `情シス課長`",
        "情シス課長",
        PERSONA,
        "it-manager",
    );
    let quiz = "content/quizzes/check.toml";
    named(
        &l,
        quiz,
        "unknown persona `情シス課長`",
        "情シス課長",
        PERSONA,
        "it-manager",
    );
    let ob = "content/onboarding.toml";
    named(
        &l,
        ob,
        "unknown persona `情シス課長`",
        "情シス課長",
        PERSONA,
        "it-manager",
    );
    // A playbook is named by its title.
    let d = find(&l, ob, "unknown playbook `初回ヒアリング`");
    assert_eq!(
        hint(d),
        (
            "`初回ヒアリング` is the title of playbook `hearing`; use the id: write `hearing`",
            "`初回ヒアリング` はプレイブック `hearing` のタイトルです。ID の `hearing` を書いてください"
        )
    );
}

#[test]
fn journey_keys_naming_a_stage_or_row_by_its_name() {
    let l = load();
    let j = "content/journeys/it-manager-new.toml";
    named(
        &l,
        j,
        "unknown stage `検討` in a journey",
        "検討",
        STAGE,
        "consideration",
    );
    let d = find(&l, j, "unknown stage `検討` in a journey");
    assert_eq!(
        d.message.ja(),
        "ジャーニーに `検討` というステージはありません"
    );
    named(
        &l,
        j,
        "unknown row `課題` in stage `awareness`",
        "課題",
        ROW,
        "problem",
    );
    let d = find(&l, j, "unknown row `課題` in stage `awareness`");
    assert_eq!(
        d.message.ja(),
        "ステージ `awareness` に `課題` という行はありません"
    );
}

#[test]
fn markdown_links_naming_things_by_their_names() {
    let l = load();
    let p = "content/personas/it-manager.md";
    named(
        &l,
        p,
        "link to an unknown department `インサイドセールス`",
        "インサイドセールス",
        DEPARTMENT,
        "insight-sales",
    );
    let d = find(&l, p, "link to an unknown department `インサイドセールス`");
    assert_eq!(
        d.message.ja(),
        "リンク先の `インサイドセールス` という部門はありません"
    );
    named(
        &l,
        p,
        "link to an unknown persona `情シス課長`",
        "情シス課長",
        PERSONA,
        "it-manager",
    );
    named(
        &l,
        p,
        "link to an unknown stage `検討`",
        "検討",
        STAGE,
        "consideration",
    );
    let d = find(&l, p, "link to an unknown playbook `初回ヒアリング`");
    assert!(
        hint(d).1.contains("プレイブック `hearing` のタイトルです"),
        "{:?}",
        hint(d)
    );
    // A glossary term linked by its reading.
    let d = find(&l, p, "link to an unknown glossary term `ちゃんぴおん`");
    assert_eq!(
        hint(d),
        (
            "`ちゃんぴおん` is the reading of glossary term `チャンピオン`; use the term: write `チャンピオン`",
            "`ちゃんぴおん` は用語 `チャンピオン` の読みです。用語の `チャンピオン` を書いてください"
        )
    );
}

#[test]
fn half_width_kana_and_full_width_letters_are_named_as_such() {
    let l = load();
    let p = "content/personas/it-manager.md";
    let d = find(&l, p, "link to an unknown glossary term `ﾁｬﾝﾋﾟｵﾝ`");
    assert_eq!(
        hint(d),
        (
            "`ﾁｬﾝﾋﾟｵﾝ` is written in half-width katakana: did you mean `チャンピオン`?",
            "`ﾁｬﾝﾋﾟｵﾝ` は半角カタカナで書かれています。`チャンピオン` のことでしょうか？"
        )
    );
    let j = "content/journeys/it-manager-new.toml";
    let d = find(&l, j, "unknown department `ｍａｒｋｅｔｉｎｇ`");
    assert_eq!(
        hint(d),
        (
            "`ｍａｒｋｅｔｉｎｇ` is written in full-width characters: did you mean `marketing`?",
            "`ｍａｒｋｅｔｉｎｇ` は全角文字で書かれています。`marketing` のことでしょうか？"
        )
    );
}

#[test]
fn a_prefix_of_an_id_suggests_it() {
    let l = load();
    let pb = "content/playbooks/hearing.md";
    let d = find(&l, pb, "unknown department `insight`");
    assert_eq!(
        hint(d),
        (
            "did you mean `insight-sales`?",
            "`insight-sales` のことでしょうか？"
        )
    );
    let p = "content/personas/it-manager.md";
    let d = find(&l, p, "link to an unknown department `insight`");
    assert_eq!(hint(d).0, "did you mean `insight-sales`?");
}

#[test]
fn known_stages_are_listed_in_column_order() {
    let l = load();
    let p = "content/personas/it-manager.md";
    let d = find(&l, p, "link to an unknown stage `purchase`");
    // Not code-point order (`awareness`, `consideration`, `模索`).
    assert_eq!(
        hint(d),
        (
            "known stages: `awareness`, `模索`, `consideration`",
            "使えるステージ ID: `awareness`、`模索`、`consideration`"
        )
    );
}

#[test]
fn the_command_line_speaks_the_site_language() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in SITE {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let run = |lang: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tabiji"))
            .args(["check", "--lang", lang])
            .arg(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let ja = run("ja");
    assert!(
        ja.contains(
            "= ヒント: `情報収集` はステージ `模索` の名前です。ID の `模索` を書いてください"
        ),
        "{ja}"
    );
    assert!(
        ja.contains("  ステージ:       3（担当部門あり 2、プレイブックあり 1）"),
        "{ja}"
    );
    let en = run("en");
    assert!(
        en.contains("= help: `情報収集` is the name of stage `模索`; use the id: write `模索`"),
        "{en}"
    );
    assert!(
        en.contains("  stages:      3 (2 with an owner, 1 with a playbook)"),
        "{en}"
    );
}
