//! The front-matter splitter on any text: never panics, and the parts it returns are in
//! order, within the text and on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(s) = tabiji::load::split_front_matter(text) {
        assert!(s.open.end <= s.toml.start && s.toml.end <= s.close.start && s.close.end <= s.body.start);
        assert!(s.body.end == text.len());
        for r in [&s.open, &s.toml, &s.close, &s.body] {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
});
