//! Markdown rendering (link resolution, raw-HTML sanitising) on any text: never panics, and
//! nothing that could run survives: no `<script`, no event-handler attribute, no
//! `javascript:` link.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tabiji::load::{InputFile, load_files};
use tabiji::urls::Urls;

fuzz_target!(|text: &str| {
    let site = load_files(
        vec![InputFile {
            path: "tabiji.toml".into(),
            bytes: b"title='t'\n[[stages]]\nid='a'\nname='A'\n[[rows]]\nid='r'\nname='R'\n".to_vec(),
        }],
        "",
    )
    .site;
    let urls = Urls::new(&site, "/");
    for html in [tabiji::render::render_block(text, &urls).html, tabiji::render::render_inline(text, &urls)] {
        // Text never holds a raw `<` (it is escaped), so every `<…>` is a tag tabiji wrote
        // or let through: check each one. Words like `src="javascript:` in text are harmless.
        let lower = html.to_ascii_lowercase();
        let mut rest = lower.as_str();
        while let Some(lt) = rest.find('<') {
            let after = &rest[lt + 1..];
            let Some(gt) = after.find('>') else { break };
            let tag = &after[..gt];
            let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            assert!(!["script", "iframe", "object", "embed", "style", "svg"].contains(&name.as_str()), "tag <{tag}> in {html}");
            for (key, value) in attributes(tag.trim_start_matches('/').trim_start_matches(name.as_str())) {
                assert!(!key.starts_with("on"), "event handler in <{tag}>: {html}");
                assert!(key != "style", "style attribute in <{tag}>: {html}");
                if key == "href" || key == "src" {
                    for bad in ["javascript:", "data:", "vbscript:"] {
                        assert!(!value.starts_with(bad), "{bad} URL in <{tag}>: {html}");
                    }
                }
            }
            rest = &after[gt + 1..];
        }
    }
});

/// `key="value"` pairs of a tag's inside (values are always double-quoted in tabiji's HTML).
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() || s.starts_with('/') {
            return out;
        }
        let end = s.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(s.len());
        let key = s[..end].to_string();
        s = &s[end..];
        if let Some(rest) = s.strip_prefix("=\"") {
            let close = rest.find('"').unwrap_or(rest.len());
            out.push((key, rest[..close].to_string()));
            s = rest.get(close + 1..).unwrap_or("");
        } else {
            out.push((key, String::new()));
        }
    }
}
