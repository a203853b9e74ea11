//! The mistakes a Japanese keyboard makes in TOML: each named as such, in both languages, at
//! the character that is wrong, with the line as it should read; and one file that cannot be
//! read does not stop the checks of the others.

use tabiji::diagnostic::{Diagnostic, Severity};
use tabiji::load::{InputFile, Loaded, load_files};

const CONFIG: &str = "title = \"t\"\n\n[[stages]]\nid = \"aware\"\nname = \"認知\"\n\n[[rows]]\nid = \"thinking\"\nname = \"思考\"\n";
const PERSONA: &str = "+++\nname = \"情シス課長\"\n+++\n本文\n";
const JOURNEY: &str = "content/journeys/p-new.toml";

/// A site of `tabiji.toml`, one persona `p` and the given files (replacing those).
fn load(files: &[(&str, &str)]) -> Loaded {
    let mut all: Vec<(&str, &str)> =
        vec![("tabiji.toml", CONFIG), ("content/personas/p.md", PERSONA)];
    for (path, text) in files {
        all.retain(|(p, _)| p != path);
        all.push((path, text));
    }
    let inputs = all
        .into_iter()
        .map(|(path, text)| InputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    load_files(inputs, "")
}

/// A journey of `p` whose stage `aware` holds `lines`.
fn journey(lines: &str) -> Loaded {
    let text = format!("persona = \"p\"\n\n[stages.aware]\n{lines}\n");
    load(&[(JOURNEY, &text)])
}

/// Every diagnostic as `code file:line:column`.
fn places(l: &Loaded) -> Vec<String> {
    l.diagnostics
        .iter()
        .map(|d| match d.span {
            Some(s) => {
                let (file, line, col) = l.sources.locate(s);
                format!("{} {file}:{line}:{col}", d.code)
            }
            None => d.code.to_string(),
        })
        .collect()
}

/// The one error of the site, which must be `code` at `at` (`file:line:column`).
fn only<'l>(l: &'l Loaded, code: &str, at: &str) -> &'l Diagnostic {
    let errors: Vec<String> = places(l)
        .into_iter()
        .zip(l.diagnostics.iter())
        .filter(|(_, d)| d.severity == Severity::Error)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(errors, vec![format!("{code} {at}")]);
    l.diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .unwrap()
}

/// Message, label and hint in (English, Japanese).
fn texts(d: &Diagnostic) -> [(String, String); 3] {
    let both = |t: Option<&tabiji::i18n::Text>| {
        t.map_or((String::new(), String::new()), |t| {
            (t.en().to_string(), t.ja().to_string())
        })
    };
    [
        both(Some(&d.message)),
        both(d.label.as_ref()),
        both(d.hint.as_ref()),
    ]
}

fn pair(en: &str, ja: &str) -> (String, String) {
    (en.to_string(), ja.to_string())
}

#[test]
fn a_full_width_space_after_a_key() {
    let l = journey("thinking\u{3000}= \"迷っている\"");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:9"));
    assert_eq!(
        texts(d),
        [
            pair(
                "a full-width space (U+3000) where TOML allows only half-width spaces",
                "全角スペース（U+3000）が入っています。TOML では半角スペースしか使えません",
            ),
            pair("full-width space", "全角スペース"),
            pair(
                "write the line as `thinking = \"迷っている\"`",
                "`thinking = \"迷っている\"` と書いてください",
            ),
        ]
    );
}

#[test]
fn a_long_line_is_shortened_in_the_hint_and_says_so() {
    let l = journey(
        "thinking\u{3000}= \"稟議を通すための材料が社内に何もない。部長にも説明できない。\"",
    );
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:9"));
    assert_eq!(
        texts(d)[2],
        pair(
            "write the line as (long text shortened): `thinking = \"稟議を通すための材料…できない。\"`",
            "次のように直してください（長い文字列は途中を省略しています）: `thinking = \"稟議を通すための材料…できない。\"`",
        )
    );
}

#[test]
fn full_width_spaces_anywhere_outside_strings() {
    for (line, col) in [
        ("\u{3000}thinking = \"迷っている\"", 1),
        ("thinking =\u{3000}\"迷っている\"", 11),
        ("thinking = \"迷っている\"\u{3000}", 19),
    ] {
        let l = journey(line);
        let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:{col}"));
        assert_eq!(d.label.as_ref().unwrap().en(), "full-width space", "{line}");
        assert!(
            d.hint
                .as_ref()
                .unwrap()
                .ja()
                .contains("`thinking = \"迷っている\"`"),
            "{line}: {:?}",
            d.hint
        );
    }
    // Inside a string it is text, and fine.
    let l = journey("thinking = \"迷って\u{3000}いる\"");
    assert!(!l.diagnostics.has_errors(), "{:?}", places(&l));
}

#[test]
fn a_full_width_equals_sign_or_colon() {
    let l = journey("thinking ＝ \"迷っている\"");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:10"));
    assert_eq!(
        texts(d),
        [
            pair(
                "a full-width `＝` where TOML expects `=`",
                "全角の `＝` が入っています。TOML では半角の `=` を使います",
            ),
            pair("full-width `＝`", "全角の `＝`"),
            pair(
                "write the line as `thinking = \"迷っている\"`",
                "`thinking = \"迷っている\"` と書いてください",
            ),
        ]
    );

    let l = journey("thinking：\"迷っている\"");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:9"));
    assert_eq!(
        d.message.ja(),
        "全角の `：` が入っています。TOML では半角の `=` を使います"
    );
    assert_eq!(
        d.hint.as_ref().unwrap().en(),
        "write the line as `thinking = \"迷っている\"`"
    );
}

#[test]
fn full_width_and_japanese_commas_in_a_list() {
    let l = journey("touchpoints = [\"展示会\"，\"ウェビナー\"]");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:21"));
    assert_eq!(
        texts(d),
        [
            pair(
                "a full-width `，` where TOML expects `,`",
                "全角の `，` が入っています。TOML では半角の `,` を使います",
            ),
            pair("full-width `，`", "全角の `，`"),
            pair(
                "write the line as `touchpoints = [\"展示会\",\"ウェビナー\"]`",
                "`touchpoints = [\"展示会\",\"ウェビナー\"]` と書いてください",
            ),
        ]
    );

    let l = journey("touchpoints = [\"展示会\"、\"ウェビナー\"]");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:21"));
    assert_eq!(
        d.message.en(),
        "a Japanese comma `、` where TOML expects `,`"
    );
    assert_eq!(
        d.message.ja(),
        "読点 `、` が入っています。TOML では半角の `,` で区切ります"
    );
    assert_eq!(d.label.as_ref().unwrap().ja(), "読点");
}

#[test]
fn curly_and_full_width_quotes() {
    for (line, quote, en, ja) in [
        (
            "thinking = “迷っている”",
            '“',
            "curly quote",
            "スマート引用符",
        ),
        (
            "thinking = ”迷っている”",
            '”',
            "curly quote",
            "スマート引用符",
        ),
        (
            "thinking = ‘迷っている’",
            '‘',
            "curly quote",
            "スマート引用符",
        ),
        (
            "thinking = ＂迷っている＂",
            '＂',
            "full-width quote",
            "全角の引用符",
        ),
        (
            "thinking = \"迷っている”",
            '”',
            "curly quote",
            "スマート引用符",
        ),
    ] {
        let l = journey(line);
        let col = line.chars().position(|c| c == quote).unwrap() + 1;
        let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:{col}"));
        assert_eq!(
            texts(d),
            [
                pair(
                    &format!("a {en} `{quote}` where TOML expects a straight `\"`"),
                    &format!(
                        "{ja} `{quote}` が入っています。TOML の文字列は半角の `\"` で囲みます"
                    ),
                ),
                pair(en, ja),
                pair(
                    "write the line as `thinking = \"迷っている\"`",
                    "`thinking = \"迷っている\"` と書いてください",
                ),
            ],
            "{line}"
        );
    }
}

#[test]
fn full_width_digits_and_minus_in_numbers() {
    let l = journey("emotion = －１");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:11"));
    assert_eq!(
        texts(d),
        [
            pair(
                "a full-width `－` in a value: TOML numbers and dates are written in half-width characters",
                "値に全角の `－` が入っています。TOML の数値と日付は半角で書きます",
            ),
            pair("full-width `－`", "全角の `－`"),
            pair(
                "write the line as `emotion = -1`",
                "`emotion = -1` と書いてください"
            ),
        ]
    );
    // The long vowel mark typed for a minus, and a full-width digit after a half-width sign.
    for (line, col, fixed) in [
        ("emotion = ー1", 11, "emotion = -1"),
        ("emotion = -１", 12, "emotion = -1"),
        ("emotion = ２", 11, "emotion = 2"),
    ] {
        let l = journey(line);
        let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:{col}"));
        assert_eq!(
            d.hint.as_ref().unwrap().en(),
            format!("write the line as `{fixed}`")
        );
    }
    // The long vowel mark and the Japanese full stop are named as what they are.
    let l = journey("emotion = ー1");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:11"));
    assert_eq!(
        texts(d)[..2],
        [
            pair(
                "a prolonged sound mark `ー` in a value: TOML numbers and dates are written in half-width characters",
                "値に長音記号 `ー` が入っています。TOML の数値と日付は半角で書きます",
            ),
            pair("prolonged sound mark", "長音記号"),
        ]
    );
    let l = journey("emotion = 1。0");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:12"));
    assert_eq!(
        texts(d)[..2],
        [
            pair(
                "a Japanese full stop `。` in a value: TOML numbers and dates are written in half-width characters",
                "値に句点 `。` が入っています。TOML の数値と日付は半角で書きます",
            ),
            pair("Japanese full stop", "句点"),
        ]
    );
    let l = load(&[(
        "content/personas/p.md",
        "+++\nname = \"情シス課長\"\nreviewed = ２０２６－１０－０１\n+++\n",
    )]);
    let d = only(&l, "toml-syntax", "content/personas/p.md:3:12");
    assert_eq!(
        d.hint.as_ref().unwrap().ja(),
        "`reviewed = 2026-10-01` と書いてください"
    );
}

#[test]
fn full_width_brackets_in_table_headers() {
    let text = "persona = \"p\"\n\n［stages.aware］\nthinking = \"迷っている\"\n";
    let l = load(&[(JOURNEY, text)]);
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:3:1"));
    assert_eq!(
        texts(d),
        [
            pair(
                "a full-width `［` where TOML expects `[`",
                "全角の `［` が入っています。TOML では半角の `[` を使います",
            ),
            pair("full-width `［`", "全角の `［`"),
            pair(
                "write the line as `[stages.aware]`",
                "`[stages.aware]` と書いてください"
            ),
        ]
    );

    let text = "persona = \"p\"\n\n[stages.aware]\nthinking = \"迷っている\"\n\n［［stages.aware.tasks］］\ndepartment = \"d\"\ntask = \"電話\"\n";
    let l = load(&[(JOURNEY, text)]);
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:6:1"));
    assert_eq!(
        d.hint.as_ref().unwrap().ja(),
        "`[[stages.aware.tasks]]` と書いてください"
    );
}

#[test]
fn a_japanese_key_with_a_full_width_space_is_quoted_in_the_fix() {
    let l = journey("思考\u{3000}= \"迷っている\"");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:3"));
    assert_eq!(
        d.hint.as_ref().unwrap().en(),
        "write the line as `\"思考\" = \"迷っている\"`"
    );
}

#[test]
fn an_unquoted_japanese_key_says_so_in_both_languages() {
    let l = journey("思考 = \"迷っている\"");
    let d = only(&l, "unquoted-key", &format!("{JOURNEY}:4:1"));
    assert_eq!(
        texts(d),
        [
            pair(
                "TOML keys with Japanese or other non-ASCII letters must be quoted: `思考`",
                "TOML のキーに日本語（ASCII 以外の文字）を使うときは `\"` で囲む必要があります: `思考`",
            ),
            pair(
                "bare keys may only use A-Z, a-z, 0-9, `-` and `_`",
                "引用符なしのキーに使えるのは A-Z、a-z、0-9、`-`、`_` だけです",
            ),
            pair(
                "write it in double quotes: `\"思考\" = …`",
                "`\"` で囲んでください: `\"思考\" = …`",
            ),
        ]
    );
}

#[test]
fn an_unquoted_value_gets_the_quoted_line() {
    let l = journey("thinking = 迷っている");
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:4:12"));
    assert_eq!(
        d.message.ja(),
        "TOML の書き方に誤りがあります: 文字列の値は `\"` で囲んでください"
    );
    assert_eq!(
        d.hint.as_ref().unwrap().ja(),
        "`thinking = \"迷っている\"` と書いてください"
    );
}

#[test]
fn a_single_bracket_table_before_the_list_is_reported_at_its_own_line() {
    let text = "persona = \"p\"\n\n[stages.\"aware\".tasks]\ndepartment = \"d\"\ntask = \"電話\"\n\n[[stages.\"aware\".tasks]]\ndepartment = \"d\"\ntask = \"訪問\"\n";
    let l = load(&[(JOURNEY, text)]);
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:3:1"));
    assert_eq!(
        texts(d),
        [
            pair(
                "use `[[…]]` for a list of tasks",
                "タスクの一覧には `[[…]]` を使ってください"
            ),
            pair(
                "a single table, not an entry of the array of tables",
                "テーブルの配列の要素ではなく、ひとつのテーブルです"
            ),
            pair(
                "write `[[stages.\"aware\".tasks]]` here, like the header below",
                "下の見出しと同じく、ここを `[[stages.\"aware\".tasks]]` にしてください",
            ),
        ]
    );
    // The other way round: the single brackets come second, and are still the mistake.
    let text = "persona = \"p\"\n\n[[stages.aware.tasks]]\ndepartment = \"d\"\ntask = \"電話\"\n\n[stages.aware.tasks]\ndepartment = \"d\"\ntask = \"訪問\"\n";
    let l = load(&[(JOURNEY, text)]);
    let d = only(&l, "toml-syntax", &format!("{JOURNEY}:7:1"));
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .en()
            .ends_with("like the header above")
    );
}

#[test]
fn slips_in_front_matter_are_counted_in_lines_of_the_file() {
    let l = load(&[(
        "content/personas/p.md",
        "+++\nname\u{3000}= \"情シス課長\"\n+++\n本文\n",
    )]);
    let d = only(&l, "toml-syntax", "content/personas/p.md:2:5");
    assert_eq!(
        d.hint.as_ref().unwrap().en(),
        "write the line as `name = \"情シス課長\"`"
    );
    // `＋＋＋` typed with the IME on.
    let l = load(&[(
        "content/personas/p.md",
        "＋＋＋\nname = \"情シス課長\"\n＋＋＋\n",
    )]);
    let d = only(&l, "front-matter-missing", "content/personas/p.md:1:1");
    assert_eq!(
        d.hint.as_ref().unwrap().ja(),
        "`＋＋＋` が全角で書かれています。半角の `+++` にしてください"
    );
}

#[test]
fn a_broken_content_file_does_not_stop_the_checks_of_the_others() {
    let l = load(&[
        (
            JOURNEY,
            "persona = \"p\"\n[stages.aware]\nthinking ＝ \"x\"\n",
        ),
        (
            "content/journeys/q-new.toml",
            "persona = \"nobody\"\n[stages.awre]\nthinking = \"x\"\n",
        ),
        (
            "content/departments/d.md",
            "+++\nname = \"営業\"\nroll = \"x\"\n+++\n",
        ),
    ]);
    let all = places(&l);
    for expected in [
        format!("toml-syntax {JOURNEY}:3:10"),
        "unknown-reference content/journeys/q-new.toml:1:11".to_string(),
        "unknown-key content/journeys/q-new.toml:2:9".to_string(),
        "unknown-key content/departments/d.md:3:1".to_string(),
    ] {
        assert!(all.contains(&expected), "{expected} not in {all:#?}");
    }
}

#[test]
fn a_broken_tabiji_toml_does_not_stop_the_checks_that_do_not_need_it() {
    let config = "title = \"t\"\n[[stages]]\nid ＝ \"aware\"\nname = \"認知\"\n[[rows]]\nid = \"thinking\"\nname = \"思考\"\n";
    let l = load(&[
        ("tabiji.toml", config),
        (
            "content/journeys/q-new.toml",
            "persona = \"nobody\"\n[stages.awre]\nthinking = \"x\"\n",
        ),
        (
            "content/personas/p.md",
            "+++\nname = \"情シス課長\"\nroll = \"x\"\n+++\n",
        ),
    ]);
    let all = places(&l);
    for expected in [
        "toml-syntax tabiji.toml:3:4",
        "unknown-reference content/journeys/q-new.toml:1:11",
        "unknown-key content/personas/p.md:3:1",
    ] {
        assert!(
            all.contains(&expected.to_string()),
            "{expected} not in {all:#?}"
        );
    }
    // Stages are unknown: `awre` is not reported, and the syntax error says so.
    assert!(!all.iter().any(|p| p.contains("q-new.toml:2:")), "{all:#?}");
    let d = l
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "toml-syntax")
        .unwrap();
    let hint = d.hint.as_ref().unwrap();
    assert_eq!(
        hint.en(),
        "write the line as `id = \"aware\"`; until tabiji.toml reads, references to stages and rows in the other files are not checked"
    );
    assert_eq!(
        hint.ja(),
        "`id = \"aware\"` と書いてください。tabiji.toml を読めるようになるまで、ほかのファイルからステージと行への参照は確認しません"
    );
}

#[test]
fn the_command_line_speaks_the_language_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("tabiji.toml", CONFIG),
        ("content/personas/p.md", PERSONA),
        (
            JOURNEY,
            "persona = \"p\"\n[stages.aware]\nthinking\u{3000}= \"x\"\n",
        ),
    ] {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let run = |lang: &str| {
        let out = assert_cmd::Command::cargo_bin("tabiji")
            .unwrap()
            .current_dir(dir.path())
            .env_remove("TABIJI_LANG")
            .args(["check", "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let ja = run("ja");
    assert!(
        ja.contains("全角スペース（U+3000）が入っています") && ja.contains(":3:9"),
        "{ja}"
    );
    assert!(ja.contains("`thinking = \"x\"` と書いてください"), "{ja}");
    let en = run("en");
    assert!(en.contains("a full-width space (U+3000)"), "{en}");
    assert!(en.contains("write the line as `thinking = \"x\"`"), "{en}");
}

#[test]
fn errors_behind_a_slip_are_reported_too() {
    // The TOML parser stops looking after the first slips; every mistake still comes out.
    let text = "persona = \"p\"\n[stages.aware]\nthinking\u{3000}＝\u{3000}“迷っている”\nemotion = －１\n[stages.aware.tasks]\ndepartment = \"d\"\ntask = \"x\"\n[[stages.aware.tasks]]\ndepartment = \"d\"\ntask = \"y\"\n";
    let l = load(&[(JOURNEY, text)]);
    let errors: Vec<String> = places(&l)
        .into_iter()
        .filter(|p| p.starts_with("toml-syntax"))
        .collect();
    assert_eq!(
        errors,
        [
            format!("toml-syntax {JOURNEY}:3:9"),
            format!("toml-syntax {JOURNEY}:4:11"),
            format!("toml-syntax {JOURNEY}:5:1"),
        ]
    );
}
