//! Embeds the `tabiji init` starter sites (`scaffold/<lang>/…`) into the binary, so that
//! `tabiji` runs anywhere with nothing beside it.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=scaffold");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scaffold");
    let mut entries = Vec::new();
    collect(&root, &root, &mut entries);
    entries.sort();
    let mut out = String::from(
        "/// (language, path in the new site, contents)\npub static SCAFFOLD: &[(&str, &str, &[u8])] = &[\n",
    );
    for (lang, rel, abs) in &entries {
        let _ = writeln!(out, "    ({lang:?}, {rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("scaffold.rs");
    std::fs::write(dest, out).expect("write scaffold.rs");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String, String)>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "public") {
                continue;
            }
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.len() < 2 {
                continue;
            }
            out.push((
                parts[0].clone(),
                parts[1..].join("/"),
                path.display().to_string(),
            ));
        }
    }
}
