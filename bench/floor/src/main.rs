//! A floor for `tabiji build`: the least work any generator must do for the same site.
//!
//!     tabiji-floor SITE OUT N BYTES
//!
//! 1. reads every input file tabiji reads (`tabiji.toml`, `content/**/*.md`, `content/**/*.toml`),
//! 2. parses the TOML (files and `+++` front matter) and runs pulldown-cmark, with tabiji's
//!    options, over every Markdown body and every TOML string,
//! 3. writes N files totalling BYTES bytes under OUT (`OUT/p/<i>/index.html`, one folder per
//!    page as tabiji's pretty URLs need), filled with the HTML of step 2.
//!
//! N and BYTES are the page count and the total HTML size of tabiji's output for that site.
//! Every step runs on rayon's thread pool. Timings of each step go to stderr.

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs, process};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("md" | "toml")) {
            out.push(p);
        }
    }
}

fn markdown(text: &str, html_out: &mut String) {
    html::push_html(html_out, Parser::new_ext(text, options()));
}

/// Every string in a TOML value, through pulldown-cmark. Returns the number of strings.
fn strings(v: &toml::Value, html_out: &mut String) -> usize {
    match v {
        toml::Value::String(s) => {
            markdown(s, html_out);
            1
        }
        toml::Value::Array(a) => a.iter().map(|x| strings(x, html_out)).sum(),
        toml::Value::Table(t) => t.values().map(|x| strings(x, html_out)).sum(),
        _ => 0,
    }
}

fn parse_toml(path: &Path, text: &str) -> toml::Table {
    text.parse::<toml::Table>().unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        process::exit(1)
    })
}

/// The HTML of one input file and its number of Markdown texts.
fn render(path: &Path, text: &str) -> (String, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len() * 2);
    if path.extension().and_then(|x| x.to_str()) == Some("toml") {
        let n = strings(&toml::Value::Table(parse_toml(path, text)), &mut out);
        return (out, n);
    }
    // Markdown with `+++` front matter.
    let trimmed = text.trim_start_matches(['\n', '\r']);
    let mut n = 0;
    let body = match trimmed.strip_prefix("+++") {
        Some(rest) => match rest.find("\n+++") {
            Some(end) => {
                let front = &rest[..end];
                n += strings(&toml::Value::Table(parse_toml(path, front)), &mut out);
                let after = &rest[end + 4..];
                after.split_once('\n').map_or("", |(_, b)| b)
            }
            None => trimmed,
        },
        None => trimmed,
    };
    markdown(body, &mut out);
    (out, n + 1)
}

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: tabiji-floor SITE OUT N BYTES");
        process::exit(2);
    }
    let site = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    let (Ok(n), Ok(bytes)) = (args[3].parse::<usize>(), args[4].parse::<u64>()) else {
        eprintln!("N and BYTES must be numbers");
        process::exit(2)
    };
    if n == 0 {
        eprintln!("N must be at least 1");
        process::exit(2);
    }

    let t0 = Instant::now();
    let mut paths = vec![site.join("tabiji.toml")];
    collect(&site.join("content"), &mut paths);
    let texts: Vec<(PathBuf, String)> = paths
        .into_par_iter()
        .map(|p| {
            let t = fs::read_to_string(&p).unwrap_or_else(|e| {
                eprintln!("{}: {e}", p.display());
                process::exit(1)
            });
            (p, t)
        })
        .collect();
    let input: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let t_read = t0.elapsed();

    let rendered: Vec<(String, usize)> = texts.par_iter().map(|(p, t)| render(p, t)).collect();
    let texts_md: usize = rendered.iter().map(|r| r.1).sum();
    let html_len: usize = rendered.iter().map(|r| r.0.len()).sum();
    let t_md = t0.elapsed();

    // The bytes to write: the HTML of step 2, repeated as needed. Files have equal sizes
    // (BYTES / N, the remainder spread over the first files).
    let per = (bytes / n as u64) as usize;
    let extra = (bytes % n as u64) as usize;
    let max = per + 1;
    let mut pool: Vec<u8> = Vec::with_capacity(2 * max);
    let source: Vec<u8> = rendered
        .iter()
        .flat_map(|r| r.0.as_bytes().iter().copied())
        .take(2 * max)
        .collect();
    let source = if source.is_empty() {
        vec![b'x']
    } else {
        source
    };
    while pool.len() < 2 * max {
        let take = (2 * max - pool.len()).min(source.len());
        pool.extend_from_slice(&source[..take]);
    }
    let base = out.join("p");
    fs::create_dir_all(&base).unwrap_or_else(|e| {
        eprintln!("{}: {e}", base.display());
        process::exit(1)
    });
    (0..n).into_par_iter().for_each(|i| {
        let size = per + usize::from(i < extra);
        let off = (i * 4099) % max;
        let dir = base.join(i.to_string());
        let res = fs::create_dir(&dir)
            .and_then(|()| fs::write(dir.join("index.html"), &pool[off..off + size]));
        if let Err(e) = res {
            eprintln!("{}: {e}", dir.display());
            process::exit(1);
        }
    });
    let t_write = t0.elapsed();

    eprintln!(
        "floor: read {} files ({:.1} MB) in {:.0} ms; toml + pulldown-cmark over {} texts ({:.1} MB of HTML) in {:.0} ms; \
         wrote {} files ({:.1} MB) in {:.0} ms; total {:.0} ms",
        texts.len(),
        input as f64 / 1e6,
        t_read.as_secs_f64() * 1e3,
        texts_md,
        html_len as f64 / 1e6,
        (t_md - t_read).as_secs_f64() * 1e3,
        n,
        bytes as f64 / 1e6,
        (t_write - t_md).as_secs_f64() * 1e3,
        t_write.as_secs_f64() * 1e3,
    );
}
