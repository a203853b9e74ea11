//! Property test for the Rust-written built-in pages (`src/render/native.rs`): sites made of
//! random names and texts (markup characters, quotes, slashes, Japanese) render to the same
//! bytes with and without them.

use proptest::prelude::*;
use tabiji::load::{InputFile, load_files};
use tabiji::render::{RenderOptions, render_site};

/// A TOML basic string holding `s`.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 <>&\"'/*_`#!課長。、ー-]{0,16}"
}

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z課長<>&\"'/][a-zA-Z0-9 <>&\"'/課長-]{0,10}"
}

#[derive(Debug, Clone)]
struct Texts {
    title: String,
    stage: [String; 2],
    row: [String; 2],
    row_description: String,
    persona: String,
    summary: String,
    body: String,
    department: [String; 2],
    kpi: String,
    cells: [String; 4],
    experience: String,
    touchpoint: String,
    task: String,
    task_kpi: String,
    emotion: Option<i8>,
    english: bool,
}

fn texts() -> impl Strategy<Value = Texts> {
    (
        (name(), [name(), name()], [name(), name()], text()),
        (name(), text(), text(), [name(), name()], text()),
        (
            [text(), text(), text(), text()],
            text(),
            name(),
            name(),
            text(),
        ),
        (proptest::option::of(-2i8..=2), any::<bool>()),
    )
        .prop_map(
            |(
                (title, stage, row, row_description),
                (persona, summary, body, department, kpi),
                (cells, experience, touchpoint, task, task_kpi),
                (emotion, english),
            )| Texts {
                title,
                stage,
                row,
                row_description,
                persona,
                summary,
                body,
                department,
                kpi,
                cells,
                experience,
                touchpoint,
                task,
                task_kpi,
                emotion,
                english,
            },
        )
}

fn site(t: &Texts) -> Vec<InputFile> {
    let file = |path: &str, text: String| InputFile {
        path: path.into(),
        bytes: text.into_bytes(),
    };
    let config = format!(
        "title = {}\nlanguage = \"{}\"\n\n[[phases]]\nid = \"p\"\nname = {}\n\n\
         [[stages]]\nid = \"s1\"\nname = {}\nphase = \"p\"\nowner = \"d1\"\n\n\
         [[stages]]\nid = \"s2\"\nname = {}\nphase = \"p\"\nowner = \"d2\"\n\n\
         [[rows]]\nid = \"problem\"\nname = {}\ndescription = {}\n\n\
         [[rows]]\nid = \"key_factor\"\nname = {}\n",
        q(&t.title),
        if t.english { "en" } else { "ja" },
        q(&t.stage[0]),
        q(&t.stage[0]),
        q(&t.stage[1]),
        q(&t.row[0]),
        q(&t.row_description),
        q(&t.row[1]),
    );
    let emotion = t
        .emotion
        .map_or(String::new(), |e| format!("emotion = {e}\n"));
    let journey = format!(
        "persona = \"p1\"\n\n[stages.s1]\nproblem = {}\nkey_factor = {}\nexperience = {}\n\
         touchpoints = [{}]\n{emotion}\n[[stages.s1.tasks]]\ndepartment = \"d1\"\ntask = {}\nkpi = {}\n\n\
         [[stages.s1.tasks]]\ndepartment = \"d2\"\ntask = {}\n\n\
         [stages.s2]\nproblem = {}\nkey_factor = {}\n",
        q(&t.cells[0]),
        q(&t.cells[1]),
        q(&t.experience),
        q(&t.touchpoint),
        q(&t.task),
        q(&t.task_kpi),
        q(&t.task),
        q(&t.cells[2]),
        q(&t.cells[3]),
    );
    vec![
        file("tabiji.toml", config),
        file(
            "content/personas/p1.md",
            format!(
                "+++\nname = {}\nsummary = {}\n+++\n{}\n",
                q(&t.persona),
                q(&t.summary),
                t.body
            ),
        ),
        file(
            "content/personas/p2.md",
            format!("+++\nname = {}\n+++\n", q(&t.title)),
        ),
        file("content/journeys/p1.toml", journey),
        file(
            "content/departments/d1.md",
            format!(
                "+++\nname = {}\nkpis = [{}]\nclients = [\"d2\"]\n+++\n{}\n",
                q(&t.department[0]),
                q(&t.kpi),
                t.body
            ),
        ),
        file(
            "content/departments/d2.md",
            format!(
                "+++\nname = {}\nsuppliers = [\"d1\"]\n+++\n",
                q(&t.department[1])
            ),
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_sites_render_the_same_both_ways(t in texts()) {
        let loaded = load_files(site(&t), "");
        prop_assume!(!loaded.diagnostics.has_errors());
        let render = |tera_only| {
            render_site(
                &loaded.site,
                &RenderOptions { changes: None, base_url: Some("/営業/".into()), site_root: None, tera_only },
            )
            .expect("renders")
        };
        let fast = render(false);
        let reference = render(true);
        prop_assert_eq!(fast.len(), reference.len());
        for (a, b) in fast.iter().zip(&reference) {
            prop_assert_eq!(&a.path, &b.path);
            prop_assert!(
                a.bytes == b.bytes,
                "{} differs:\nnative: {}\ntera:   {}",
                a.path,
                String::from_utf8_lossy(&a.bytes),
                String::from_utf8_lossy(&b.bytes)
            );
        }
    }
}
