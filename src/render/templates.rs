//! The Tera templates: built in (embedded in the binary), overridable by a site's own
//! `templates/` folder, file by file, in one Tera instance (a site's `base.html` or
//! `macros.html` changes every page that uses it, as Zola's site → theme fallback does).

use std::path::Path;

use tera::Tera;

use super::RenderError;

/// The built-in templates, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("header.html", include_str!("../../templates/header.html")),
    ("footer.html", include_str!("../../templates/footer.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("persona.html", include_str!("../../templates/persona.html")),
    (
        "persona_stage.html",
        include_str!("../../templates/persona_stage.html"),
    ),
    ("journey.html", include_str!("../../templates/journey.html")),
    ("stage.html", include_str!("../../templates/stage.html")),
    (
        "department.html",
        include_str!("../../templates/department.html"),
    ),
    (
        "playbook.html",
        include_str!("../../templates/playbook.html"),
    ),
    (
        "glossary.html",
        include_str!("../../templates/glossary.html"),
    ),
    (
        "onboarding.html",
        include_str!("../../templates/onboarding.html"),
    ),
    ("print.html", include_str!("../../templates/print.html")),
    ("roles.html", include_str!("../../templates/roles.html")),
    (
        "qualification.html",
        include_str!("../../templates/qualification.html"),
    ),
    ("quiz.html", include_str!("../../templates/quiz.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    (
        "freshness.html",
        include_str!("../../templates/freshness.html"),
    ),
    (
        "playbook_toc.html",
        include_str!("../../templates/playbook_toc.html"),
    ),
    (
        "journey_table.html",
        include_str!("../../templates/journey_table.html"),
    ),
];

/// The parts of every page that depend on nothing but `site` and `t`: rendered once per
/// build (not once per page, a fifth of the template work of a persona-at-stage page) and
/// given to every page as `partials.<name>`, which `base.html` writes.
pub const PARTIALS: [&str; 2] = ["header", "footer"];

/// `partials` for the pages: each of [`PARTIALS`] rendered with `site` and `t` alone; the
/// template error, if one fails.
pub fn render_partials(
    tera: &Tera,
    shared: &serde_json::Map<String, serde_json::Value>,
) -> Result<serde_json::Value, String> {
    let ctx = tera::Context::from_value(serde_json::Value::Object(shared.clone()))
        .map_err(|e| error_chain(&e))?;
    let mut partials = serde_json::Map::new();
    for name in PARTIALS {
        let file = format!("{name}.html");
        let html = tera
            .render(&file, &ctx)
            .map_err(|e| format!("{file}: {}", error_chain(&e)))?;
        partials.insert(name.to_string(), html.into());
    }
    Ok(serde_json::Value::Object(partials))
}

/// The built-in static assets, written under `assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[
    (
        "tabiji.css",
        include_bytes!("../../static/assets/tabiji.css"),
    ),
    ("tabiji.js", include_bytes!("../../static/assets/tabiji.js")),
    ("search.js", include_bytes!("../../static/assets/search.js")),
];

/// The Tera templates of a site: the built-in ones with the site's own on top.
pub struct Templates {
    pub tera: Tera,
    /// The names of the built-in templates the site replaces, sorted.
    pub overridden: Vec<String>,
    /// A hash of every template's name and text: part of each page's input fingerprint.
    pub fingerprint: u64,
}

/// Built-in templates, then the site's `templates/*.html` on top (same name replaces).
pub fn load_templates(site_root: Option<&Path>) -> Result<Templates, RenderError> {
    let mut tera = Tera::default();
    let mut overridden: Vec<String> = Vec::new();
    let mut all: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
        .collect();
    if let Some(root) = site_root {
        let dir = root.join("templates");
        crate::output::refuse_outside_link(root, &dir)?;
        if dir.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .map_err(|e| RenderError::Io {
                    path: dir.clone(),
                    source: e,
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            for path in entries {
                crate::output::refuse_outside_link(root, &path)?;
                let Some(name) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .map(str::to_string)
                else {
                    continue;
                };
                if crate::source::is_editor_litter(std::ffi::OsStr::new(&name)) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).map_err(|e| RenderError::Io {
                    path: path.clone(),
                    source: e,
                })?;
                match all.iter_mut().find(|(n, _)| *n == name) {
                    // A copy of a built-in template (as in tabiji's own repository) is not
                    // an override.
                    Some(slot) if slot.1 == text => {}
                    Some(slot) => {
                        slot.1 = text;
                        overridden.push(name);
                    }
                    None => all.push((name, text)),
                }
            }
        }
    }
    let fingerprint = super::fingerprint(&all);
    tera.add_raw_templates(all)
        .map_err(|e| RenderError::Template(error_chain(&e)))?;
    tera.autoescape_on(vec![".html"]);
    // One HTML escaper for the templates and the Rust that writes HTML.
    tera.set_escape_fn(super::sanitize::escape);
    // A site's templates must not publish the build's environment (CI secrets).
    tera.register_function("get_env", |_: &std::collections::HashMap<String, tera::Value>| {
        Err(tera::Error::msg(
            "get_env is not available in tabiji templates: a page must not publish the build's environment",
        ))
    });
    overridden.sort();
    Ok(Templates {
        tera,
        overridden,
        fingerprint,
    })
}

/// Tera nests the useful part of its messages in `source()`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
