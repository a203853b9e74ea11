//! The whole loader on a small site where the fuzzer controls one file of each kind:
//! never panics, and every diagnostic points inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tabiji::load::{InputFile, load_files};

const CONFIG: &str = "title = \"t\"\n[[phases]]\nid = \"lead\"\nname = \"L\"\n[[stages]]\nid = \"a\"\nname = \"A\"\nphase = \"lead\"\nowner = \"m\"\n[[stages]]\nid = \"b\"\nname = \"B\"\n[[rows]]\nid = \"problem\"\nname = \"課題\"\n";

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    // The first byte picks which file the rest replaces.
    let which = data[0] % 7;
    let bytes = data[1..].to_vec();
    let mut files = vec![
        InputFile { path: "tabiji.toml".into(), bytes: CONFIG.as_bytes().to_vec() },
        InputFile { path: "content/personas/p.md".into(), bytes: "+++\nname = \"P\"\n+++\n[x](stage:a)\n".as_bytes().to_vec() },
        InputFile { path: "content/journeys/j.toml".into(), bytes: "persona = \"p\"\n[stages.a]\nproblem = \"[t](glossary:T)\"\n[[stages.a.tasks]]\ndepartment = \"m\"\ntask = \"x\"\n".as_bytes().to_vec() },
        InputFile { path: "content/departments/m.md".into(), bytes: "+++\nname = \"M\"\n+++\n".as_bytes().to_vec() },
        InputFile { path: "content/playbooks/b.md".into(), bytes: "+++\ntitle = \"B\"\nstage = \"a\"\n+++\n- [ ] x\n".as_bytes().to_vec() },
        InputFile { path: "content/glossary.toml".into(), bytes: "[[terms]]\nterm = \"T\"\ndefinition = \"d\"\n".as_bytes().to_vec() },
        InputFile { path: "content/onboarding.toml".into(), bytes: "title = \"o\"\n[[steps]]\ntitle = \"s\"\npages = [\"personas/p\"]\n".as_bytes().to_vec() },
    ];
    files[usize::from(which)].bytes = bytes;
    let loaded = load_files(files, "");
    for d in loaded.diagnostics.iter() {
        if let Some(span) = d.span {
            let f = loaded.sources.get(span.file);
            assert!(span.start <= span.end, "{d:?}");
            assert!((span.end as usize) <= f.text().len(), "{d:?}");
            let _ = f.line_col(span.start as usize);
        }
    }
});
