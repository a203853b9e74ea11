//! The semantic diff on two versions of a journey the fuzzer writes: never panics, a site
//! compared with itself has no change, and every format renders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tabiji::load::{InputFile, load_files};

const CONFIG: &str = "title = \"t\"\n[[stages]]\nid = \"a\"\nname = \"A\"\nowner = \"m\"\n[[stages]]\nid = \"b\"\nname = \"B\"\n[[rows]]\nid = \"problem\"\nname = \"課題\"\n[[rows]]\nid = \"thinking\"\nname = \"思考\"\n";

fn site(journey: &[u8]) -> tabiji::model::Site {
    load_files(
        vec![
            InputFile { path: "tabiji.toml".into(), bytes: CONFIG.as_bytes().to_vec() },
            InputFile { path: "content/personas/p.md".into(), bytes: "+++\nname = \"P\"\n+++\n".as_bytes().to_vec() },
            InputFile { path: "content/departments/m.md".into(), bytes: "+++\nname = \"M\"\n+++\n".as_bytes().to_vec() },
            InputFile { path: "content/departments/s.md".into(), bytes: "+++\nname = \"S\"\n+++\n".as_bytes().to_vec() },
            InputFile { path: "content/journeys/j.toml".into(), bytes: journey.to_vec() },
        ],
        "",
    )
    .site
}

fuzz_target!(|data: &[u8]| {
    // Two journeys separated by the first 0xFF byte (or the same one twice).
    let (a, b) = match data.iter().position(|&x| x == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let (old, new) = (site(a), site(b));
    let same = tabiji::diff::compare(&old, &old);
    assert!(same.is_empty(), "a site differs from itself: {same:?}");
    let report = tabiji::diff::report(&old, &new, "a".into(), "b".into());
    let _ = tabiji::diff::render_text(&report, true);
    let _ = tabiji::diff::render_markdown(&report);
    let _ = tabiji::diff::render_html(&report);
    let _ = report.to_json();
});
