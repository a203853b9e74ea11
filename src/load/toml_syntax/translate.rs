//! The TOML parser's own words in Japanese: its messages ("missing comma between array
//! elements") and what it expects there ("letters, numbers, `-`"), for the syntax errors
//! that are no IME slip. Apart from `mod.rs` because it is a table of words, tied to the
//! versions of `toml`, `toml_parser` and `toml_datetime` in Cargo.lock (a test says when
//! they change).

use crate::i18n::Text;
use crate::t;

/// The parser's message, as it is in English, translated in Japanese.
pub(super) fn translated(message: &str) -> Text {
    let first = message.lines().next().unwrap_or(message);
    let (what, expected) = match first.split_once(", expected ") {
        Some((w, e)) => (w, Some(e)),
        None => (first, None),
    };
    let ja = japanese(what).unwrap_or(what);
    let expected = match expected {
        // What the parser expects there says nothing more than the message.
        _ if what == "string values must be quoted" => String::new(),
        Some("nothing") => "（ここには何も書けません）".to_string(),
        Some(e) => format!("（ここに書けるのは {} です）", expected_japanese(e)),
        None => String::new(),
    };
    t!(
        "invalid TOML: {first}",
        "TOML の書き方に誤りがあります: {ja}{expected}"
    )
}

/// What the parser expects, in Japanese: `letters, numbers, `-`` is 「英字、数字、`-`」.
fn expected_japanese(expected: &str) -> String {
    // A date's `Z`, +OFFSET, -OFFSET is one thing, with commas.
    if let Some(ja) = expected_word(expected) {
        return ja.to_string();
    }
    let words: Vec<&str> = expected
        .split(", ")
        .map(|w| expected_word(w).unwrap_or(w))
        .collect();
    words.join("、")
}

/// One thing the parser expects, in Japanese; `None` for a literal such as `` `]` ``, which
/// needs none.
fn expected_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "letters" => "英字",
        "numbers" | "digits" => "数字",
        "newline" => "改行",
        "key" => "キー",
        "value" => "値",
        "basic string" => "`\"` で囲んだ文字列",
        "literal string" => "`'` で囲んだ文字列",
        "multi-line basic string" | "multi-line literal string" => "複数行の文字列",
        "unquoted string" => "引用符なしの文字列",
        "characters" => "文字",
        "printable characters" => "表示できる文字",
        "non-double-quote visible characters" => "`\"` 以外の表示できる文字",
        "non-single-quote characters" => "`'` 以外の文字",
        "non-single-quote visible characters" => "`'` 以外の表示できる文字",
        "unicode hexadecimal value" => "16 進数",
        "etc" => "ほか",
        // Dates and times (toml_datetime).
        "year or hour" => "年または時",
        "month" => "月",
        "day" => "日",
        "hour" => "時",
        "minute" => "分",
        "second" => "秒",
        "nanosecond" => "ナノ秒",
        "nanoseconds overflowed" => "桁の多すぎないナノ秒",
        "a four-digit year (YYYY)" => "4 桁の年 YYYY",
        "a two-digit month (MM)" => "2 桁の月 MM",
        "a two-digit day (DD)" => "2 桁の日 DD",
        "a two-digit hour (HH)" => "2 桁の時 HH",
        "a two-digit minute (MM)" => "2 桁の分 MM",
        "a two-digit second (SS)" => "2 桁の秒 SS",
        "month between 01 and 12" => "01 から 12 までの月",
        "hour between 00 and 23" | "hours between 00 and 23" => "00 から 23 までの時",
        "minute between 00 and 59" | "minutes between 00 and 59" => "00 から 59 までの分",
        "second between 00 and 60" => "00 から 60 までの秒",
        "`-` (MM-DD)" => "`-`（MM-DD の区切り）",
        "`:` (HH:MM)" => "`:`（HH:MM の区切り）",
        "`-` (YYYY-MM) or `:` (HH:MM)" => "`-`（YYYY-MM の区切り）または `:`（HH:MM の区切り）",
        "`T` between date and time" => "日付と時刻の間の `T`",
        "`Z`, +OFFSET, -OFFSET" => "`Z` または `+09:00` のような時差",
        _ => return None,
    })
}

/// The parser's description of an error, in Japanese.
fn japanese(what: &str) -> Option<&'static str> {
    Some(match what {
        "invalid unquoted key" => "引用符なしのキーに使えない文字があります",
        "unquoted keys cannot be empty" => "キーが空です",
        "string values must be quoted" => "文字列の値は `\"` で囲んでください",
        "duplicate key" => "同じキーが 2 回書かれています",
        "key with no value" | "missing value for key" => "キーに値がありません",
        "missing value" => "値がありません",
        "invalid value" => "値が正しくありません",
        "missing opening quote" => "開きの引用符がありません",
        "missing comma between array elements" => "配列の要素の間に `,` がありません",
        "missing comma between key-value pairs" => "キーと値の組の間に `,` がありません",
        "missing assignment between key-value pairs" => "キーと値の間に `=` がありません",
        "extra assignment between key-value pairs" | "extra `=`" => "余分な `=` があります",
        "extra comma in array" | "extra comma in inline table" => "余分な `,` があります",
        "unexpected `=` in array" => "配列の中に `=` は書けません",
        "unclosed array" => "配列が `]` で閉じられていません",
        "unclosed inline table" => "インラインテーブルが `}` で閉じられていません",
        "unclosed table" => "テーブルの見出しが `]` で閉じられていません",
        "unclosed array table" => "テーブルの配列の見出しが `]]` で閉じられていません",
        "missing array opening" => "配列の `[` がありません",
        "missing inline table opening" => "インラインテーブルの `{` がありません",
        "missing table open" => "テーブルの見出しの `[` がありません",
        "missing key for inline table element" => "インラインテーブルの要素にキーがありません",
        "invalid inline table element" => "インラインテーブルの要素が正しくありません",
        "invalid key-value pair" => "キーと値の組が正しくありません",
        "invalid key" => "キーが正しくありません",
        "invalid table" => "テーブルの見出しが正しくありません",
        "unexpected key or value" => "行の終わりに余分なキーまたは値があります",
        "unexpected content" => "余分な文字があります",
        "unexpected content between comment and newline" => "コメントの後に余分な文字があります",
        "invalid comment character" => "コメントに使えない文字があります",
        "missing comment start" => "コメントの `#` がありません",
        "invalid string" | "invalid basic string" => "文字列が正しくありません",
        "invalid multi-line basic string" => "複数行の文字列が正しくありません",
        "invalid literal string" => "`'` で囲んだ文字列が正しくありません",
        "invalid multi-line literal string" => "`'''` で囲んだ文字列が正しくありません",
        "could not allocate for string" => "文字列を読むためのメモリが足りません",
        "missing escaped value" => "`\\` の後にエスケープする文字がありません",
        "too few unicode value digits" => "`\\u` の後の 16 進数の桁が足りません",
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            "キーに複数行の文字列は使えません"
        }
        "carriage return must be followed by newline" => "CR の後に改行（LF）がありません",
        "`_` may only go between digits" => "`_` は数字と数字の間にだけ書けます",
        "integers with a radix cannot be signed" => "16・8・2 進数の整数に符号は付けられません",
        "radix must be lowercase" => "`0x`・`0o`・`0b` は小文字で書いてください",
        "redundant integer number prefix" => "整数の接頭辞が重複しています",
        "redundant numeric sign" => "符号が重複しています",
        "unexpected leading zero" => "数値の先頭に余分な `0` があります",
        "unexpected sign" => "ここに符号は書けません",
        "invalid integer number" => "整数が正しくありません",
        "invalid hexadecimal number" => "16 進数が正しくありません",
        "invalid octal number" => "8 進数が正しくありません",
        "invalid binary number" => "2 進数が正しくありません",
        "invalid float" | "invalid mantissa" | "invalid fraction" | "invalid exponent" => {
            "小数が正しくありません"
        }
        "invalid boolean" => "真偽値は `true` か `false` で書いてください",
        "cannot recurse further; max recursion depth met" => {
            "配列やインラインテーブルの入れ子が深すぎます"
        }
        "recursion limit" => "ドットで区切ったキーの階層が深すぎます",
        "invalid date" => "日付が正しくありません",
        "invalid time" => "時刻が正しくありません",
        "invalid date-time" | "invalid datetime" => "日付・時刻が正しくありません",
        "invalid offset" => "時差が正しくありません",
        w if w.starts_with("cannot extend value of type") => {
            "すでにある値に、ドットで区切ったキーで書き足すことはできません"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_translated_with_what_is_expected() {
        let t = translated("missing opening quote, expected `\"`");
        assert_eq!(t.en(), "invalid TOML: missing opening quote, expected `\"`");
        assert_eq!(
            t.ja(),
            "TOML の書き方に誤りがあります: 開きの引用符がありません（ここに書けるのは `\"` です）"
        );
        let t = translated("invalid unquoted key, expected letters, numbers, `-`, `_`");
        assert_eq!(
            t.ja(),
            "TOML の書き方に誤りがあります: 引用符なしのキーに使えない文字があります（ここに書けるのは 英字、数字、`-`、`_` です）"
        );
    }

    /// Every message the TOML parser can give, as `toml::de::Error::message` has it before
    /// `, expected`, from the sources of the versions in Cargo.lock:
    /// - `toml_parser` 1.1.5: `ParseError::new("…")` in src/parser/document.rs,
    ///   src/decoder/{scalar,string,ws}.rs and src/source.rs, with the descriptions passed
    ///   to it (`invalid_description()` in src/decoder/scalar.rs, `INVALID_STRING` in
    ///   src/decoder/string.rs, `ALLOCATION_ERROR`, "invalid key", "invalid table" in
    ///   src/parser/document.rs);
    /// - `toml` 1.2.1: `ParseError::new` in src/de/parser/{document,inline_table,key}.rs;
    /// - `toml_datetime` 1.1.3: `DatetimeParseError` in src/datetime.rs ("invalid {what}"),
    ///   made a message by toml's src/de/parser/value.rs.
    const MESSAGES: &[&str] = &[
        "`_` may only go between digits",
        "cannot recurse further; max recursion depth met",
        "carriage return must be followed by newline",
        "could not allocate for string",
        "extra `=`",
        "extra assignment between key-value pairs",
        "extra comma in array",
        "extra comma in inline table",
        "integers with a radix cannot be signed",
        "invalid basic string",
        "invalid binary number",
        "invalid boolean",
        "invalid comment character",
        "invalid date-time",
        "invalid exponent",
        "invalid float",
        "invalid fraction",
        "invalid hexadecimal number",
        "invalid inline table element",
        "invalid integer number",
        "invalid key",
        "invalid key-value pair",
        "invalid literal string",
        "invalid mantissa",
        "invalid multi-line basic string",
        "invalid multi-line literal string",
        "invalid octal number",
        "invalid string",
        "invalid table",
        "invalid unquoted key",
        "invalid value",
        "key with no value",
        "keys cannot be multi-line basic strings",
        "keys cannot be multi-line literal strings",
        "missing array opening",
        "missing assignment between key-value pairs",
        "missing comma between array elements",
        "missing comma between key-value pairs",
        "missing comment start",
        "missing escaped value",
        "missing inline table opening",
        "missing key for inline table element",
        "missing opening quote",
        "missing table open",
        "missing value",
        "missing value for key",
        "radix must be lowercase",
        "redundant integer number prefix",
        "redundant numeric sign",
        "string values must be quoted",
        "too few unicode value digits",
        "unclosed array",
        "unclosed array table",
        "unclosed inline table",
        "unclosed table",
        "unexpected `=` in array",
        "unexpected content",
        "unexpected content between comment and newline",
        "unexpected key or value",
        "unexpected leading zero",
        "unexpected sign",
        "unquoted keys cannot be empty",
        // toml
        "duplicate key",
        "recursion limit",
        "cannot extend value of type array with a dotted key",
        "cannot extend value of type inline table with a dotted key",
        "cannot extend value of type string with a dotted key",
        // toml_datetime
        "invalid datetime",
        "invalid date",
        "invalid time",
        "invalid offset",
    ];

    /// What the parser says it expects: `Expected::Description` in `toml_parser` (its
    /// literals are shown as they are, `"\n"` as "newline" by toml's src/de/error.rs), and
    /// `DatetimeParseError::expected` in `toml_datetime`, as above.
    const EXPECTED: &[&str] = &[
        "basic string",
        "characters",
        "digits",
        "key",
        "letters",
        "literal string",
        "multi-line basic string",
        "non-double-quote visible characters",
        "non-single-quote characters",
        "non-single-quote visible characters",
        "numbers",
        "printable characters",
        "unicode hexadecimal value",
        "unquoted string",
        "value",
        "newline",
        // toml_datetime
        "`-` (MM-DD)",
        "`-` (YYYY-MM) or `:` (HH:MM)",
        "`:` (HH:MM)",
        "`T` between date and time",
        "`Z`, +OFFSET, -OFFSET",
        "a four-digit year (YYYY)",
        "a two-digit day (DD)",
        "a two-digit hour (HH)",
        "a two-digit minute (MM)",
        "a two-digit month (MM)",
        "a two-digit second (SS)",
        "day",
        "hour between 00 and 23",
        "hour",
        "hours between 00 and 23",
        "minute between 00 and 59",
        "minute",
        "minutes between 00 and 59",
        "month between 01 and 12",
        "month",
        "nanosecond",
        "nanoseconds overflowed",
        "second between 00 and 60",
        "second",
        "year or hour",
    ];

    #[test]
    fn every_message_of_the_toml_parser_has_its_japanese() {
        let untranslated: Vec<&str> = MESSAGES
            .iter()
            .copied()
            .filter(|m| japanese(m).is_none())
            .collect();
        assert_eq!(untranslated, Vec::<&str>::new());
        let untranslated: Vec<&str> = EXPECTED
            .iter()
            .copied()
            .filter(|e| expected_word(e).is_none())
            .collect();
        assert_eq!(untranslated, Vec::<&str>::new());
        // The lists are those of these versions: after an upgrade, read the sources named
        // above again for new messages, then update the versions here.
        let lock = include_str!("../../../Cargo.lock");
        for (krate, version) in [
            ("toml_parser", "1.1.5+spec-1.1.0"),
            ("toml", "1.2.1+spec-1.1.0"),
            ("toml_datetime", "1.1.3+spec-1.1.0"),
        ] {
            let locked: Vec<&str> = lock
                .split("[[package]]")
                .filter(|p| p.contains(&format!("\nname = \"{krate}\"\n")))
                .filter_map(|p| p.split("version = \"").nth(1)?.split('"').next())
                .collect();
            assert_eq!(locked, [version], "{krate}: new messages to translate?");
        }
    }

    #[test]
    fn a_date_error_is_translated_with_what_is_expected() {
        let t = translated("invalid date, expected a two-digit day (DD)");
        assert_eq!(
            t.ja(),
            "TOML の書き方に誤りがあります: 日付が正しくありません（ここに書けるのは 2 桁の日 DD です）"
        );
        let t = translated("invalid offset, expected `Z`, +OFFSET, -OFFSET");
        assert!(
            t.ja()
                .ends_with("（ここに書けるのは `Z` または `+09:00` のような時差 です）")
        );
    }
}
