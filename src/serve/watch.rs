//! Watching the site's sources: `tabiji.toml`, `content/`, `templates/`, `static/`.
//!
//! Events are debounced here rather than with `notify-debouncer-mini`: that crate drops the
//! event kind, and on Linux reading a file raises an "opened" event, so the rebuild's own
//! reads would trigger the next rebuild forever. We keep creations, modifications, removals
//! and renames, and ignore accesses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher};

type SharedWatcher = std::sync::Arc<std::sync::Mutex<Box<dyn Watcher + Send>>>;

/// Keeps the watch alive while held.
#[allow(dead_code)] // held, never read
pub struct Guard(SharedWatcher);

/// Quiet time after the last event before a batch is handed over.
const QUIET: Duration = Duration::from_millis(5);
/// A batch is handed over after this long even if events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(250);

/// Start watching; batches of changed paths (relative to the site, `/`-separated) arrive on
/// the returned channel. Editor litter (swap files, backups) is left out.
pub fn watch(root: &Path, poll: bool) -> notify::Result<(Guard, mpsc::Receiver<BTreeSet<String>>)> {
    let root_abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    let handler = move |res: notify::Result<Event>| {
        let Ok(event) = res else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for p in event.paths {
            let _ = raw_tx.send(p);
        }
    };
    let mut watcher: Box<dyn Watcher + Send> = if poll {
        let cfg = notify::Config::default()
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        Box::new(notify::PollWatcher::new(handler, cfg)?)
    } else {
        Box::new(notify::RecommendedWatcher::new(
            handler,
            notify::Config::default(),
        )?)
    };
    add_watches(watcher.as_mut(), &root_abs)?;
    let shared: SharedWatcher = std::sync::Arc::new(std::sync::Mutex::new(watcher));
    let for_thread = shared.clone();
    let (tx, rx) = mpsc::channel::<BTreeSet<String>>();
    std::thread::Builder::new()
        .name("tabiji-watch".into())
        .spawn(move || debounce(&root_abs, &raw_rx, &tx, &for_thread))
        .map_err(notify::Error::io)?;
    Ok((Guard(shared), rx))
}

fn debounce(
    root: &Path,
    raw: &mpsc::Receiver<PathBuf>,
    out: &mpsc::Sender<BTreeSet<String>>,
    watcher: &SharedWatcher,
) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut batch = BTreeSet::new();
        batch.extend(relevant(root, &first));
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            match raw.recv_timeout(QUIET.min(left)) {
                Ok(p) => batch.extend(relevant(root, &p)),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() >= MAX_WAIT {
                break;
            }
        }
        // `content/`, `templates/` or `static/` created after the start: watch it too.
        for top in ["content", "templates", "static"] {
            if batch.contains(top)
                && root.join(top).is_dir()
                && let Ok(mut w) = watcher.lock()
            {
                let _ = w.watch(&root.join(top), RecursiveMode::Recursive);
            }
        }
        if !batch.is_empty() && out.send(batch).is_err() {
            return;
        }
    }
}

fn add_watches(w: &mut dyn Watcher, root: &Path) -> notify::Result<()> {
    // The root itself, not recursively: tabiji.toml, and folders created later.
    w.watch(root, RecursiveMode::NonRecursive)?;
    for sub in ["content", "templates", "static"] {
        let p = root.join(sub);
        if p.is_dir() {
            w.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// The site-relative path of an event, if it is a source of the site.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let rel = crate::source::relative_display(Path::new(""), rel);
    let name = rel.rsplit('/').next().unwrap_or("");
    if crate::source::is_editor_litter(std::ffi::OsStr::new(name))
        || name.ends_with(".kate-swp")
        || name == "4913"
    {
        return None;
    }
    match rel.split('/').next().unwrap_or("") {
        "tabiji.toml" | "content" | "templates" | "static" => Some(rel),
        _ => None,
    }
}
