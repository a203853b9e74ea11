//! `tabiji schema`: JSON Schemas (draft-07) for every file kind, made from the same field
//! tables the loader reads files against ([`crate::model::shape`]), for editors such as
//! taplo / Even Better TOML to complete fields and flag mistakes as you type.

use serde_json::{Map, Value, json};

use crate::model::Site;
use crate::model::shape::{self, FieldType, Shape};

/// The ids of one site: with them, the schemas list the allowed stage, row, persona and
/// department ids, so an editor flags `probelm` or `marketting` as you type.
#[derive(Default)]
pub struct Vocabulary {
    pub stages: Vec<(String, String)>,
    pub rows: Vec<(String, String)>,
    pub phases: Vec<String>,
    pub personas: Vec<String>,
    pub departments: Vec<String>,
}

impl Vocabulary {
    pub fn of(site: &Site) -> Vocabulary {
        let c = &site.config;
        Vocabulary {
            stages: c
                .stages
                .iter()
                .map(|s| (s.id.value.to_string(), s.name.value.clone()))
                .collect(),
            rows: c
                .rows
                .iter()
                .map(|r| (r.id.value.to_string(), r.name.value.clone()))
                .collect(),
            phases: c.phases.iter().map(|p| p.id.value.to_string()).collect(),
            personas: site.personas.keys().map(|k| k.to_string()).collect(),
            departments: site.departments.keys().map(|k| k.to_string()).collect(),
        }
    }

    /// The ids a reference field may name, if known.
    fn ids_for(&self, field: &str) -> Option<Vec<&str>> {
        let v: Vec<&str> = match field {
            "persona" | "personas" => self.personas.iter().map(String::as_str).collect(),
            "department" | "departments" | "owner" | "clients" | "suppliers" => {
                self.departments.iter().map(String::as_str).collect()
            }
            "stage" => self.stages.iter().map(|s| s.0.as_str()).collect(),
            "phase" => self.phases.iter().map(String::as_str).collect(),
            _ => return None,
        };
        (!v.is_empty()).then_some(v)
    }
}

/// (file name, the file kind it describes, the shape)
pub const SCHEMAS: &[(&str, &str, &Shape)] = &[
    ("tabiji.schema.json", "tabiji.toml", &shape::CONFIG),
    (
        "journey.schema.json",
        "content/journeys/<id>.toml",
        &shape::JOURNEY,
    ),
    (
        "persona.schema.json",
        "front matter of content/personas/<id>.md",
        &shape::PERSONA,
    ),
    (
        "department.schema.json",
        "front matter of content/departments/<id>.md",
        &shape::DEPARTMENT,
    ),
    (
        "playbook.schema.json",
        "front matter of content/playbooks/<id>.md",
        &shape::PLAYBOOK,
    ),
    (
        "glossary.schema.json",
        "content/glossary.toml",
        &shape::GLOSSARY,
    ),
    (
        "onboarding.schema.json",
        "content/onboarding.toml",
        &shape::ONBOARDING,
    ),
    (
        "quiz.schema.json",
        "content/quizzes/<id>.toml",
        &shape::QUIZ,
    ),
];

fn field_schema(name: &str, ty: FieldType, doc: &str, vocab: Option<&Vocabulary>) -> Value {
    let ids = vocab.and_then(|v| v.ids_for(name));
    let mut v = match ty {
        FieldType::Text { markdown } => {
            let mut o = json!({ "type": "string" });
            if markdown {
                o["x-tabiji-markdown"] = json!(true);
            }
            o
        }
        FieldType::Id => match ids {
            Some(ids) => json!({ "type": "string", "enum": ids }),
            None => json!({ "type": "string", "minLength": 1 }),
        },
        FieldType::IdList => match ids {
            Some(ids) => json!({ "type": "array", "items": { "type": "string", "enum": ids } }),
            None => json!({ "type": "array", "items": { "type": "string", "minLength": 1 } }),
        },
        FieldType::TextList => json!({ "type": "array", "items": { "type": "string" } }),
        FieldType::TextListMin(min) => {
            json!({ "type": "array", "items": { "type": "string" }, "minItems": min })
        }
        FieldType::Integer { min, max } => {
            let mut o = json!({ "type": "integer" });
            if let Some(m) = min {
                o["minimum"] = json!(m);
            }
            if let Some(m) = max {
                o["maximum"] = json!(m);
            }
            o
        }
        FieldType::Number { min, max } => {
            json!({ "type": "number", "exclusiveMinimum": min, "maximum": max })
        }
        // Taplo and Even Better TOML read `format: date` as a TOML local date.
        FieldType::Date => json!({ "type": "string", "format": "date" }),
        FieldType::Enum(values) => json!({ "type": "string", "enum": values }),
        FieldType::Map(inner) => {
            let mut o =
                json!({ "type": "object", "additionalProperties": object_schema(inner, vocab) });
            // The keys of `[stages.<id>]` are stage ids.
            if let Some(v) = vocab.filter(|v| name == "stages" && !v.stages.is_empty()) {
                o["propertyNames"] =
                    json!({ "enum": v.stages.iter().map(|s| s.0.as_str()).collect::<Vec<_>>() });
            }
            o
        }
        FieldType::Tables(inner) => {
            json!({ "type": "array", "items": object_schema(inner, vocab) })
        }
        FieldType::Table(inner) => object_schema(inner, vocab),
    };
    if !doc.is_empty() {
        v["description"] = json!(doc);
    }
    v
}

fn object_schema(s: &Shape, vocab: Option<&Vocabulary>) -> Value {
    let mut props = Map::new();
    for f in s.fields {
        props.insert(f.name.to_string(), field_schema(f.name, f.ty, f.doc, vocab));
    }
    let additional = match (s.extra, vocab.filter(|v| !v.rows.is_empty())) {
        // A journey stage of a known site: its row ids are its only other keys.
        (Some(ty), Some(v)) => {
            for (id, row_name) in &v.rows {
                props.insert(
                    id.clone(),
                    field_schema(id, ty, &format!("{row_name} (inline Markdown)"), None),
                );
            }
            json!(false)
        }
        (Some(ty), None) => field_schema(
            "",
            ty,
            "A row id of tabiji.toml: the text of that row at this stage (inline Markdown).",
            None,
        ),
        (None, _) => json!(false),
    };
    let mut o = json!({
        "type": "object",
        "title": s.title,
        "properties": props,
        "additionalProperties": additional,
    });
    let required: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

/// Every schema: file name and JSON text (pretty, with a final newline). With a site's
/// vocabulary, ids are listed; without, any id is accepted.
pub fn schemas(vocab: Option<&Vocabulary>) -> Vec<(&'static str, String)> {
    SCHEMAS
        .iter()
        .map(|(name, describes, shape)| {
            let mut s = object_schema(shape, vocab);
            s["$schema"] = json!("http://json-schema.org/draft-07/schema#");
            s["$id"] = json!(format!("https://tabiji.invalid/schemas/{name}"));
            s["description"] = json!(format!("tabiji: {describes}"));
            let mut text = serde_json::to_string_pretty(&s).unwrap_or_default();
            text.push('\n');
            (*name, text)
        })
        .collect()
}
