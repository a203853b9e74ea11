//! The Markdown content files: personas, departments and playbooks, each a TOML front matter
//! and a Markdown body.

use toml::de::DeTable;

use super::front_matter::{self, SplitError};
use super::links::{self, LinkRef, TextOrigin};
use super::table::{Fields, TomlText};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::shape;
use crate::model::{Department, Id, Persona, Playbook, Spanned, Upkeep};
use crate::source::{FileId, Span};
use crate::t;

/// A split Markdown file.
struct FrontMatter<'s> {
    text: TomlText<'s>,
    table: Option<DeTable<'s>>,
    /// Where missing fields are reported: the closing `+++`, where one would add them.
    anchor: Span,
    body: Spanned<String>,
}

fn read_front_matter<'s>(file: FileId, src: &'s str, d: &mut Diagnostics) -> FrontMatter<'s> {
    let empty = TomlText {
        file,
        base: 0,
        src: "",
    };
    match front_matter::split(src) {
        Ok(split) => {
            let text = TomlText {
                file,
                base: split.toml.start,
                src: &src[split.toml.clone()],
            };
            let table = text.parse(d);
            FrontMatter {
                text,
                table,
                anchor: Span::new(file, split.close),
                body: Spanned::new(
                    src[split.body.clone()].to_string(),
                    Span::new(file, split.body),
                ),
            }
        }
        Err(SplitError::Missing { line, yaml }) => {
            let hint = if yaml {
                t!(
                    "tabiji reads TOML front matter between `+++` lines, not YAML between `---`: \
                     replace both `---` lines with `+++` and write `key = \"value\"`",
                    "tabiji が読むのは `+++` の行で囲んだ TOML のフロントマターで、`---` で囲んだ YAML ではありません。\
                     `---` の 2 行を `+++` に替え、`key = \"value\"` の形で書いてください"
                )
            } else if full_width_delimiter(&src[line.clone()]) {
                t!(
                    "`＋＋＋` is written in full-width characters: write `+++`",
                    "`＋＋＋` が全角で書かれています。半角の `+++` にしてください"
                )
            } else {
                t!(
                    "start the file with a line `+++`, the fields in TOML, and another line `+++`",
                    "ファイルの先頭に `+++` の行、TOML で書いた項目、もう一つの `+++` の行を置いてください"
                )
            };
            d.push(
                Diagnostic::error(
                    Code::FrontMatterMissing,
                    t!(
                        "this file has no front matter",
                        "このファイルにはフロントマターがありません"
                    ),
                )
                .at(Span::new(file, line.clone()))
                .label(t!("expected `+++` here", "ここに `+++` が必要です"))
                .hint(hint),
            );
            FrontMatter {
                text: empty,
                table: None,
                anchor: Span::new(file, line),
                body: Spanned::new(String::new(), Span::file_start(file)),
            }
        }
        Err(SplitError::Unclosed { open }) => {
            let full_width = src
                .split('\n')
                .enumerate()
                .skip(1)
                .find(|(_, l)| full_width_delimiter(l));
            let hint = match full_width {
                Some((i, _)) => {
                    let n = i + 1;
                    t!(
                        "line {n} is `＋＋＋` in full-width characters: write `+++`",
                        "{n} 行目の `＋＋＋` が全角で書かれています。半角の `+++` にしてください"
                    )
                }
                None => t!(
                    "end the front matter with a line holding only `+++`",
                    "`+++` だけの行でフロントマターを閉じてください"
                ),
            };
            d.push(
                Diagnostic::error(
                    Code::FrontMatterUnclosed,
                    t!(
                        "the front matter is never closed",
                        "フロントマターが閉じられていません"
                    ),
                )
                .at(Span::new(file, open.clone()))
                .label(t!("opened here", "ここで始まっています"))
                .hint(hint),
            );
            FrontMatter {
                text: empty,
                table: None,
                anchor: Span::new(file, open),
                body: Spanned::new(String::new(), Span::file_start(file)),
            }
        }
    }
}

/// `＋＋＋`: the delimiter typed with the IME on.
fn full_width_delimiter(line: &str) -> bool {
    let line = line.trim();
    line != "+++" && super::ime::half_width(line) == "+++"
}

fn scan_body(body: &Spanned<String>, links: &mut Vec<LinkRef>, d: &mut Diagnostics) {
    let origin = TextOrigin::body(body.span.file, body.span.start as usize, body.value.len());
    links::scan(&body.value, origin, links, d);
}

/// Scan an inline-Markdown TOML string for links.
pub fn scan_toml_string(
    full_src: &str,
    value: &Spanned<String>,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) {
    let raw = full_src.get(value.span.range()).unwrap_or("");
    links::scan(&value.value, TextOrigin::toml_string(value, raw), links, d);
}

fn placeholder(anchor: Span) -> Spanned<String> {
    Spanned::new(String::new(), anchor)
}

fn placeholder_ref(anchor: Span) -> Spanned<Id> {
    Spanned::new(Id::lookup(""), anchor)
}

pub fn persona(
    id: Id,
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Persona {
    let fm = read_front_matter(file, src, d);
    let mut p = Persona {
        id,
        file,
        name: placeholder(fm.anchor),
        role: None,
        summary: None,
        company: None,
        goals: Vec::new(),
        concerns: Vec::new(),
        upkeep: Upkeep::default(),
        body: fm.body.clone(),
    };
    if let Some(table) = &fm.table {
        let mut f = Fields::new(fm.text, table, fm.anchor, &shape::PERSONA);
        p.name = f.req_str("name", d);
        p.role = f.opt_str("role", d);
        p.summary = f.opt_str("summary", d);
        p.company = f.opt_str("company", d);
        p.goals = f.str_list("goals", d);
        p.concerns = f.str_list("concerns", d);
        p.upkeep = f.upkeep(d);
        f.finish(d);
    }
    scan_body(&p.body, links, d);
    p
}

pub fn department(
    id: Id,
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Department {
    let fm = read_front_matter(file, src, d);
    let mut dep = Department {
        id,
        file,
        name: placeholder(fm.anchor),
        clients: Vec::new(),
        suppliers: Vec::new(),
        kpis: Vec::new(),
        upkeep: Upkeep::default(),
        body: fm.body.clone(),
    };
    if let Some(table) = &fm.table {
        let mut f = Fields::new(fm.text, table, fm.anchor, &shape::DEPARTMENT);
        dep.name = f.req_str("name", d);
        dep.clients = f.ref_list("clients", d);
        dep.suppliers = f.ref_list("suppliers", d);
        dep.kpis = f.str_list("kpis", d);
        dep.upkeep = f.upkeep(d);
        f.finish(d);
    }
    scan_body(&dep.body, links, d);
    dep
}

/// `stage = "…"` or `stages = ["…", "…"]`: exactly one of the two, and a list not empty.
fn playbook_stages(f: &mut Fields<'_, '_>, anchor: Span, d: &mut Diagnostics) -> Vec<Spanned<Id>> {
    let one = f.opt_ref("stage", d);
    let written = f.has("stages");
    let many = f.ref_list("stages", d);
    let many = written.then_some(many);
    match (one, many) {
        (Some(one), None) => vec![one],
        (None, Some(many)) if !many.is_empty() => many,
        (Some(one), Some(many)) => {
            let at = many.first().map_or(one.span, |s| s.span);
            d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    t!(
                        "a playbook has `stage` or `stages`, not both",
                        "プレイブックには `stage` か `stages` のどちらか一方だけを書きます"
                    ),
                )
                .at(at)
                .hint(t!(
                    "keep `stages = [...]` and remove `stage`, or the other way round",
                    "`stages = [...]` を残して `stage` を消すか、その逆にしてください"
                )),
            );
            vec![one]
        }
        (None, Some(_)) => {
            d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    t!("`stages` cannot be empty", "`stages` を空にはできません"),
                )
                .at(anchor)
                .hint(t!(
                    "name at least one stage: `stages = [\"consideration\"]`",
                    "ステージを 1 つ以上指定してください: `stages = [\"consideration\"]`"
                )),
            );
            vec![placeholder_ref(anchor)]
        }
        (None, None) => {
            d.push(
                Diagnostic::error(
                    Code::MissingField,
                    t!(
                        "playbook front matter has no `stage`",
                        "プレイブックのフロントマターに `stage` がありません"
                    ),
                )
                .at(anchor)
                .label(t!("`stage` is required here", "`stage` は必須です"))
                .hint(t!(
                    "add `stage = \"…\"`, or `stages = [\"…\", \"…\"]` for a playbook used at several stages",
                    "`stage = \"…\"` を追加してください。複数のステージで使うプレイブックなら `stages = [\"…\", \"…\"]` と書きます"
                )),
            );
            vec![placeholder_ref(anchor)]
        }
    }
}

pub fn playbook(
    id: Id,
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Playbook {
    let fm = read_front_matter(file, src, d);
    let mut p = Playbook {
        id,
        file,
        title: placeholder(fm.anchor),
        stages: vec![placeholder_ref(fm.anchor)],
        departments: Vec::new(),
        qualifies: Vec::new(),
        personas: Vec::new(),
        order: None,
        upkeep: Upkeep::default(),
        body: fm.body.clone(),
    };
    if let Some(table) = &fm.table {
        let mut f = Fields::new(fm.text, table, fm.anchor, &shape::PLAYBOOK);
        p.title = f.req_str("title", d);
        p.stages = playbook_stages(&mut f, fm.anchor, d);
        p.departments = f.ref_list("departments", d);
        p.qualifies = f.str_list("qualifies", d);
        p.personas = f.ref_list("personas", d);
        p.order = f.opt_int("order", d);
        p.upkeep = f.upkeep(d);
        f.finish(d);
    }
    scan_body(&p.body, links, d);
    p
}
