//! `tabiji.toml`: title, language, base URL, phases, stages, rows.

use super::table::{Fields, TomlText};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::shape;
use crate::model::{Config, Language, Phase, Row, Spanned, Stage};
use crate::source::{FileId, Span};
use crate::t;

/// Read `tabiji.toml`. The `bool` is false when the file could not be read as TOML at all:
/// references to stages and rows are then not checked, to avoid a flood of follow-ups.
pub fn parse(file: FileId, src: &str, d: &mut Diagnostics) -> (Config, bool) {
    let text = TomlText { file, base: 0, src };
    let anchor = Span::file_start(file);
    let mut config = Config {
        title: Spanned::new(String::new(), anchor),
        language: Language::Ja,
        base_url: "/".into(),
        description: None,
        edit_url: None,
        review_days: None,
        phases: Vec::new(),
        stages: Vec::new(),
        rows: Vec::new(),
        roles: Vec::new(),
        frameworks: Vec::new(),
        history: None,
    };
    let note = t!(
        "until tabiji.toml reads, references to stages and rows in the other files are not checked",
        "tabiji.toml を読めるようになるまで、ほかのファイルからステージと行への参照は確認しません"
    );
    let Some(table) = text.parse_noting(d, Some(note)) else {
        // The messages about it are still said in the site's language, if a line says it.
        config.language = declared_language(src).unwrap_or_default();
        return (config, false);
    };
    let mut f = Fields::new(text, &table, anchor, &shape::CONFIG);
    config.title = f.req_str("title", d);
    if let Some(lang) = f.opt_str("language", d) {
        config.language =
            match lang.value.as_str() {
                "ja" => Language::Ja,
                "en" => Language::En,
                other => {
                    d.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        t!("unknown language `{other}`", "`{other}` という言語はありません"),
                    )
                    .at(lang.span)
                    .label(t!("expected \"ja\" or \"en\"", "\"ja\" か \"en\" を指定します"))
                    .hint(t!(
                        "tabiji's built-in labels exist in Japanese (\"ja\") and English (\"en\")",
                        "tabiji の組み込みの表示は日本語（\"ja\"）と英語（\"en\"）で用意しています"
                    )),
                );
                    Language::Ja
                }
            };
    }
    if let Some(url) = f.opt_str("base_url", d) {
        match normalize_base_url(&url.value) {
            Some(u) => config.base_url = u,
            None => d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    t!(
                        "invalid base_url `{v}`",
                        "base_url `{v}` は使えません";
                        v = url.value
                    ),
                )
                .at(url.span)
                .label(t!(
                    "must be a path starting with one `/`, or `https://host/path`",
                    "`/` 1 つで始まるパスか、`https://host/path` の形にします"
                ))
                .hint(t!(
                    "use \"/\" at the root of a host, or \"/sales/\" under a sub-path",
                    "ホストの直下なら \"/\"、サブパスの下なら \"/sales/\" のように書いてください"
                )),
            ),
        }
    }
    config.description = f.opt_str("description", d);
    if let Some((t, span)) = f.opt_table("history", d) {
        let mut hf = Fields::new(text, t, span, &shape::HISTORY);
        if let Some(n) = hf.req_int("commits", "30", d) {
            match u32::try_from(n.value) {
                Ok(c) if (1..=1000).contains(&c) => config.history = Some(Spanned::new(c, n.span)),
                _ => d.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        t!(
                            "`commits` must be from 1 to 1000, not {v}",
                            "`commits` は 1 から 1000 までで指定してください（{v} になっています）";
                            v = n.value
                        ),
                    )
                    .at(n.span)
                    .hint(t!(
                        "the page covers this many of the latest commits that changed the site, e.g. `commits = 30`",
                        "サイトを変更した最新のコミットのうち、この数だけをページに載せます。例: `commits = 30`"
                    )),
                ),
            }
        }
        hf.finish(d);
    }
    config.edit_url = f.opt_str("edit_url", d);
    if let Some(u) = &config.edit_url
        && !u.value.contains("{path}")
    {
        d.push(
            Diagnostic::error(
                Code::InvalidValue,
                t!(
                    "`edit_url` has no `{{path}}`",
                    "`edit_url` に `{{path}}` がありません"
                ),
            )
            .at(u.span)
            .label(t!(
                "the source file's path goes where `{{path}}` is",
                "`{{path}}` の位置に元のファイルのパスが入ります"
            ))
            .hint(t!(
                "e.g. \"https://github.com/acme/playbook/edit/main/{{path}}\"",
                "例: \"https://github.com/acme/playbook/edit/main/{{path}}\""
            )),
        );
    }
    config.review_days = f.opt_int("review_days", d);
    if let Some(r) = config.review_days.as_ref().filter(|r| r.value < 1) {
        d.push(
            Diagnostic::error(
                Code::InvalidValue,
                t!(
                    "`review_days` must be at least 1",
                    "`review_days` は 1 以上にしてください"
                ),
            )
            .at(r.span)
            .hint(t!(
                "e.g. `review_days = 180`: pages reviewed more than 180 days ago need review",
                "例: `review_days = 180` なら、確認から 180 日を過ぎたページを要確認にします"
            )),
        );
    }

    for (t, span) in f.tables("phases", d) {
        let mut pf = Fields::new(text, t, span, &shape::PHASE);
        let phase = Phase {
            id: pf.req_id("id", d),
            name: pf.req_str("name", d),
            span,
        };
        pf.finish(d);
        config.phases.push(phase);
    }
    let stage_tables = f.tables("stages", d);
    let at = |key: &str| table.get(key).map_or(anchor, |v| text.span(v.span()));
    if stage_tables.is_empty() {
        d.push(
            Diagnostic::error(
                Code::MissingField,
                t!(
                    "tabiji.toml declares no stages",
                    "tabiji.toml にステージが 1 つもありません"
                ),
            )
            .at(at("stages"))
            .hint(t!(
                "add at least one `[[stages]]` table with `id` and `name`",
                "`id` と `name` を書いた `[[stages]]` テーブルを 1 つ以上追加してください"
            )),
        );
    }
    for (t, span) in stage_tables {
        let mut sf = Fields::new(text, t, span, &shape::STAGE);
        let stage = Stage {
            id: sf.req_id("id", d),
            name: sf.req_str("name", d),
            summary: sf.opt_str("summary", d),
            phase: sf.opt_ref("phase", d),
            owner: sf.opt_ref("owner", d),
            conversion: sf.opt_number("conversion", 0.0, 1.0, d),
            recycle_to: sf.opt_ref("recycle_to", d),
            span,
        };
        sf.finish(d);
        config.stages.push(stage);
    }
    let row_tables = f.tables("rows", d);
    if row_tables.is_empty() {
        d.push(
            Diagnostic::error(
                Code::MissingField,
                t!("tabiji.toml declares no rows", "tabiji.toml に行が 1 つもありません"),
            )
            .at(at("rows"))
            .hint(t!(
                "add at least one `[[rows]]` table with `id` and `name`, e.g. id = \"problem\", name = \"課題\"",
                "`id` と `name` を書いた `[[rows]]` テーブルを 1 つ以上追加してください。例: id = \"problem\", name = \"課題\""
            )),
        );
    }
    for (t, span) in row_tables {
        let mut rf = Fields::new(text, t, span, &shape::ROW);
        let row = Row {
            id: rf.req_id("id", d),
            name: rf.req_str("name", d),
            description: rf.opt_str("description", d),
            span,
        };
        rf.finish(d);
        config.rows.push(row);
    }
    (config.roles, config.frameworks) = super::method::roles_and_frameworks(&mut f, text, d);
    f.finish(d);
    (config, true)
}

/// `/`, `/sales`, `/sales/`, `https://x.example/sales` → with a trailing slash.
///
/// A base URL is prefixed to every link of every page, so it must not be able to send
/// readers elsewhere: a path starts with exactly one `/` (`//evil.example/` is another
/// host to a browser), an absolute URL is `http(s)://host[:port]` followed by a path, and
/// backslashes (which browsers read as `/`), control characters, spaces, `?`, `#`,
/// quotes and angle brackets are refused everywhere.
pub fn normalize_base_url(s: &str) -> Option<String> {
    let path = if let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    {
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host_ok = !host.is_empty()
            && !host.starts_with([':', '.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return None;
        }
        if path.is_empty() { "/" } else { path }
    } else {
        s
    };
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(|c: char| c.is_whitespace() || c.is_control())
        && !path.contains(['\\', '?', '#', '"', '<', '>'])
        && !path.split('/').any(|seg| seg == "..");
    if !ok {
        return None;
    }
    Some(if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    })
}

/// The language a site folder's `tabiji.toml` declares, read before (or without) the
/// rest of the site: the command line speaks it even when a command fails after reading
/// the site, or before reading it. `None` without a readable `tabiji.toml`.
pub fn language_of(site: &std::path::Path) -> Option<Language> {
    let text = std::fs::read_to_string(site.join("tabiji.toml")).ok()?;
    match toml::from_str::<toml::Table>(&text) {
        Ok(t) => match t.get("language").and_then(|v| v.as_str()) {
            Some("en") => Some(Language::En),
            // "ja", absent (the default) or a mistake that `check` reports.
            _ => Some(Language::Ja),
        },
        Err(_) => Some(declared_language(&text).unwrap_or_default()),
    }
}

/// `language = "en"` on a line of its own, for a `tabiji.toml` that does not read as TOML.
fn declared_language(src: &str) -> Option<Language> {
    src.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if key.trim() != "language" {
            return None;
        }
        // `language = "en"   # a comment`, as `init` writes it.
        let value = value.split('#').next().unwrap_or("");
        match value.trim().trim_matches(|c| c == '"' || c == '\'') {
            "ja" => Some(Language::Ja),
            "en" => Some(Language::En),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_config_still_says_its_language() {
        let mut d = Diagnostics::default();
        let (config, read) = parse(
            FileId(0),
            "title = \"x\"\nlanguage = \"en\"\n[[stages]\n",
            &mut d,
        );
        assert!(!read);
        assert_eq!(config.language, Language::En);
        assert_eq!(declared_language("language='ja'"), Some(Language::Ja));
        assert_eq!(declared_language("languages = \"en\""), None);
        assert_eq!(
            declared_language("language = \"en\"   # built-in labels"),
            Some(Language::En)
        );
    }

    #[test]
    fn base_urls_get_a_trailing_slash() {
        assert_eq!(normalize_base_url("/").as_deref(), Some("/"));
        assert_eq!(normalize_base_url("/sales").as_deref(), Some("/sales/"));
        assert_eq!(
            normalize_base_url("https://x.jp/a/").as_deref(),
            Some("https://x.jp/a/")
        );
        assert_eq!(normalize_base_url("sales/"), None);
        assert_eq!(normalize_base_url("/a b/"), None);
        assert_eq!(
            normalize_base_url("http://localhost:8080").as_deref(),
            Some("http://localhost:8080/")
        );
    }

    #[test]
    fn base_urls_cannot_leave_the_site() {
        for bad in [
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example/",
            "https://",
            "https:",
            "http:///x",
            "https://evil.example\\@x/",
            "javascript:alert(1)",
            "/a/../../x/",
            "/a\u{1b}[31m/",
            "https://a b/",
        ] {
            assert_eq!(normalize_base_url(bad), None, "{bad:?}");
        }
    }
}
