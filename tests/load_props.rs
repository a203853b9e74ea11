//! Property tests of the loader: no input makes it panic, every diagnostic points inside its
//! file on character boundaries, and the order of the input files does not matter.
//!
//! The site is `tests/fixtures/check/base/` (plus two files with Japanese ids, multi-line and
//! escaped strings) held in memory; one file is replaced by arbitrary bytes, arbitrary text or
//! a mutation of itself (byte flips, truncation, inserted `+++`, quotes, brackets, `\r`,
//! multi-byte UTF-8, invalid UTF-8 …).

use proptest::prelude::*;
use proptest::sample::Index;

use tabiji::diagnostic::{Code, render_github, render_human, to_json};
use tabiji::i18n::Lang;
use tabiji::load::{InputFile, Loaded, SplitError, load_files, split_front_matter};

macro_rules! fixture {
    ($path:literal) => {
        (
            $path,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/check/base/",
                $path
            )),
        )
    };
}

/// The files of the site: path and valid contents.
fn site_files() -> Vec<(&'static str, &'static str)> {
    vec![
        fixture!("tabiji.toml"),
        fixture!("content/personas/buyer.md"),
        fixture!("content/journeys/buyer-new.toml"),
        fixture!("content/departments/marketing.md"),
        fixture!("content/departments/sales.md"),
        fixture!("content/playbooks/lead-capture.md"),
        fixture!("content/playbooks/demo.md"),
        fixture!("content/glossary.toml"),
        fixture!("content/onboarding.toml"),
        (
            "content/personas/情シス課長.md",
            "\u{FEFF}+++\r\nname = \"情報システム部 課長\"\r\nconcerns = [\r\n  \"監査\",\r\n  '''リテラル''',\r\n]\r\n+++\r\n\
             ## 背景\r\n\r\n[購買](stage:consideration)で[担当](persona:buyer)と話す。[用語](glossary:MQL) [x](personas:y)\r\n",
        ),
        (
            "content/journeys/情シス課長-new.toml",
            "persona = \"情シス課長\"\n\n[stages.aware]\nproblem = \"\"\"\n台帳が[古い](stage:aware)。\"\"\"\n\
             thinking = \"エスケープ \\\"[a](journey:buyer-new)\\\" \\u00e9\"\nemotion = -2\ntouchpoints = ['記事']\n\n\
             [[stages.aware.tasks]]\ndepartment = \"marketing\"\ntask = '[b](department:sales)'\n\n[stages.\"検討\"]\n問題 = 1\n",
        ),
    ]
}

/// Bytes that are likely to confuse a parser when dropped into a valid file.
fn snippet() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"+++".to_vec()),
        Just(b"\n+++\n".to_vec()),
        Just(b"---\n".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"\"".to_vec()),
        Just(b"'".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"[[".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"=".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"#".to_vec()),
        Just(b"](stage:".to_vec()),
        Just(b"(persona:".to_vec()),
        Just("課題".as_bytes().to_vec()),
        Just("課題 = \"x\"\n".as_bytes().to_vec()),
        Just("\u{FEFF}".as_bytes().to_vec()),
        Just("e\u{301}".as_bytes().to_vec()),
        Just("😀".as_bytes().to_vec()),
        // Invalid UTF-8: a Shift_JIS pair, a lone continuation byte, a cut-off sequence.
        Just(b"\x89\xdb".to_vec()),
        Just(b"\x80".to_vec()),
        Just(b"\xe8\xaa".to_vec()),
        Just(b"\xff".to_vec()),
        proptest::collection::vec(any::<u8>(), 1..8),
        any::<String>().prop_map(String::into_bytes),
    ]
}

#[derive(Clone, Debug)]
enum Edit {
    /// XOR one byte with a non-zero mask.
    Flip(Index, u8),
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), 1..=255u8).prop_map(|(i, m)| Edit::Flip(i, m)),
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), snippet()).prop_map(|(i, s)| Edit::Insert(i, s)),
        (any::<Index>(), 1..16usize).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    match e {
        Edit::Flip(i, m) if !bytes.is_empty() => {
            let i = i.index(bytes.len());
            bytes[i] ^= m;
        }
        Edit::Truncate(i) => {
            let i = i.index(bytes.len() + 1);
            bytes.truncate(i);
        }
        Edit::Insert(i, s) => {
            let i = i.index(bytes.len() + 1);
            bytes.splice(i..i, s.iter().copied());
        }
        Edit::Delete(i, n) if !bytes.is_empty() => {
            let i = i.index(bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Replacement {
    Bytes(Vec<u8>),
    Text(String),
    Mutated(Vec<Edit>),
}

fn replacement() -> impl Strategy<Value = Replacement> {
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..512).prop_map(Replacement::Bytes),
        1 => any::<String>().prop_map(Replacement::Text),
        4 => proptest::collection::vec(edit(), 1..8).prop_map(Replacement::Mutated),
    ]
}

/// The site with file `target` replaced.
fn build(target: &Index, r: &Replacement) -> Vec<InputFile> {
    let files = site_files();
    let t = target.index(files.len());
    files
        .into_iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let bytes = if i != t {
                text.as_bytes().to_vec()
            } else {
                match r {
                    Replacement::Bytes(b) => b.clone(),
                    Replacement::Text(s) => s.clone().into_bytes(),
                    Replacement::Mutated(edits) => {
                        let mut b = text.as_bytes().to_vec();
                        for e in edits {
                            apply(&mut b, e);
                        }
                        b
                    }
                }
            };
            InputFile {
                path: path.to_string(),
                bytes,
            }
        })
        .collect()
}

/// Everything a user sees of a diagnostic, with its place as `file:line:column`.
fn fingerprint(l: &Loaded) -> Vec<String> {
    l.diagnostics
        .iter()
        .map(|d| {
            let place = d.span.map(|s| {
                let f = l.sources.get(s.file);
                let (a, b) = f.line_col(s.start as usize);
                let (c, e) = f.line_col(s.end as usize);
                format!("{}:{a}:{b}-{c}:{e}", f.rel_path)
            });
            format!(
                "{:?} {} {:?} {:?} {:?} {:?}",
                d.severity, d.code, place, d.message, d.label, d.hint
            )
        })
        .collect()
}

fn check_spans(l: &Loaded, _files: &[InputFile]) -> Result<(), TestCaseError> {
    for d in l.diagnostics.iter() {
        let Some(span) = d.span else { continue };
        let f = l.sources.get(span.file);
        let (start, end) = (span.start as usize, span.end as usize);
        prop_assert!(
            start <= end && end <= f.text().len(),
            "{d:?} outside {} ({} bytes)",
            f.rel_path,
            f.text().len()
        );
        prop_assert!(
            f.text().is_char_boundary(start) && f.text().is_char_boundary(end),
            "{d:?} not on char boundaries of {}",
            f.rel_path
        );
        let (line, col) = f.line_col(start);
        prop_assert!(line >= 1 && line <= f.line_count() && col >= 1, "{d:?}");
    }
    Ok(())
}

fn config() -> ProptestConfig {
    // 256 cases keep the suite fast; `PROPTEST_CASES=20000 cargo test --test load_props` digs
    // deeper. No regression files: a failure prints its minimal input, which belongs in a
    // named test.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn loader_never_panics_and_spans_stay_in_their_files(
        target in any::<Index>(),
        r in replacement(),
        order in proptest::collection::vec(any::<u32>(), 11),
    ) {
        let files = build(&target, &r);
        let loaded = load_files(files.clone(), "");
        check_spans(&loaded, &files)?;

        // Every rendering copes with every span.
        for lang in [Lang::Ja, Lang::En] {
            let _ = render_human(loaded.diagnostics.iter(), &loaded.sources, lang);
        }
        for d in loaded.diagnostics.iter() {
            let _ = render_github(d, &loaded.sources, Lang::Ja);
            let j = to_json(d, &loaded.sources, Lang::Ja);
            if let (Some(l), Some(c), Some(el), Some(ec)) = (j.line, j.column, j.end_line, j.end_column) {
                prop_assert!((el, ec) >= (l, c), "{j:?}");
            }
        }

        // The same files in another order give the same diagnostics in the same order.
        let mut shuffled: Vec<(u32, InputFile)> = order.iter().copied().zip(files).collect();
        shuffled.sort_by_key(|(k, f)| (*k, f.path.clone()));
        let again = load_files(shuffled.into_iter().map(|(_, f)| f).collect(), "");
        prop_assert_eq!(fingerprint(&loaded), fingerprint(&again));
        prop_assert_eq!(&loaded.coverage, &again.coverage);

        // A display prefix changes the paths shown (in places and in hints), nothing else.
        let prefixed = load_files(build(&target, &r), "site/");
        let without_prefix: Vec<String> = fingerprint(&prefixed)
            .into_iter()
            .map(|s| s.replace("site/content/", "content/").replace("site/tabiji.toml", "tabiji.toml"))
            .collect();
        prop_assert_eq!(fingerprint(&loaded), without_prefix);
    }

    #[test]
    fn split_front_matter_never_panics(text in front_matter_like()) {
        check_split(&text)?;
    }

    #[test]
    fn split_front_matter_never_panics_on_any_string(text in any::<String>()) {
        check_split(&text)?;
    }
}

/// Strings built from the pieces front matter is made of.
fn front_matter_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("+++".to_string()),
        Just("+++ ".to_string()),
        Just("---".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("name = \"課題\"".to_string()),
        Just("課".to_string()),
        Just("\u{FEFF}".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

fn check_split(text: &str) -> Result<(), TestCaseError> {
    let ok = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.get(r.clone()).is_some()
    };
    match split_front_matter(text) {
        Ok(s) => {
            for r in [&s.open, &s.toml, &s.close, &s.body] {
                prop_assert!(ok(r), "{s:?} in {text:?}");
            }
            prop_assert!(
                s.open.end <= s.toml.start && s.toml.end == s.close.start,
                "{s:?}"
            );
            prop_assert!(
                s.close.end <= s.body.start && s.body.end == text.len(),
                "{s:?}"
            );
            prop_assert_eq!(text[s.open.clone()].trim_end(), "+++");
            prop_assert_eq!(text[s.close.clone()].trim_end(), "+++");
        }
        Err(SplitError::Missing { line, .. }) => prop_assert!(ok(&line), "{line:?} in {text:?}"),
        Err(SplitError::Unclosed { open }) => {
            prop_assert!(ok(&open), "{open:?} in {text:?}");
            prop_assert_eq!(text[open].trim_end(), "+++");
        }
    }
    Ok(())
}

fn invalid_utf8_span(bytes: &[u8]) -> (usize, usize, String, String) {
    let files = vec![InputFile {
        path: "content/personas/x.md".into(),
        bytes: bytes.to_vec(),
    }];
    let l = load_files(files, "");
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.code == Code::InvalidUtf8)
        .expect("an invalid-utf8 error");
    let span = d.span.unwrap();
    let f = l.sources.get(span.file);
    (
        span.start as usize,
        span.end as usize,
        f.text().to_string(),
        d.message.en().to_string(),
    )
}

#[test]
fn invalid_utf8_span_is_on_a_char_boundary() {
    let (start, end, text, message) = invalid_utf8_span(b"+++\nname = \"\x89\xdb\"\n+++\n");
    assert_eq!((start, end), (12, 12));
    assert!(text.is_char_boundary(start));
    assert_eq!(
        message,
        "this file is not valid UTF-8 (first bad byte on line 2)"
    );
}

#[test]

fn invalid_utf8_span_in_a_crlf_file_is_on_a_char_boundary() {
    // The bad byte is at text offset 12 once `\r\n` is `\n`; the raw offset 13 lands inside the
    // U+FFFD that replaces it.
    let (start, _, text, message) = invalid_utf8_span(b"+++\r\nname = \"\x89abc\"\r\n+++\r\n");
    assert!(
        text.is_char_boundary(start),
        "span starts at {start}, inside a character of {text:?}"
    );
    assert_eq!(start, 12);
    // With enough CRLF lines before the bad byte, the span even falls beyond the text.
    let (start, _, text, message2) = invalid_utf8_span(b"\r\n\r\n\r\n\r\n\xff");
    assert!(
        start <= text.len(),
        "span starts at {start}, beyond the {} bytes of {text:?}",
        text.len()
    );
    assert_eq!(
        message,
        "this file is not valid UTF-8 (first bad byte on line 2)"
    );
    assert_eq!(
        message2,
        "this file is not valid UTF-8 (first bad byte on line 5)"
    );
}
