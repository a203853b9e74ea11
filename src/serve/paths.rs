//! Turning a request path into a file of the built site, refusing anything that tries to
//! leave it.

use percent_encoding::percent_decode_str;

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by its output path (`personas/x/index.html`).
    File(String),
    /// The same URL with a trailing slash (a folder asked for without it), or the base URL.
    Redirect(String),
    /// Outside `base_url`.
    NotFound,
    /// An attempt to leave the output: `..`, encoded slashes, backslashes, NUL.
    BadRequest,
}

/// Map `raw` (the path of the request, still percent-encoded) under `base` (`/` or
/// `/sales/`) to an output path. `is_page` says whether `<path>/index.html` exists, to
/// redirect `/personas/x` to `/personas/x/`.
pub fn resolve(raw: &str, base: &str, is_page: impl Fn(&str) -> bool) -> Target {
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return Target::BadRequest;
    }
    let Some(rest) = raw.strip_prefix(base) else {
        if format!("{raw}/") == base || (raw == "/" && base != "/") {
            return Target::Redirect(base.to_string());
        }
        return Target::NotFound;
    };
    let Ok(decoded) = percent_decode_str(rest).decode_utf8() else {
        return Target::BadRequest;
    };
    if decoded.starts_with('/') || decoded.contains('\0') {
        return Target::BadRequest;
    }
    if decoded.split('/').any(|seg| seg == ".." || seg == ".") {
        return Target::BadRequest;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        return Target::File(format!("{decoded}index.html"));
    }
    let folder_page = format!("{decoded}/index.html");
    if is_page(&folder_page) {
        return Target::Redirect(format!("{raw}/"));
    }
    Target::File(decoded.into_owned())
}

/// The Content-Type for an output path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str) -> Target {
        resolve(path, "/", |p| p == "personas/a/index.html")
    }

    #[test]
    fn maps_pages_and_files() {
        assert_eq!(r("/"), Target::File("index.html".into()));
        assert_eq!(
            r("/personas/a/"),
            Target::File("personas/a/index.html".into())
        );
        assert_eq!(r("/personas/a"), Target::Redirect("/personas/a/".into()));
        assert_eq!(
            r("/assets/tabiji.css?v=1"),
            Target::File("assets/tabiji.css".into())
        );
        assert_eq!(
            r("/personas/%E6%83%85%E3%82%B7%E3%82%B9/"),
            Target::File("personas/情シス/index.html".into())
        );
    }

    #[test]
    fn refuses_to_leave_the_output() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/a%2f..%2fb",
            "/a%5c..",
            "/a\\b",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "/a/%00",
            "/%FF",
            "/./x",
        ] {
            assert_eq!(r(bad), Target::BadRequest, "{bad}");
        }
    }

    #[test]
    fn honours_a_sub_path_base() {
        let f = |_: &str| false;
        assert_eq!(
            resolve("/sales/", "/sales/", f),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve("/sales", "/sales/", f),
            Target::Redirect("/sales/".into())
        );
        assert_eq!(
            resolve("/", "/sales/", f),
            Target::Redirect("/sales/".into())
        );
        assert_eq!(resolve("/other/", "/sales/", f), Target::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
