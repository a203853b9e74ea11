//! The HTTP side of `serve`: pages and files from memory, the reload event stream, the
//! error overlay.

use crate::i18n::Lang;
use crate::t;
use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};

use super::paths::{self, Target};
use super::state::{Failure, Live, Snapshot};

/// Served under this prefix, whatever the site's base URL; never part of a built site.
pub const PREFIX: &str = "/__tabiji/";

const LIVE_JS: &str = include_str!("live.js");

pub fn router(live: Arc<Live>, hosts: Arc<Hosts>) -> Router {
    Router::new()
        .route("/__tabiji/events", get(events))
        .route("/__tabiji/live.js", get(live_js))
        .fallback(page)
        .with_state(live.clone())
        .layer(axum::middleware::from_fn_with_state((hosts, live), guard))
}

/// The Host names a request may carry: loopback always (`localhost`, 127.0.0.0/8, `[::1]`),
/// plus, when bound beyond loopback, the bind address and the `--allow-host` names. Any
/// other name is what a DNS-rebinding page would send: such requests get 403, so a web page
/// elsewhere cannot read the preview through the user's browser.
#[derive(Debug, Default)]
pub struct Hosts {
    names: Vec<String>,
}

impl Hosts {
    pub fn new(bind: std::net::IpAddr, allowed: &[String]) -> Hosts {
        let mut names: Vec<String> = allowed.iter().map(|n| normal_host(n)).collect();
        if !bind.is_loopback() && !bind.is_unspecified() {
            names.push(match bind {
                std::net::IpAddr::V4(a) => a.to_string(),
                std::net::IpAddr::V6(a) => format!("[{a}]"),
            });
        }
        Hosts { names }
    }

    /// Whether a Host header's value (with or without a port) may be served.
    pub fn allows(&self, host: &str) -> bool {
        let name = normal_host(host);
        name == "localhost"
            || name == "[::1]"
            || name
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|a| a.is_loopback())
            || self.names.contains(&name)
    }
}

/// A host without its port, lower case, without a final dot.
fn normal_host(host: &str) -> String {
    let host = host.trim();
    let name = if host.starts_with('[') {
        host.find(']').map_or(host, |i| &host[..=i])
    } else {
        match host.rsplit_once(':') {
            Some((n, port)) if port.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => host,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Only GET and HEAD, only for an allowed Host.
async fn guard(
    State((hosts, live)): State<(Arc<Hosts>, Arc<Live>)>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let lang = live.lang();
    let host = req.uri().host().map(str::to_string).or_else(|| {
        req.headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
    });
    match host {
        Some(h) if hosts.allows(&h) => {}
        Some(_) => {
            let body = t!(
                "tabiji serve: this host name is not allowed; open the preview at http://127.0.0.1 or http://localhost, or start serve with --allow-host NAME\n",
                "tabiji serve: このホスト名では開けません。http://127.0.0.1 か http://localhost でプレビューを開くか、serve を --allow-host NAME 付きで起動してください\n"
            );
            return text(StatusCode::FORBIDDEN, body.get(lang));
        }
        None => {
            let body = t!("a Host header is required\n", "Host ヘッダーが必要です\n");
            return text(StatusCode::BAD_REQUEST, body.get(lang));
        }
    }
    if req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD {
        let body = t!(
            "tabiji serve answers GET and HEAD only\n",
            "tabiji serve が応答するのは GET と HEAD だけです\n"
        );
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, body.get(lang));
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    next.run(req).await
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// Server-sent events: the current generation at once, then one event per rebuild. A page
/// reloads when the generation differs from the one it was served with.
async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = live.events.subscribe();
    let (generation, _, _) = live.current();
    let first = stream::once(async move {
        Ok(Event::default()
            .event("generation")
            .data(generation.to_string()))
    });
    let rest = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(g) => {
                    return Some((
                        Ok(Event::default().event("generation").data(g.to_string())),
                        rx,
                    ));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(first, rest)).keep_alive(KeepAlive::default())
}

async fn page(State(live): State<Arc<Live>>, req: Request<Body>) -> Response {
    let (generation, snapshot, failure) = live.current();
    let lang = live.lang();
    let inject = |page: &str, failure: Option<&Failure>| inject(page, generation, failure, lang);
    let raw = req.uri().path().to_string();
    let Some(snap) = snapshot else {
        // No build has succeeded yet: show the errors.
        let body = inject(&error_page(lang), failure.as_ref());
        return html(StatusCode::SERVICE_UNAVAILABLE, body);
    };
    let target = paths::resolve(&raw, &snap.base, |p| snap.is_page(p));
    match target {
        Target::BadRequest => {
            let body = t!("bad request\n", "リクエストが正しくありません\n");
            text(StatusCode::BAD_REQUEST, body.get(lang))
        }
        Target::Redirect(to) => Response::builder()
            .status(StatusCode::PERMANENT_REDIRECT)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Target::NotFound => html(
            StatusCode::NOT_FOUND,
            inject(&page_404(&snap, lang), failure.as_ref()),
        ),
        Target::File(path) => match snap.get(&path) {
            None => html(
                StatusCode::NOT_FOUND,
                inject(&page_404(&snap, lang), failure.as_ref()),
            ),
            Some(Err(message)) => {
                let f = Failure { text: message };
                html(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    inject(&error_page(lang), Some(&f)),
                )
            }
            Some(Ok(bytes)) => {
                let ct = paths::content_type(&path);
                if ct.starts_with("text/html") {
                    let text = String::from_utf8_lossy(&bytes);
                    html(StatusCode::OK, inject(&text, failure.as_ref()))
                } else {
                    let mut r = Response::new(Body::from(bytes.as_ref().clone()));
                    r.headers_mut()
                        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
                    r.headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                    r
                }
            }
        },
    }
}

/// The site's own 404 page (from its template); a bare one if that failed to render.
fn page_404(snap: &Snapshot, lang: Lang) -> String {
    match snap.get("404.html") {
        Some(Ok(b)) => String::from_utf8_lossy(&b).into_owned(),
        _ => {
            let title = t!("Page not found", "ページが見つかりません");
            format!(
                "<!DOCTYPE html><html lang=\"{}\"><title>404</title><h1>{}</h1></html>",
                lang.as_str(),
                title.get(lang)
            )
        }
    }
}

/// A plain-text answer (a refused request), in UTF-8.
fn text(status: StatusCode, body: &str) -> Response {
    let mut r = Response::new(Body::from(body.to_owned()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// What is served before any build succeeded (the overlay says why).
fn error_page(lang: Lang) -> String {
    let title = t!("tabiji: build failed", "tabiji: 生成できませんでした");
    let body = t!(
        "The site could not be built yet.",
        "サイトをまだ生成できていません。"
    );
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><main><h1>tabiji</h1><p>{}</p></main></body></html>",
        lang.as_str(),
        title.get(lang),
        body.get(lang)
    )
}

/// Add the reload script, and the error overlay when the last rebuild failed, before
/// `</body>`. Only `serve` does this; `build` output never contains it.
pub fn inject(page: &str, generation: u64, failure: Option<&Failure>, lang: Lang) -> String {
    let mut snippet =
        format!("<script src=\"{PREFIX}live.js\" data-generation=\"{generation}\"></script>");
    if let Some(f) = failure {
        snippet.push_str(&overlay(f.text.get(lang), lang));
    }
    match page.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &page[..i], &page[i..]),
        None => format!("{page}{snippet}"),
    }
}

fn overlay(text: &str, lang: Lang) -> String {
    let lead = t!(
        "tabiji: the last edit did not build. This page is the last good version. Fix the problem and save; this message will go away.",
        "tabiji: 最後の編集ではサイトを生成できませんでした。このページは最後に生成できた版です。問題を直して保存すると、このメッセージは消えます。"
    );
    format!(
        "<div id=\"tabiji-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;background:#1d1f24;color:#f3f3f3;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d;box-shadow:0 -8px 32px rgba(0,0,0,.4)\"><p style=\"margin:0 0 .5rem;font-weight:700;color:#ff8589\" lang=\"{}\">{}</p><pre style=\"white-space:pre-wrap;margin:0\" lang=\"{}\">{}</pre></div>",
        lang.as_str(),
        lead.get(lang),
        lang.as_str(),
        crate::render::escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_and_allowed_hosts_pass() {
        let local = Hosts::new("127.0.0.1".parse().unwrap(), &[]);
        for ok in [
            "127.0.0.1:4000",
            "localhost",
            "LOCALHOST:4000",
            "127.1.2.3",
            "[::1]:4000",
            "localhost.",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4000",
            "127.0.0.1.evil.example",
            "localhost.evil",
            "[::2]",
            "0.0.0.0",
            "192.168.1.5:4000",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5".parse().unwrap(), &["Preview.Lan".into()]);
        assert!(lan.allows("192.168.1.5:4000"));
        assert!(lan.allows("preview.lan:4000"));
        assert!(lan.allows("localhost"));
        assert!(!lan.allows("evil.example"));
    }
}
