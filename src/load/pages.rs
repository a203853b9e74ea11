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
                "tabiji reads TOML front matter between `+++` lines, not YAML between `---`: \
                 replace both `---` lines with `+++` and write `key = \"value\"`"
            } else {
                "start the file with a line `+++`, the fields in TOML, and another line `+++`"
            };
            d.push(
                Diagnostic::error(Code::FrontMatterMissing, "this file has no front matter")
                    .at(Span::new(file, line.clone()))
                    .label("expected `+++` here")
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
            d.push(
                Diagnostic::error(
                    Code::FrontMatterUnclosed,
                    "the front matter is never closed",
                )
                .at(Span::new(file, open.clone()))
                .label("opened here")
                .hint("end the front matter with a line holding only `+++`"),
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
                    "a playbook has `stage` or `stages`, not both",
                )
                .at(at)
                .hint("keep `stages = [...]` and remove `stage`, or the other way round"),
            );
            vec![one]
        }
        (None, Some(_)) => {
            d.push(
                Diagnostic::error(Code::InvalidValue, "`stages` cannot be empty")
                    .at(anchor)
                    .hint("name at least one stage: `stages = [\"consideration\"]`"),
            );
            vec![placeholder_ref(anchor)]
        }
        (None, None) => {
            d.push(
                Diagnostic::error(Code::MissingField, "playbook front matter has no `stage`")
                    .at(anchor)
                    .label("`stage` is required here")
                    .hint("add `stage = \"…\"`, or `stages = [\"…\", \"…\"]` for a playbook used at several stages"),
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
