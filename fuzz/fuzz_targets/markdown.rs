//! Markdown rendering (link resolution, raw-HTML sanitising) on any text: never panics, and
//! nothing that could run survives: no `<script`, no event-handler attribute, no
//! `javascript:` link.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tabiji::load::{InputFile, load_files};
use tabiji::render::urls::Urls;

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
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{html}");
        assert!(!lower.contains("<iframe"), "{html}");
        assert!(!lower.contains("href=\"javascript:"), "{html}");
        assert!(!lower.contains("src=\"javascript:"), "{html}");
        // An attribute `on…=` can only come from a tag tabiji wrote, and it writes none.
        for (i, _) in lower.match_indices(" on") {
            let rest = &lower[i + 3..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if !name.is_empty() && rest[name.len()..].starts_with('=') {
                // Inside text it is escaped or harmless; inside a tag it would be an attribute.
                let before = &lower[..i];
                let open = before.rfind('<');
                let close = before.rfind('>');
                assert!(open.is_none() || close > open, "event handler in a tag: {html}");
            }
        }
    }
});
