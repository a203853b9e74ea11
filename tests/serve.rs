//! `tabiji serve` end to end: the real binary on a copy of the sample site, spoken to over
//! plain HTTP/1.1.
//!
//! Nothing here sleeps to wait: a test opens the reload event stream (`/__tabiji/events`),
//! remembers the current generation, edits a file, and waits for a larger generation before
//! asking for a page again. Every wait is bounded by `TIMEOUT` so a broken server fails the
//! test instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;
use common::copy_dir;

const TIMEOUT: Duration = Duration::from_secs(20);

const JOURNEY: &str = "content/journeys/it-staff-new.toml";
/// The first cell of the journey above (`[stages.unaware] problem`).
const OLD_PROBLEM: &str = "年1回の棚卸しで Excel 台帳と現物が合わず、工場を何度も往復している。それを「毎年のこと」と受け止めている。";
const LIVE_JS: &str = "<script src=\"/__tabiji/live.js\"";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tabiji")
}

// ---------------------------------------------------------------------------------------
// The site
// ---------------------------------------------------------------------------------------

/// A copy of the sample site at the repository root, in `<tempdir>/site`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn sample() -> Site {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo.join("tabiji.toml"), root.join("tabiji.toml")).unwrap();
        for sub in ["content", "templates", "static"] {
            copy_dir(&repo.join(sub), &root.join(sub));
        }
        Site { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    /// `tabiji build` of the site into a fresh folder of the tempdir.
    fn build(&self, name: &str) -> PathBuf {
        let out = self.dir.path().join(name);
        let o = Command::new(bin())
            .env("TABIJI_LANG", "en")
            .arg("build")
            .arg(self.root())
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "tabiji build failed: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        out
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            files_under(&entry.path(), out);
        } else {
            out.push(entry.path());
        }
    }
}

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/// Kills the child when dropped, whatever happened in the test.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads a pipe line by line on a thread (so the child never blocks on a full pipe),
/// keeping every line and handing each one over a channel.
fn drain<R: Read + Send + 'static>(pipe: R) -> (mpsc::Receiver<String>, Arc<Mutex<Vec<String>>>) {
    let (tx, rx) = mpsc::channel();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let keep = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            keep.lock().unwrap().push(line.clone());
            let _ = tx.send(line);
        }
    });
    (rx, lines)
}

fn spawn_serve(site: &Path, args: &[&str]) -> Guard {
    let child = Command::new(bin())
        .env("TABIJI_LANG", "en")
        .arg("serve")
        .arg(site)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NO_COLOR", "1")
        .spawn()
        .unwrap();
    Guard(child)
}

struct Server {
    _guard: Guard,
    /// `127.0.0.1:PORT`
    addr: String,
    port: u16,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(site: &Site) -> Server {
        Server::start_with(site, &[])
    }

    fn start_with(site: &Site, extra: &[&str]) -> Server {
        let mut args = vec!["--port", "0"];
        args.extend_from_slice(extra);
        let mut guard = spawn_serve(&site.root(), &args);
        let (out, _) = drain(guard.0.stdout.take().unwrap());
        let (_, stderr) = drain(guard.0.stderr.take().unwrap());
        let first = match out.recv_timeout(TIMEOUT) {
            Ok(line) => line,
            Err(e) => panic!(
                "no `serving` line from tabiji serve ({e}); stderr:\n{}",
                stderr.lock().unwrap().join("\n")
            ),
        };
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"));
        assert!(first.starts_with("serving "), "{first:?}");
        assert!(first.ends_with("(Ctrl+C to stop)"), "{first:?}");
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{first:?}");
        let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();
        assert_ne!(port, 0);
        Server {
            _guard: guard,
            addr,
            port,
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    fn get(&self, path: &str) -> Response {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("GET {path}: no header end"));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    /// Sends `request` as it is and returns everything the server answers until it closes.
    fn raw(&self, request: &str) -> String {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("{request:?}: the server did not close: {e}"));
        String::from_utf8_lossy(&raw).into_owned()
    }

    fn page(&self, path: &str) -> String {
        let r = self.get(path);
        assert_eq!(
            r.status,
            200,
            "GET {path}: {}\nserver stderr:\n{}",
            r.text(),
            self.stderr()
        );
        r.text()
    }

    fn events(&self) -> Events {
        Events::open(self)
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        b = &b[eol + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Whether the page carries the error overlay and it mentions `what`. (A save can be seen
/// half-written first, failing for another reason; wait for the error the test made.)
fn overlay_names(page: &str, what: &str) -> bool {
    page.find("id=\"tabiji-overlay\"")
        .is_some_and(|i| page[i..].contains(what))
}

/// The body without what `serve` injects (the reload script), to compare with `build`.
fn without_injection(html: &str) -> String {
    let start = html.find(LIVE_JS).expect("live.js injected");
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

// ---------------------------------------------------------------------------------------
// The reload event stream
// ---------------------------------------------------------------------------------------

/// `GET /__tabiji/events`, read by hand: chunked transfer decoding, then SSE lines.
struct Events {
    reader: BufReader<TcpStream>,
    chunked: bool,
    pending: Vec<u8>,
    /// The largest generation seen so far.
    last: u64,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Events {
    fn open(server: &Server) -> Events {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET /__tabiji/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut reader = BufReader::new(s);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "events: {status:?}");
        let mut chunked = false;
        let mut content_type = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').unwrap();
            match k.trim().to_ascii_lowercase().as_str() {
                "transfer-encoding" => chunked = v.contains("chunked"),
                "content-type" => content_type = v.trim().to_string(),
                _ => {}
            }
        }
        assert!(
            content_type.starts_with("text/event-stream"),
            "events content type {content_type:?}"
        );
        let mut ev = Events {
            reader,
            chunked,
            pending: Vec::new(),
            last: 0,
            stderr: server.stderr.clone(),
        };
        let deadline = Instant::now() + TIMEOUT;
        ev.last = ev.next(deadline, "the first generation event");
        ev
    }

    /// The next `data:` value, or a panic at `deadline`.
    fn next(&mut self, deadline: Instant, what: &str) -> u64 {
        loop {
            if let Some(i) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=i).collect();
                let line = String::from_utf8_lossy(&line);
                if let Some(d) = line.trim_end().strip_prefix("data:") {
                    return d
                        .trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("bad event data {line:?}"));
                }
                continue;
            }
            self.fill(deadline, what);
        }
    }

    fn fill(&mut self, deadline: Instant, what: &str) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            self.timed_out(what);
        }
        self.reader
            .get_ref()
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        let r: std::io::Result<()> = (|| {
            if self.chunked {
                let mut size = String::new();
                if self.reader.read_line(&mut size)? == 0 {
                    panic!("event stream closed while waiting for {what}");
                }
                let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16)
                    .unwrap_or_else(|_| panic!("bad chunk size {size:?}"));
                if size == 0 {
                    panic!("event stream ended while waiting for {what}");
                }
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                chunk.truncate(size);
                self.pending.extend_from_slice(&chunk);
            } else {
                let mut buf = [0; 4096];
                let n = self.reader.read(&mut buf)?;
                if n == 0 {
                    panic!("event stream closed while waiting for {what}");
                }
                self.pending.extend_from_slice(&buf[..n]);
            }
            Ok(())
        })();
        match r {
            Ok(()) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                self.timed_out(what)
            }
            Err(e) => panic!("reading events while waiting for {what}: {e}"),
        }
    }

    fn timed_out(&self, what: &str) -> ! {
        panic!(
            "timed out after {TIMEOUT:?} waiting for {what}; last generation {}; server stderr:\n{}",
            self.last,
            self.stderr.lock().unwrap().join("\n")
        )
    }

    /// Wait for a generation larger than any seen so far; return it.
    fn next_rebuild(&mut self, what: &str) -> u64 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let g = self.next(deadline, what);
            if g > self.last {
                self.last = g;
                return g;
            }
        }
    }

    /// After an edit: wait for rebuild events until `done` holds (checked after each new
    /// generation, never before the first one). A save can arrive in more than one
    /// file-system event, hence more than one rebuild.
    fn until(&mut self, what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let g = self.next(deadline, what);
            if g > self.last {
                self.last = g;
                if done() {
                    return;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn editing_a_cell_updates_journey_and_persona_pages() {
    let site = Site::sample();
    let server = Server::start(&site);
    let journey = server.page("/journeys/it-staff-new/");
    let persona = server.page("/personas/it-staff/");
    // The persona's page at the stage of the cell (rendered now, so cached).
    let at_stage = persona
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .filter(|h| h.starts_with("/personas/it-staff/") && h.len() > "/personas/it-staff/".len())
        .find(|h| server.page(h).contains(OLD_PROBLEM))
        .expect("a persona-at-stage page showing the cell")
        .to_string();
    for page in [&journey, &persona] {
        assert!(page.contains(OLD_PROBLEM));
        assert!(page.contains(LIVE_JS), "live.js not injected");
        assert!(!page.contains("tabiji-overlay"));
    }
    let mut events = server.events();
    assert!(
        journey.contains(&format!("{LIVE_JS} data-generation=\"{}\"", events.last)),
        "generation not in page"
    );

    let new = "棚卸しの手戻りが**月20時間** EDITED-CELL-MARKER";
    site.write(JOURNEY, &site.read(JOURNEY).replace(OLD_PROBLEM, new));
    events.until("the edited cell on the journey page", || {
        server
            .page("/journeys/it-staff-new/")
            .contains("EDITED-CELL-MARKER")
    });
    let journey = server.page("/journeys/it-staff-new/");
    assert!(
        journey.contains("<strong>月20時間</strong>"),
        "inline Markdown in the cell"
    );
    assert!(!journey.contains(OLD_PROBLEM));
    assert!(journey.contains(&format!("data-generation=\"{}\"", events.last)));
    let persona = server.page("/personas/it-staff/");
    assert!(
        persona.contains("EDITED-CELL-MARKER"),
        "persona page kept its cached copy"
    );
    assert!(!persona.contains(OLD_PROBLEM));
    assert!(
        server.page(&at_stage).contains("EDITED-CELL-MARKER"),
        "{at_stage} kept its cached copy"
    );

    // `build` of the same site: the same new text, nothing of the live preview.
    let out = site.build("public");
    let built = std::fs::read_to_string(out.join("journeys/it-staff-new/index.html")).unwrap();
    assert!(built.contains("EDITED-CELL-MARKER"));
    let mut files = Vec::new();
    files_under(&out, &mut files);
    assert!(files.len() > 20, "{files:?}");
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes.windows(b"__tabiji".len()).any(|w| w == b"__tabiji"),
            "{} of `tabiji build` mentions __tabiji",
            f.display()
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("tabiji-overlay"),
            "{}",
            f.display()
        );
    }
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_with_an_overlay() {
    let site = Site::sample();
    let server = Server::start(&site);
    assert!(server.page("/journeys/it-staff-new/").contains(OLD_PROBLEM));
    let mut events = server.events();

    // Change the cell and add a misspelt row key right below it.
    let good = site.read(JOURNEY).replace(OLD_PROBLEM, "NEW-PROBLEM-TEXT");
    let mut lines: Vec<&str> = good.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("problem = "))
        .unwrap()
        + 1;
    lines.insert(at, "probelm = \"typo\"");
    let line_no = at + 1;
    site.write(JOURNEY, &(lines.join("\n") + "\n"));

    events.until("the error overlay naming `probelm`", || {
        overlay_names(&server.page("/journeys/it-staff-new/"), "probelm")
    });
    let page = server.page("/journeys/it-staff-new/");
    assert!(
        page.contains(OLD_PROBLEM),
        "the last good page is not served"
    );
    assert!(!page.contains("NEW-PROBLEM-TEXT"));
    assert!(page.contains(LIVE_JS));
    let overlay = &page[page.find("id=\"tabiji-overlay\"").expect("overlay element")..];
    assert!(
        overlay.contains(&format!("{JOURNEY}:{line_no}")),
        "file and line not in overlay: {overlay}"
    );
    assert!(overlay.contains("probelm"), "{overlay}");
    // Every page carries the overlay, not only the broken one.
    assert!(server.page("/").contains("tabiji-overlay"));

    site.write(JOURNEY, &good);
    events.until("the overlay to go", || {
        !server
            .page("/journeys/it-staff-new/")
            .contains("tabiji-overlay")
    });
    let page = server.page("/journeys/it-staff-new/");
    assert!(page.contains("NEW-PROBLEM-TEXT"));
    assert!(!page.contains(OLD_PROBLEM));
    assert!(!server.page("/").contains("tabiji-overlay"));
}

#[test]
fn deleting_creating_and_renaming_files_moves_pages() {
    let site = Site::sample();
    // The onboarding path names every playbook; without it a playbook can go away cleanly.
    std::fs::remove_file(site.path("content/onboarding.toml")).unwrap();
    let server = Server::start(&site);
    assert!(
        server
            .page("/playbooks/expansion/")
            .contains("更新と拡張の提案")
    );
    assert!(server.page("/playbooks/nurture-content/").contains(LIVE_JS));
    assert_eq!(server.get("/personas/new-buyer/").status, 404);
    let mut events = server.events();

    // Delete.
    std::fs::remove_file(site.path("content/playbooks/expansion.md")).unwrap();
    events.until("the deleted playbook to 404", || {
        server.get("/playbooks/expansion/").status == 404
    });
    let r = server.get("/playbooks/expansion/");
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let out = site.build("public");
    let built_404 = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert_eq!(
        without_injection(&r.text()),
        built_404,
        "not the site's 404 page"
    );
    assert_eq!(server.get("/playbooks/expansion").status, 404);
    assert!(!server.page("/stages/loyal/").contains("更新と拡張の提案"));

    // Create a persona, then their journey.
    site.write(
        "content/personas/new-buyer.md",
        "+++\nname = \"購買部 NEW-BUYER-NAME\"\nrole = \"buyer\"\n+++\n購買部の新任担当。\n",
    );
    site.write(
        "content/journeys/new-buyer-first.toml",
        "persona = \"new-buyer\"\nname = \"はじめての購買\"\n\n[stages.purchase]\nproblem = \"NEW-BUYER-PROBLEM\"\n",
    );
    events.until("the new persona and journey", || {
        let r = server.get("/personas/new-buyer/");
        r.status == 200
            && r.text().contains("NEW-BUYER-PROBLEM")
            && !r.text().contains("tabiji-overlay")
    });
    assert!(
        server
            .page("/personas/new-buyer/")
            .contains("NEW-BUYER-NAME")
    );
    assert!(
        server
            .page("/journeys/new-buyer-first/")
            .contains("NEW-BUYER-PROBLEM")
    );
    assert!(
        server.page("/").contains("NEW-BUYER-NAME"),
        "home page lists the new persona"
    );

    // Rename.
    std::fs::rename(
        site.path("content/playbooks/nurture-content.md"),
        site.path("content/playbooks/nurture-mail.md"),
    )
    .unwrap();
    events.until("the renamed playbook", || {
        server.get("/playbooks/nurture-mail/").status == 200
            && server.get("/playbooks/nurture-content/").status == 404
    });
    let moved = server.page("/playbooks/nurture-mail/");
    assert!(!moved.contains("tabiji-overlay"));
    let title = site.read("content/playbooks/nurture-mail.md");
    let title = title
        .lines()
        .find_map(|l| l.strip_prefix("title = \""))
        .unwrap()
        .trim_end_matches('"');
    assert!(moved.contains(title), "{title}");
}

#[test]
fn paths_stay_inside_the_site() {
    let site = Site::sample();
    let server = Server::start(&site);
    let secrets: [(&str, &[u8]); 6] = [
        ("/../Cargo.toml", b"[package]"),
        ("/%2e%2e/tabiji.toml", b"[[stages]]"),
        ("/assets%2f..%2f..%2ftabiji.toml", b"[[stages]]"),
        ("/content/personas/it-staff.md", b"role = \"user\""),
        ("/tabiji.toml", b"[[stages]]"),
        ("//etc/passwd", b"root:"),
    ];
    for (path, secret) in secrets {
        let r = server.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(
            !r.body.windows(secret.len()).any(|w| w == secret),
            "{path} leaked the file"
        );
    }
    // More attempts, each must be refused.
    for path in [
        "/%2E%2E/%2E%2E/Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%5c..%5c..%5ctabiji.toml",
        "/a/%00",
    ] {
        let r = server.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(
            !r.text().contains("[[stages]]") && !r.text().contains("[package]"),
            "{path}"
        );
    }

    let r = server.get("/personas/it-staff");
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), Some("/personas/it-staff/"));

    let r = server.get("/personas/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7/");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains(LIVE_JS));

    let types = [
        ("/", "text/html"),
        ("/assets/tabiji.css", "text/css"),
        ("/assets/tabiji.js", "text/javascript"),
        ("/__tabiji/live.js", "text/javascript"),
    ];
    for (path, want) in types {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        let ct = r
            .header("content-type")
            .unwrap_or_else(|| panic!("{path}: no content type"));
        assert!(ct.starts_with(want), "{path}: {ct}");
    }
    let css = server.get("/assets/tabiji.css");
    assert_eq!(
        css.body,
        std::fs::read(site.path("static/assets/tabiji.css")).unwrap(),
        "static file served as is"
    );
    assert!(
        !css.text().contains("__tabiji"),
        "injection into a non-HTML file"
    );

    let r = server.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("ページが見つかりません"), "{}", r.text());
}

#[test]
fn a_burst_of_saves_ends_with_the_last_one() {
    let site = Site::sample();
    let server = Server::start(&site);
    assert!(server.page("/journeys/it-staff-new/").contains(OLD_PROBLEM));
    let mut events = server.events();
    let original = site.read(JOURNEY);
    for i in 0..100 {
        let value = if i == 99 {
            "BURST-FINAL-MARKER".to_string()
        } else {
            format!("burst value {i}")
        };
        site.write(JOURNEY, &original.replace(OLD_PROBLEM, &value));
    }
    events.until("the last of 100 saves", || {
        server
            .page("/journeys/it-staff-new/")
            .contains("BURST-FINAL-MARKER")
    });
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains(LIVE_JS));
    let page = server.page("/journeys/it-staff-new/");
    assert!(!page.contains("burst value"));
    assert!(
        server
            .page("/personas/it-staff/")
            .contains("BURST-FINAL-MARKER")
    );
}

/// Waits for the child to exit (its stderr closes), bounded by `TIMEOUT`.
fn exit_of(guard: &mut Guard, stderr: ChildStderr) -> (ExitStatus, String) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut text);
        let _ = tx.send(text);
    });
    let text = rx
        .recv_timeout(TIMEOUT)
        .expect("the second server did not exit");
    (guard.0.wait().unwrap(), text)
}

#[test]
fn a_busy_port_is_a_usage_error() {
    let site = Site::sample();
    let first = Server::start(&site);
    let port = first.port.to_string();
    let mut second = spawn_serve(&site.root(), &["--port", &port]);
    drain(second.0.stdout.take().unwrap());
    let stderr = second.0.stderr.take().unwrap();
    let (status, text) = exit_of(&mut second, stderr);
    assert_eq!(status.code(), Some(2), "{text}");
    assert!(text.contains(&port), "the port is not named: {text}");
    assert!(text.contains("--port"), "no hint at --port: {text}");
    // The first one is unharmed.
    assert_eq!(first.get("/").status, 200);
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = Site::sample();
    let mut guard = spawn_serve(&site.root(), &["--bind", "0.0.0.0", "--port", "0"]);
    drain(guard.0.stdout.take().unwrap());
    let (lines, _) = drain(guard.0.stderr.take().unwrap());
    let deadline = Instant::now() + TIMEOUT;
    let warning = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).expect("no warning on stderr");
        if line.to_lowercase().contains("warning") {
            break line;
        }
    };
    assert!(warning.contains("network"), "{warning}");
    assert!(warning.contains("0.0.0.0"), "{warning}");
    drop(guard);
}

#[test]
fn foreign_host_names_and_methods_other_than_get_and_head_are_refused() {
    let site = Site::sample();
    let server = Server::start(&site);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own name.
    for path in ["/", "/__tabiji/events"] {
        let r = server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
            server.port
        ));
        assert!(r.starts_with("HTTP/1.1 403"), "{path}: {r}");
        assert!(r.contains("--allow-host"), "{r}");
    }
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        let r = server.raw(&format!(
            "HEAD / HTTP/1.1\r\nHost: {host}:{}\r\nConnection: close\r\n\r\n",
            server.port
        ));
        assert!(r.starts_with("HTTP/1.1 200"), "{host}: {r}");
    }
    for method in ["POST", "PUT", "DELETE"] {
        let r = server.raw(&format!(
            "{method} / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.addr
        ));
        assert!(r.starts_with("HTTP/1.1 405"), "{method}: {r}");
        assert!(r.to_ascii_lowercase().contains("allow: get, head"), "{r}");
    }
}

#[test]
fn allowed_host_names_are_served_beyond_loopback() {
    let site = Site::sample();
    let mut guard = spawn_serve(
        &site.root(),
        &[
            "--bind",
            "0.0.0.0",
            "--port",
            "0",
            "--allow-host",
            "preview.lan",
        ],
    );
    let (out, _) = drain(guard.0.stdout.take().unwrap());
    drain(guard.0.stderr.take().unwrap());
    let first = out.recv_timeout(TIMEOUT).expect("serving line");
    let port = first
        .split(':')
        .nth(2)
        .unwrap()
        .trim_end_matches(|c: char| !c.is_ascii_digit());
    let port: u16 = port.split('/').next().unwrap().parse().unwrap();
    let ask = |host: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "HEAD / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut r = String::new();
        s.read_to_string(&mut r).unwrap();
        r
    };
    assert!(ask("preview.lan:4000").starts_with("HTTP/1.1 200"));
    assert!(ask("other.lan").starts_with("HTTP/1.1 403"));
    drop(guard);
}

#[test]
fn silent_and_half_open_connections_are_closed() {
    let site = Site::sample();
    let server = Server::start_with(&site, &["--idle-timeout", "0.5"]);
    // Nothing sent, and half a request head: the server closes both (read_to_end returns
    // instead of waiting for ever; the read timeout, 20 s, would fail the test).
    let t = Instant::now();
    assert_eq!(server.raw(""), "");
    assert_eq!(server.raw("GET / HTTP/1.1\r\nHost: 127.0"), "");
    assert!(t.elapsed() < TIMEOUT);
    // A keep-alive connection is answered, then closed once silent.
    let r = server.raw(&format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr));
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
}

#[test]
fn a_site_that_never_built_serves_its_errors_until_fixed() {
    let site = Site::sample();
    let good = site.read("tabiji.toml");
    let first_line = good.lines().next().unwrap();
    assert!(first_line.starts_with("title = \""));
    // An unterminated string on line 1.
    site.write(
        "tabiji.toml",
        &good.replacen(first_line, first_line.trim_end_matches('"'), 1),
    );
    let server = Server::start(&site);
    let r = server.get("/");
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let text = r.text();
    assert!(text.contains(LIVE_JS));
    let overlay = &text[text.find("id=\"tabiji-overlay\"").expect("overlay")..];
    assert!(overlay.contains("tabiji.toml"), "{overlay}");
    assert_eq!(server.get("/personas/it-staff/").status, 503);

    let mut events = server.events();
    site.write("tabiji.toml", &good);
    events.until("the fixed site", || server.get("/").status == 200);
    let home = server.page("/");
    assert!(home.contains("ACME クラウド 営業プレイブック"));
    assert!(!home.contains("tabiji-overlay"));
    assert!(server.page("/journeys/it-staff-new/").contains(OLD_PROBLEM));
    assert_eq!(server.get("/assets/tabiji.css").status, 200);
}

#[test]
fn editing_the_sites_own_template_is_picked_up() {
    let site = Site::sample();
    let server = Server::start(&site);
    assert!(
        !server
            .page("/journeys/it-staff-new/")
            .contains("TEMPLATE-MARKER")
    );
    let persona = server.page("/personas/it-staff/");
    let mut events = server.events();
    let tpl = "templates/journey.html";
    let text = site.read(tpl);
    assert!(text.contains("{% block content %}"));
    site.write(
        tpl,
        &text.replacen(
            "{% block content %}",
            "{% block content %}\n<p id=\"tpl-marker\">TEMPLATE-MARKER</p>",
            1,
        ),
    );
    events.until("the edited template", || {
        server
            .page("/journeys/it-staff-new/")
            .contains("TEMPLATE-MARKER")
    });
    let page = server.page("/journeys/it-staff-new/");
    assert!(page.contains("<p id=\"tpl-marker\">TEMPLATE-MARKER</p>"));
    assert!(page.contains(OLD_PROBLEM));
    assert!(!page.contains("tabiji-overlay"));
    // Other templates are untouched.
    assert_eq!(
        without_injection(&server.page("/personas/it-staff/")),
        without_injection(&persona)
    );
}

/// `--poll` (network drives, containers) sees edits too.
#[test]
fn polling_sees_edits() {
    let site = Site::sample();
    let server = Server::start_with(&site, &["--poll"]);
    assert!(server.page("/journeys/it-staff-new/").contains(OLD_PROBLEM));
    let mut events = server.events();
    site.write(
        JOURNEY,
        &site
            .read(JOURNEY)
            .replace(OLD_PROBLEM, "POLLED-EDIT-MARKER"),
    );
    events.until("the polled edit", || {
        server
            .page("/journeys/it-staff-new/")
            .contains("POLLED-EDIT-MARKER")
    });
    assert!(
        server
            .page("/personas/it-staff/")
            .contains("POLLED-EDIT-MARKER")
    );
}

/// What changed while the site was broken must not be forgotten when it builds again:
/// pages cached in the last good snapshot that depend on those files must be re-rendered.
#[test]

fn edits_made_while_broken_show_once_fixed() {
    let site = Site::sample();
    std::fs::remove_file(site.path("content/onboarding.toml")).unwrap();
    let server = Server::start(&site);
    // Rendered now, so cached in the good snapshot.
    assert!(!server.page("/personas/cfo/").contains("CFO-BODY-MARKER"));
    assert!(
        server
            .page("/playbooks/expansion/")
            .contains("更新と拡張の提案")
    );
    let mut events = server.events();

    let good = site.read(JOURNEY);
    site.write(
        JOURNEY,
        &good.replacen("problem = ", "probelm = \"typo\"\nproblem = ", 1),
    );
    events.until("the error overlay naming `probelm`", || {
        overlay_names(&server.page("/journeys/it-staff-new/"), "probelm")
    });

    // While the journey is broken: edit a persona and delete a playbook.
    let cfo = site.read("content/personas/cfo.md");
    site.write(
        "content/personas/cfo.md",
        &format!("{cfo}\nCFO-BODY-MARKER\n"),
    );
    events.next_rebuild("a rebuild after the persona edit");
    std::fs::remove_file(site.path("content/playbooks/expansion.md")).unwrap();
    events.next_rebuild("a rebuild after the playbook deletion");
    assert!(
        server.page("/").contains("tabiji-overlay"),
        "the journey is still broken"
    );

    site.write(JOURNEY, &good);
    events.until("the overlay to go", || {
        !server
            .page("/journeys/it-staff-new/")
            .contains("tabiji-overlay")
    });
    let persona_stale = !server.page("/personas/cfo/").contains("CFO-BODY-MARKER");
    let playbook_status = server.get("/playbooks/expansion/").status;
    assert!(
        !persona_stale && playbook_status == 404,
        "persona cfo edited while broken still shows its old cached page: {persona_stale}; \
         playbook expansion deleted while broken answers {playbook_status} (want 404)"
    );
}

/// A site past one search file: `serve` answers every file of the sharded index with the
/// bytes `build` writes (made once, on the first request).
#[test]
fn a_sharded_search_index_is_served_as_built() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_site.py"))
        .args(["--personas", "20"])
        .arg(dir.path().join("site"))
        .status()
        .expect("python3 runs bench/gen_site.py");
    assert!(status.success());
    let site = Site { dir };
    let built = site.build("built");
    let server = Server::start(&site);
    let mut files = Vec::new();
    files_under(&built.join("search"), &mut files);
    assert!(files.len() > 10, "a sharded index: {files:?}");
    for f in files {
        let rel = f
            .strip_prefix(&built)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let r = server.get(&format!("/{rel}"));
        assert_eq!(r.status, 200, "GET /{rel}");
        assert_eq!(r.header("content-type"), Some("application/json"), "{rel}");
        assert!(
            r.body == std::fs::read(&f).unwrap(),
            "/{rel} differs from the build's"
        );
    }
    assert_eq!(server.get("/search/keys/100000.json").status, 404);
}
