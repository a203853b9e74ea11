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
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} on {bind} is already in use; choose another with `--port {next}`", next = .port.saturating_add(1))]
    PortInUse { bind: IpAddr, port: u16 },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch the site for changes: {0}; try `--poll`")]
    Watch(#[from] notify::Error),
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// How long a failed rebuild waits for further changes before it is shown.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(150);

pub fn run(opts: ServeOptions) -> Result<(), ServeError> {
    if !opts.site.join("tabiji.toml").is_file() {
        return Err(crate::load::LoadError::NotASite(opts.site.clone()).into());
    }
    let live = Arc::new(Live::new(opts.site.clone(), opts.base_url.clone()));
    let first = live.rebuild(&BTreeSet::new());
    if let Outcome::Failed { diagnostics } = &first {
        live.publish_failure(diagnostics);
    }
    report(&first, std::time::Duration::ZERO);
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
        if !opts.bind.is_loopback() {
            eprintln!(
                "warning: serving on {} makes the site visible to other machines on the network; use --bind 127.0.0.1 to keep it on this computer",
                opts.bind
            );
        }
        let (_, snap, _) = live.current();
        let base = snap.as_ref().map_or_else(|| "/".to_string(), |s| s.base.clone());
        let host = if local.ip().is_unspecified() { "127.0.0.1".to_string() } else { local.ip().to_string() };
        let host = if host.contains(':') { format!("[{host}]") } else { host };
        let url = format!("http://{host}:{}{base}", local.port());
        println!("serving {} at {url} (Ctrl+C to stop)", opts.site.display());
        let _ = std::io::stdout().flush();
        if opts.open {
            open_browser(&url);
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
                    report(&outcome, started.elapsed());
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

fn report(outcome: &Outcome, took: std::time::Duration) {
    match outcome {
        Outcome::Built {
            pages_kept,
            changed,
        } => {
            if *changed > 0 {
                println!(
                    "rebuilt in {} ms ({changed} changed, {pages_kept} cached pages kept)",
                    took.as_millis()
                );
            }
        }
        Outcome::Failed { diagnostics } => {
            eprintln!("{diagnostics}");
            eprintln!("the last good site is still served; fix the problem and save");
        }
    }
    let _ = std::io::stdout().flush();
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}
