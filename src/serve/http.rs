//! The HTTP side of `serve`: pages and files from memory, the reload event stream, the
//! error overlay.

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

pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route("/__tabiji/events", get(events))
        .route("/__tabiji/live.js", get(live_js))
        .fallback(page)
        .with_state(live)
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
    let raw = req.uri().path().to_string();
    let Some(snap) = snapshot else {
        // No build has succeeded yet: show the errors.
        let body = inject(error_page(), generation, failure.as_ref());
        return html(StatusCode::SERVICE_UNAVAILABLE, body);
    };
    let target = paths::resolve(&raw, &snap.base, |p| snap.is_page(p));
    match target {
        Target::BadRequest => (StatusCode::BAD_REQUEST, "bad request").into_response(),
        Target::Redirect(to) => Response::builder()
            .status(StatusCode::PERMANENT_REDIRECT)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Target::NotFound => not_found(&snap, generation, failure.as_ref()),
        Target::File(path) => match snap.get(&path) {
            None => not_found(&snap, generation, failure.as_ref()),
            Some(Err(message)) => {
                let f = Failure { text: message };
                html(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    inject(error_page(), generation, Some(&f)),
                )
            }
            Some(Ok(bytes)) => {
                let ct = paths::content_type(&path);
                if ct.starts_with("text/html") {
                    let text = String::from_utf8_lossy(&bytes);
                    html(StatusCode::OK, inject(&text, generation, failure.as_ref()))
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

fn not_found(snap: &Snapshot, generation: u64, failure: Option<&Failure>) -> Response {
    let body = match snap.get("404.html") {
        Some(Ok(b)) => String::from_utf8_lossy(&b).into_owned(),
        _ => "<!DOCTYPE html><title>404</title><h1>404</h1>".to_string(),
    };
    html(StatusCode::NOT_FOUND, inject(&body, generation, failure))
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

fn error_page() -> &'static str {
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tabiji: build failed</title></head><body><main><h1>tabiji</h1><p>The site could not be built yet.</p></main></body></html>"
}

/// Add the reload script, and the error overlay when the last rebuild failed, before
/// `</body>`. Only `serve` does this; `build` output never contains it.
pub fn inject(page: &str, generation: u64, failure: Option<&Failure>) -> String {
    let mut snippet =
        format!("<script src=\"{PREFIX}live.js\" data-generation=\"{generation}\"></script>");
    if let Some(f) = failure {
        snippet.push_str(&overlay(&f.text));
    }
    match page.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &page[..i], &page[i..]),
        None => format!("{page}{snippet}"),
    }
}

fn overlay(text: &str) -> String {
    format!(
        "<div id=\"tabiji-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;background:#1d1f24;color:#f3f3f3;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d;box-shadow:0 -8px 32px rgba(0,0,0,.4)\"><p style=\"margin:0 0 .5rem;font-weight:700;color:#ff8589\">tabiji: the last edit did not build. This page is the last good version. Fix the problem and save; this message will go away.</p><pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        crate::render::escape(text)
    )
}
