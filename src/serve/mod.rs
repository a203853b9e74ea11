//! `tabiji serve`: a live preview. The site is built in memory; every save rebuilds what
//! changed and, once the new pages are in place, tells every open tab to reload. A failed
//! rebuild keeps serving the last good site with the errors overlaid on every page.

mod conn;
mod http;
mod paths;
mod state;
mod watch;

use std::collections::BTreeSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::t;

pub use http::inject;
pub use paths::{Target, content_type, resolve};
pub use state::{Live, Outcome, url_path};

#[derive(Debug)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub poll: bool,
    pub open: bool,
    pub base_url: Option<String>,
    /// Host names accepted besides loopback and the bind address (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// How long a connection may stay silent.
    pub idle_timeout: std::time::Duration,
    /// `--lang`: the language of messages, over the site's.
    pub lang: Option<crate::i18n::Lang>,
}

#[derive(Debug)]
pub enum ServeError {
    PortInUse {
        bind: IpAddr,
        port: u16,
    },
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    Watch(notify::Error),
    Load(crate::load::LoadError),
    Io(std::io::Error),
}

impl crate::i18n::Localized for ServeError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            ServeError::PortInUse { bind, port } => {
                let next = port.saturating_add(1);
                t!(
                    "port {port} on {bind} is already in use; choose another with `--port {next}`",
                    "{bind} のポート {port} はすでに使われています。`--port {next}` のように別のポートを指定してください"
                )
            }
            ServeError::Bind { addr, source } => t!(
                "cannot listen on {addr}: {why}",
                "{addr} で待ち受けできません: {why}";
                why = crate::i18n::io_reason(source)
            ),
            ServeError::Watch(e) => t!(
                "cannot watch the site for changes: {e}; try `--poll`",
                "サイトの変更を監視できません: {e}。`--poll` を試してください"
            ),
            ServeError::Load(e) => crate::i18n::Localized::text(e),
            ServeError::Io(e) => crate::i18n::io_reason(e),
        }
    }
}
crate::localized_error!(ServeError);

impl From<notify::Error> for ServeError {
    fn from(e: notify::Error) -> Self {
        ServeError::Watch(e)
    }
}
impl From<crate::load::LoadError> for ServeError {
    fn from(e: crate::load::LoadError) -> Self {
        ServeError::Load(e)
    }
}
impl From<std::io::Error> for ServeError {
    fn from(e: std::io::Error) -> Self {
        ServeError::Io(e)
    }
}

/// How long a failed rebuild waits for further changes before it is shown.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(150);

pub fn run(opts: ServeOptions) -> Result<(), ServeError> {
    if !opts.site.join("tabiji.toml").is_file() {
        return Err(crate::load::LoadError::NotASite(opts.site.clone()).into());
    }
    let live = Arc::new(Live::new(
        opts.site.clone(),
        opts.base_url.clone(),
        opts.lang,
    ));
    let first = live.rebuild(&BTreeSet::new());
    if let Outcome::Failed { diagnostics } = &first {
        live.publish_failure(diagnostics);
    }
    report(&first, std::time::Duration::ZERO, live.lang());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return Err(ServeError::PortInUse { bind: opts.bind, port: opts.port });
            }
            Err(e) => return Err(ServeError::Bind { addr, source: e }),
        };
        let local = listener.local_addr()?;
        let lang = live.lang();
        if !opts.bind.is_loopback() {
            let bind = opts.bind;
            let warning = t!(
                "serving on {bind} makes the site visible to other machines on the network; use --bind 127.0.0.1 to keep it on this computer",
                "{bind} で公開すると、ネットワーク上の他のコンピューターからもサイトが見えます。このコンピューターだけで見るには --bind 127.0.0.1 を指定してください"
            );
            eprintln!("{}: {}", Severity::Warning.word(lang), warning.get(lang));
        }
        let (_, snap, _) = live.current();
        let base = snap.as_ref().map_or_else(|| "/".to_string(), |s| s.base.clone());
        let host = if local.ip().is_unspecified() { "127.0.0.1".to_string() } else { local.ip().to_string() };
        let host = if host.contains(':') { format!("[{host}]") } else { host };
        let url = format!("http://{host}:{}{base}", local.port());
        let site = opts.site.display();
        let serving = t!(
            "serving {site} at {url} (Ctrl+C to stop)",
            "{site} を {url} で配信しています（Ctrl+C で終了）"
        );
        println!("{}", crate::terminal::safe(serving.get(lang)));
        let _ = std::io::stdout().flush();
        if opts.open {
            open_browser(&url, lang);
        }
        let (guard, changes) = watch::watch(&opts.site, opts.poll)?;
        let rebuilder = live.clone();
        std::thread::Builder::new().name("tabiji-rebuild".into()).spawn(move || {
            let _guard = guard;
            while let Ok(mut batch) = changes.recv() {
                loop {
                    // Coalesce batches that arrived while the last rebuild ran.
                    while let Ok(more) = changes.try_recv() {
                        batch.extend(more);
                    }
                    let started = std::time::Instant::now();
                    let outcome = rebuilder.rebuild(&batch);
                    if let Outcome::Failed { diagnostics } = &outcome {
                        // An editor may still be writing: if more changes follow at once,
                        // rebuild with them instead of flashing an error.
                        match changes.recv_timeout(SETTLE) {
                            Ok(more) => {
                                // Keep the failed batch's paths: their pages are stale too.
                                batch.extend(more);
                                continue;
                            }
                            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => rebuilder.publish_failure(diagnostics),
                            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    report(&outcome, started.elapsed(), rebuilder.lang());
                    break;
                }
            }
        })?;
        let hosts = http::Hosts::new(opts.bind, &opts.allow_hosts);
        let app = http::router(live, Arc::new(hosts));
        let timeouts = conn::Timeouts { idle: opts.idle_timeout, ..conn::Timeouts::default() };
        conn::serve(listener, app, timeouts, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}

fn report(outcome: &Outcome, took: std::time::Duration, lang: Lang) {
    match outcome {
        Outcome::Built {
            pages_kept,
            changed,
        } => {
            if *changed > 0 {
                let ms = took.as_millis();
                let kept = crate::i18n::en_count(*pages_kept, "cached page", "cached pages");
                let line = t!(
                    "rebuilt in {ms} ms ({changed} changed, {kept} kept)",
                    "{ms} ミリ秒で再生成しました（変更 {changed} 件、キャッシュから再利用したページ {pages_kept} 件）"
                );
                println!("{}", line.get(lang));
            }
        }
        Outcome::Failed { diagnostics } => {
            eprintln!("{}", crate::terminal::safe(diagnostics.get(lang)));
            let line = t!(
                "the last good site is still served; fix the problem and save",
                "最後に生成できたサイトを配信し続けています。問題を直して保存してください"
            );
            eprintln!("{}", line.get(lang));
        }
    }
    let _ = std::io::stdout().flush();
}

fn open_browser(url: &str, lang: Lang) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        let line = t!(
            "could not open a browser; visit {url}",
            "ブラウザーを開けませんでした。{url} を開いてください"
        );
        eprintln!("{}", crate::terminal::safe(line.get(lang)));
    }
}
