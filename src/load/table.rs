//! Reading typed fields out of a spanned TOML table, reporting every problem.
//!
//! serde would stop at the first wrong field and forget where the others were; this reader
//! keeps going, so one run reports every missing field, wrong type and unknown key of a file,
//! each at its own line and column.

use std::ops::Range;

use toml::Spanned as TomlSpanned;
use toml::de::{DeTable, DeValue};

use super::suggest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::{Localized, Text};
use crate::model::shape::Shape;
use crate::model::{Date, Id, IdError, Spanned, Upkeep};
use crate::source::{FileId, Span};
use crate::t;

/// A TOML text inside a source file (a whole `.toml` file, or the front matter of a `.md`).
#[derive(Clone, Copy)]
pub struct TomlText<'s> {
    pub file: FileId,
    /// Byte offset of the TOML within the file.
    pub base: usize,
    pub src: &'s str,
}

impl<'s> TomlText<'s> {
    pub fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file, r.start + self.base..r.end + self.base)
    }

    /// Parse the text, reporting syntax errors. `None` when it has any: a half-read table
    /// would only add confusing follow-up errors.
    pub fn parse(&self, diags: &mut Diagnostics) -> Option<DeTable<'s>> {
        self.parse_noting(diags, None)
    }

    /// [`TomlText::parse`], adding `note` to the first syntax error's hint: what else is not
    /// checked because this text did not parse.
    pub fn parse_noting(&self, diags: &mut Diagnostics, note: Option<Text>) -> Option<DeTable<'s>> {
        let (table, errors) = DeTable::parse_recoverable(self.src);
        if errors.is_empty() {
            return Some(table.into_inner());
        }
        let mut found = super::toml_syntax::diagnostics(*self, &errors);
        if let (Some(note), Some(first)) = (note, found.first_mut()) {
            first.hint = Some(match first.hint.take() {
                Some(h) => t!("{h}; {note}", "{h}。{note}"; h = h, note = note),
                None => note,
            });
        }
        for d in found {
            diags.push(d);
        }
        None
    }
}

/// What to do about an invalid id.
pub(super) fn id_hint(e: &IdError) -> Text {
    match e {
        IdError::TooLong(_) => t!(
            "shorten the id: it is a file name and part of every URL to its page",
            "ID を短くしてください。ID はファイル名になり、そのページの URL にも入ります"
        ),
        _ => t!(
            "ids may use letters and digits of any script, `-` and `_`",
            "ID には文字と数字（どの言語のものでも可）、`-`、`_` が使えます"
        ),
    }
}

/// The fields of one TOML table, read one by one; [`Fields::finish`] then reports every key
/// nobody asked for.
pub struct Fields<'t, 's> {
    text: TomlText<'s>,
    table: &'t DeTable<'s>,
    /// Where a missing required field is reported.
    anchor: Span,
    /// Its fields: the only keys it may hold, and what it is called in messages.
    shape: &'static Shape,
    asked: Vec<&'static str>,
}

impl<'t, 's> Fields<'t, 's> {
    pub fn new(
        text: TomlText<'s>,
        table: &'t DeTable<'s>,
        anchor: Span,
        shape: &'static Shape,
    ) -> Self {
        Fields {
            text,
            table,
            anchor,
            shape,
            asked: Vec::new(),
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'t TomlSpanned<DeValue<'s>>> {
        debug_assert!(
            self.shape.has(key),
            "`{key}` is read but not declared in the shape of {}",
            self.shape.title
        );
        self.asked.push(key);
        self.table.get(key)
    }

    /// The error for a required `key` that is absent (`example` is a value to add).
    pub fn missing(&self, key: &str, example: &str) -> Diagnostic {
        Diagnostic::error(
            Code::MissingField,
            t!("{what} has no `{key}`", "{what}に `{key}` がありません"; what = self.shape.what()),
        )
        .at(self.anchor)
        .label(t!("`{key}` is required here", "`{key}` は必須です"))
        .hint(t!(
            "add `{key} = {example}`",
            "`{key} = {example}` を追加してください"
        ))
    }

    fn wrong_type(&self, key: &str, expected: Text, v: &TomlSpanned<DeValue<'_>>) -> Diagnostic {
        Diagnostic::error(
            Code::WrongType,
            t!(
                "`{key}` must be {expected}, not {found}",
                "`{key}` は{expected}で指定してください（{found}になっています）";
                expected = expected,
                found = type_name(v.get_ref().type_str()),
            ),
        )
        .at(self.text.span(v.span()))
        .label(t!("expected {expected}", "{expected}が必要です"; expected = expected))
    }

    /// Whether the table has `key` at all (its value is read and checked by another method).
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// A required string; an empty placeholder (already reported) when absent or wrong.
    pub fn req_str(&mut self, key: &'static str, d: &mut Diagnostics) -> Spanned<String> {
        match self.opt_str(key, d) {
            Some(s) => {
                if s.value.trim().is_empty() {
                    d.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            t!("`{key}` cannot be empty", "`{key}` を空にはできません"),
                        )
                        .at(s.span),
                    );
                }
                s
            }
            None => {
                if self.table.get(key).is_none() {
                    d.push(self.missing(key, "\"…\""));
                }
                Spanned::new(String::new(), self.anchor)
            }
        }
    }

    pub fn opt_str(&mut self, key: &'static str, d: &mut Diagnostics) -> Option<Spanned<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(s.to_string(), self.text.span(v.span()))),
            _ => {
                d.push(self.wrong_type(key, a_string(), v));
                None
            }
        }
    }

    /// A required reference to an id; checked against the site later.
    pub fn req_ref(&mut self, key: &'static str, d: &mut Diagnostics) -> Spanned<Id> {
        let s = self.req_str(key, d);
        Spanned::new(Id::lookup(&s.value), s.span)
    }

    pub fn opt_ref(&mut self, key: &'static str, d: &mut Diagnostics) -> Option<Spanned<Id>> {
        self.opt_str(key, d)
            .map(|s| Spanned::new(Id::lookup(&s.value), s.span))
    }

    /// A required id that this table defines (`id = "unaware"`): checked for allowed letters.
    pub fn req_id(&mut self, key: &'static str, d: &mut Diagnostics) -> Spanned<Id> {
        let s = self.req_str(key, d);
        if s.value.is_empty() {
            return Spanned::new(Id::lookup(""), s.span);
        }
        match Id::parse(&s.value) {
            Ok(id) => Spanned::new(id, s.span),
            Err(e) => {
                let v = &s.value;
                d.push(
                    Diagnostic::error(
                        Code::InvalidId,
                        t!("invalid id `{v}`: {e}", "ID `{v}` は使えません: {e}"; e = e.text()),
                    )
                    .at(s.span)
                    .hint(id_hint(&e)),
                );
                Spanned::new(Id::lookup(&s.value), s.span)
            }
        }
    }

    pub fn str_list(&mut self, key: &'static str, d: &mut Diagnostics) -> Vec<Spanned<String>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            d.push(self.wrong_type(key, t!("an array of strings", "文字列の配列"), v));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => {
                    out.push(Spanned::new(s.to_string(), self.text.span(item.span())))
                }
                _ => d.push(self.wrong_type(&format!("{key}[{i}]"), a_string(), item)),
            }
        }
        out
    }

    pub fn ref_list(&mut self, key: &'static str, d: &mut Diagnostics) -> Vec<Spanned<Id>> {
        self.str_list(key, d)
            .into_iter()
            .map(|s| Spanned::new(Id::lookup(&s.value), s.span))
            .collect()
    }

    /// An optional number in `(min, max]` (an integer is taken as a number).
    pub fn opt_number(
        &mut self,
        key: &'static str,
        min: f64,
        max: f64,
        d: &mut Diagnostics,
    ) -> Option<Spanned<f64>> {
        let v = self.get(key)?;
        let span = self.text.span(v.span());
        let n = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            _ => {
                d.push(self.wrong_type(key, t!("a number", "数値"), v));
                return None;
            }
        };
        match n {
            Some(n) if n > min && n <= max => Some(Spanned::new(n, span)),
            _ => {
                d.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        t!(
                            "`{key}` must be more than {min} and at most {max}",
                            "`{key}` は {min} より大きく {max} 以下の数にしてください"
                        ),
                    )
                    .at(span)
                    .hint(t!(
                        "write a share such as `{key} = 0.25` (25 %)",
                        "`{key} = 0.25`（25 %）のように割合で書いてください"
                    )),
                );
                None
            }
        }
    }

    pub fn opt_int(&mut self, key: &'static str, d: &mut Diagnostics) -> Option<Spanned<i64>> {
        let v = self.get(key)?;
        let span = self.text.span(v.span());
        match v.get_ref() {
            DeValue::Integer(i) => {
                let digits: String = i.as_str().chars().filter(|&c| c != '_').collect();
                let (neg, digits) = match digits.strip_prefix('-') {
                    Some(rest) => (true, rest.to_string()),
                    None => (false, digits.trim_start_matches('+').to_string()),
                };
                let digits = digits
                    .trim_start_matches("0x")
                    .trim_start_matches("0o")
                    .trim_start_matches("0b")
                    .to_string();
                match i64::from_str_radix(&digits, i.radix()) {
                    Ok(n) => Some(Spanned::new(if neg { -n } else { n }, span)),
                    Err(_) => {
                        d.push(
                            Diagnostic::error(
                                Code::InvalidValue,
                                t!("`{key}` is out of range", "`{key}` の値が範囲外です"),
                            )
                            .at(span),
                        );
                        None
                    }
                }
            }
            _ => {
                d.push(self.wrong_type(key, t!("an integer", "整数"), v));
                None
            }
        }
    }

    /// A required integer; `None` when absent or wrong (already reported).
    pub fn req_int(
        &mut self,
        key: &'static str,
        example: &str,
        d: &mut Diagnostics,
    ) -> Option<Spanned<i64>> {
        let v = self.opt_int(key, d);
        if v.is_none() && self.table.get(key).is_none() {
            d.push(self.missing(key, example));
        }
        v
    }

    /// An optional TOML local date (`reviewed = 2026-10-01`).
    pub fn opt_date(&mut self, key: &'static str, d: &mut Diagnostics) -> Option<Spanned<Date>> {
        let v = self.get(key)?;
        let span = self.text.span(v.span());
        let example = t!(
            "`{key} = 2026-10-01` (a TOML date: year-month-day, no quotes)",
            "`{key} = 2026-10-01`（TOML の日付: 年-月-日、引用符なし）"
        );
        let write = t!("write {example}", "{example} のように書いてください"; example = example);
        let date = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(x), None) => Date::new(i32::from(x.year), x.month, x.day),
                _ => {
                    d.push(
                        Diagnostic::error(
                            Code::WrongType,
                            t!(
                                "`{key}` must be a date, without a time",
                                "`{key}` は時刻を付けずに日付だけで指定してください"
                            ),
                        )
                        .at(span)
                        .label(t!("expected a date", "日付が必要です"))
                        .hint(t!(
                            "write only the day: {example}",
                            "日付だけを書いてください: {example}";
                            example = example
                        )),
                    );
                    return None;
                }
            },
            DeValue::String(text) => {
                d.push(self.wrong_type(key, t!("a date", "日付"), v).hint(t!(
                    "remove the quotes around `{text}`: {example}",
                    "`{text}` の引用符を外してください: {example}";
                    example = example
                )));
                return None;
            }
            _ => {
                d.push(self.wrong_type(key, t!("a date", "日付"), v).hint(write));
                return None;
            }
        };
        if date.is_none() {
            d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    t!(
                        "`{key}` is not a day of the calendar",
                        "`{key}` は暦にない日付です"
                    ),
                )
                .at(span)
                .hint(write),
            );
        }
        date.map(|x| Spanned::new(x, span))
    }

    /// `owner` and `reviewed`, both optional (personas, journeys, departments, playbooks).
    pub fn upkeep(&mut self, d: &mut Diagnostics) -> Upkeep {
        Upkeep {
            owner: self.opt_ref("owner", d),
            reviewed: self.opt_date("reviewed", d),
        }
    }

    /// An optional sub-table (`[stages]`), with the span of its header or key.
    pub fn opt_table(
        &mut self,
        key: &'static str,
        d: &mut Diagnostics,
    ) -> Option<(&'t DeTable<'s>, Span)> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, self.text.span(v.span()))),
            _ => {
                d.push(self.wrong_type(key, a_table(), v));
                None
            }
        }
    }

    /// An array of tables (`[[stages]]`), each with the span of its header.
    pub fn tables(
        &mut self,
        key: &'static str,
        d: &mut Diagnostics,
    ) -> Vec<(&'t DeTable<'s>, Span)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            let expected = t!(
                "an array of tables (`[[{key}]]`)",
                "テーブルの配列（`[[{key}]]`）"
            );
            d.push(self.wrong_type(key, expected, v));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.text.span(item.span()))),
                _ => d.push(self.wrong_type(key, a_table(), item)),
            }
        }
        out
    }

    /// Report every key of the table that its shape does not declare.
    pub fn finish(self, d: &mut Diagnostics) {
        debug_assert!(
            self.shape.names().all(|n| self.asked.contains(&n)),
            "the loader does not read every field declared for {}",
            self.shape.title
        );
        let known: Vec<&str> = self.shape.names().collect();
        for (k, _) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if !self.shape.has(key) {
                d.push(unknown_key(
                    self.text.span(k.span()),
                    key,
                    &self.shape.what(),
                    &known,
                ));
            }
        }
    }
}

/// Why two ids that differ only in letter case are a problem, and what to do: `other` is
/// the other one's place (a file, "the stage on line 4").
pub(super) fn case_clash_hint(other: &Text) -> Text {
    t!(
        "macOS and Windows ignore case in file names, so this and {other} would be one page there; rename one of them",
        "macOS と Windows はファイル名の大文字・小文字を区別しないため、これと{other}が同じページになります。どちらかの名前を変えてください";
        other = other
    )
}

pub fn unknown_key(span: Span, key: &str, what: &Text, known: &[&str]) -> Diagnostic {
    let mut known: Vec<&str> = known.to_vec();
    known.sort_unstable();
    known.dedup();
    let d = Diagnostic::error(
        Code::UnknownKey,
        t!("unknown key `{key}` in {what}", "{what}では `{key}` というキーは使えません"; what = what),
    )
    .at(span)
    .label(t!("not a known field", "定義されていないキーです"));
    match suggest::did_you_mean(key, known.iter().copied()) {
        Some(hint) => d.hint(hint),
        None => {
            let keys = Text::list(known.iter().map(|k| Text::verbatim(format!("`{k}`"))));
            d.hint(t!(
                "{what} takes: {keys}",
                "{what}に書けるキーは {keys} です";
                what = what,
                keys = keys
            ))
        }
    }
}

fn a_string() -> Text {
    t!("a string", "文字列")
}

fn a_table() -> Text {
    t!("a table", "テーブル")
}

/// A TOML type as found in a file (`"integer"`), with its article: "an integer", 「整数」.
pub fn type_name(type_str: &str) -> Text {
    match type_str {
        "string" => a_string(),
        "integer" => t!("an integer", "整数"),
        "float" => t!("a float", "小数"),
        "boolean" => t!("a boolean", "真偽値（true / false）"),
        "datetime" => t!("a datetime", "日付・時刻"),
        "array" => t!("an array", "配列"),
        "table" => a_table(),
        other => t!("a {other}", "{other}"),
    }
}
