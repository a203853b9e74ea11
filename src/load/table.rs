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
use crate::model::shape::Shape;
use crate::model::{Date, Id, Spanned, Upkeep};
use crate::source::{FileId, Span};

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
        let (table, errors) = DeTable::parse_recoverable(self.src);
        if errors.is_empty() {
            return Some(table.into_inner());
        }
        for e in errors {
            let range = e.span().unwrap_or(0..0);
            diags.push(self.syntax_error(e.message(), range));
        }
        None
    }

    fn syntax_error(&self, message: &str, range: Range<usize>) -> Diagnostic {
        let span = self.span(range.clone());
        let key = self.src.get(range).unwrap_or("");
        if message.contains("unquoted key") && !key.is_empty() && !key.is_ascii() {
            let key = key.trim();
            let line_start = self.src[..span.start as usize - self.base]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let line = self.src[line_start..].lines().next().unwrap_or("");
            let fix = if line.trim_start().starts_with('[') {
                line.trim().replacen(key, &format!("\"{key}\""), 1)
            } else {
                format!("\"{key}\" = …")
            };
            return Diagnostic::error(
                Code::UnquotedKey,
                format!(
                    "TOML keys with Japanese or other non-ASCII letters must be quoted: `{key}`"
                ),
            )
            .at(span)
            .label("bare keys may only use A-Z, a-z, 0-9, `-` and `_`")
            .hint(format!("write it in double quotes: `{fix}`"));
        }
        let first = message.lines().next().unwrap_or(message);
        Diagnostic::error(Code::TomlSyntax, format!("invalid TOML: {first}")).at(span)
    }
}

/// The fields of one TOML table, read one by one; [`Fields::finish`] then reports every key
/// nobody asked for.
pub struct Fields<'t, 's> {
    text: TomlText<'s>,
    table: &'t DeTable<'s>,
    /// Where a missing required field is reported.
    anchor: Span,
    /// What this table is, for messages: "persona front matter", "a `[[stages]]` entry".
    what: &'t str,
    /// Its fields: the only keys it may hold.
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
            what: shape.title,
            shape,
            asked: Vec::new(),
        }
    }

    /// Like [`Fields::new`], with a more specific name for messages (`stage \`aware\``).
    pub fn named(
        text: TomlText<'s>,
        table: &'t DeTable<'s>,
        anchor: Span,
        shape: &'static Shape,
        what: &'t str,
    ) -> Self {
        Fields {
            text,
            table,
            anchor,
            what,
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

    fn missing(&self, key: &str, example: &str) -> Diagnostic {
        Diagnostic::error(Code::MissingField, format!("{} has no `{key}`", self.what))
            .at(self.anchor)
            .label(format!("`{key}` is required here"))
            .hint(format!("add `{key} = {example}`"))
    }

    fn wrong_type(&self, key: &str, expected: &str, v: &TomlSpanned<DeValue<'_>>) -> Diagnostic {
        Diagnostic::error(
            Code::WrongType,
            format!(
                "`{key}` must be {expected}, not {}",
                article(v.get_ref().type_str())
            ),
        )
        .at(self.text.span(v.span()))
        .label(format!("expected {expected}"))
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
                        Diagnostic::error(Code::InvalidValue, format!("`{key}` cannot be empty"))
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
                d.push(self.wrong_type(key, "a string", v));
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
                d.push(
                    Diagnostic::error(Code::InvalidId, format!("invalid id `{}`: {e}", s.value))
                        .at(s.span)
                        .hint(crate::model::id_hint(&e)),
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
            d.push(self.wrong_type(key, "an array of strings", v));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => {
                    out.push(Spanned::new(s.to_string(), self.text.span(item.span())))
                }
                _ => d.push(self.wrong_type(&format!("{key}[{i}]"), "a string", item)),
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
                d.push(self.wrong_type(key, "a number", v));
                return None;
            }
        };
        match n {
            Some(n) if n > min && n <= max => Some(Spanned::new(n, span)),
            _ => {
                d.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{key}` must be more than {min} and at most {max}"),
                    )
                    .at(span)
                    .hint(format!("write a share such as `{key} = 0.25` (25 %)")),
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
                                format!("`{key}` is out of range"),
                            )
                            .at(span),
                        );
                        None
                    }
                }
            }
            _ => {
                d.push(self.wrong_type(key, "an integer", v));
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
        let example = format!("`{key} = 2026-10-01` (a TOML date: year-month-day, no quotes)");
        let date = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(x), None) => Date::new(i32::from(x.year), x.month, x.day),
                _ => {
                    d.push(
                        Diagnostic::error(
                            Code::WrongType,
                            format!("`{key}` must be a date, without a time"),
                        )
                        .at(span)
                        .label("expected a date")
                        .hint(format!("write only the day: {example}")),
                    );
                    return None;
                }
            },
            DeValue::String(text) => {
                d.push(
                    self.wrong_type(key, "a date", v)
                        .hint(format!("remove the quotes around `{text}`: {example}")),
                );
                return None;
            }
            _ => {
                d.push(
                    self.wrong_type(key, "a date", v)
                        .hint(format!("write {example}")),
                );
                return None;
            }
        };
        if date.is_none() {
            d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{key}` is not a day of the calendar"),
                )
                .at(span)
                .hint(format!("write {example}")),
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
                d.push(self.wrong_type(key, "a table", v));
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
            d.push(self.wrong_type(key, &format!("an array of tables (`[[{key}]]`)"), v));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.text.span(item.span()))),
                _ => d.push(self.wrong_type(key, "a table", item)),
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
                    self.what,
                    &known,
                ));
            }
        }
    }
}

pub fn unknown_key(span: Span, key: &str, what: &str, known: &[&str]) -> Diagnostic {
    let mut known: Vec<&str> = known.to_vec();
    known.sort_unstable();
    known.dedup();
    let hint = suggest::did_you_mean(key, known.iter().copied()).unwrap_or_else(|| {
        format!(
            "{what} takes: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into()
    });
    Diagnostic::error(Code::UnknownKey, format!("unknown key `{key}` in {what}"))
        .at(span)
        .label("not a known field")
        .hint(hint)
}

pub fn article(type_str: &str) -> String {
    match type_str {
        "integer" | "array" => format!("an {type_str}"),
        _ => format!("a {type_str}"),
    }
}
