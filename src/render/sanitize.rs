//! Raw HTML inside Markdown: an allowlist, not a blocklist.
//!
//! Only a handful of harmless formatting tags pass, and only without attributes (except
//! `open` on `<details>`); everything else is shown as text. So no `<script>`, no `onerror=`,
//! no `style=`, no `<iframe>`, whatever tricks the input plays: nothing with an attribute can
//! get through at all.

const ALLOWED: &[&str] = &[
    "br", "details", "summary", "kbd", "sub", "sup", "mark", "small", "ins", "del", "s", "u",
    "abbr", "ruby", "rt", "rp", "b", "i", "em", "strong", "code", "wbr", "hr",
];

/// Turn a raw HTML fragment from Markdown into safe HTML: allowed tags are kept (normalised),
/// comments dropped, anything else escaped.
pub fn sanitize_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    let mut rest = raw;
    while let Some(lt) = rest.find('<') {
        out.push_str(&escape(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = match after.find("-->") {
                Some(end) => &after[end + 3..],
                None => "",
            };
            continue;
        }
        match rest.find('>') {
            Some(gt) => {
                let tag = &rest[..=gt];
                match allowed_tag(tag) {
                    Some(clean) => out.push_str(&clean),
                    None => out.push_str(&escape(tag)),
                }
                rest = &rest[gt + 1..];
            }
            None => {
                out.push_str(&escape(rest));
                rest = "";
            }
        }
    }
    out.push_str(&escape(rest));
    out
}

/// `<br>`, `</kbd>`, `<br/>`, `<details open>` → the normalised tag; anything else → `None`.
fn allowed_tag(tag: &str) -> Option<String> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let inner = inner.trim_end().trim_end_matches('/').trim_end();
    let (name, attrs) = match inner.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (inner, ""),
    };
    let name = name.to_ascii_lowercase();
    if !ALLOWED.contains(&name.as_str()) {
        return None;
    }
    if closing {
        return attrs.is_empty().then(|| format!("</{name}>"));
    }
    match attrs {
        "" => Some(format!("<{name}>")),
        "open" if name == "details" => Some("<details open>".to_string()),
        _ => None,
    }
}

/// Escapes text for HTML, in element content and in quoted attribute values: the one
/// escaper of tabiji, used by the templates (autoescaping) and by Rust code alike.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `i` is on a character boundary.
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_harmless_formatting() {
        assert_eq!(sanitize_html("a<br>b"), "a<br>b");
        assert_eq!(sanitize_html("<BR/>"), "<br>");
        assert_eq!(
            sanitize_html("<details open><summary>x</summary>"),
            "<details open><summary>x</summary>"
        );
        assert_eq!(sanitize_html("<kbd>Ctrl</kbd>"), "<kbd>Ctrl</kbd>");
    }

    #[test]
    fn escapes_everything_else() {
        assert_eq!(
            sanitize_html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            sanitize_html("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            sanitize_html("<br onclick=\"x\">"),
            "&lt;br onclick=&quot;x&quot;&gt;"
        );
        assert_eq!(
            sanitize_html("<details ontoggle=alert(1)>"),
            "&lt;details ontoggle=alert(1)&gt;"
        );
        assert_eq!(
            sanitize_html("<a href=\"javascript:x\">"),
            "&lt;a href=&quot;javascript:x&quot;&gt;"
        );
        assert_eq!(sanitize_html("<!-- hidden -->ok"), "ok");
        assert_eq!(
            sanitize_html("<scr<script>ipt>"),
            "&lt;scr&lt;script&gt;ipt&gt;"
        );
        assert_eq!(sanitize_html("a < b"), "a &lt; b");
    }
}
