#!/usr/bin/env python3
"""Save-to-reload latency of `tabiji serve`.

    python3 bench/serve_latency.py [--site target/bench/site-2000] [--bin target/release/tabiji]
                                   [--edits 30] [--burst 100] [--json FILE]

Starts `tabiji serve SITE --port 0`, opens the server-sent-events stream
/__tabiji/events, then:

1. Single edits: EDITS times, rewrites one journey cell (the `problem` of the
   `consideration` stage, a different journey each time) and measures the time from just
   before the write to the arrival of the next `generation` event; then fetches that
   journey's page, checks the new text is there, and times the fetch (the page is rendered
   lazily on this first request, so event + fetch is what a browser tab waits for).
2. Burst: BURST writes to one journey file spread evenly over one second, then waits (by
   events, 30 s safety timeout) until the page shows the last value. Reports whether the
   final state was right, how many rebuild events came, whether an error overlay is shown,
   and that `/` still answers.

The server is always stopped (try/finally), and every edited journey file is restored to
its original bytes. If SITE does not exist it is generated with bench/gen_site.py
(2,000 personas). Run at low priority: `nice python3 bench/serve_latency.py`.
"""

import argparse
import http.client
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

# The benchmark reads tabiji's English lines ("built N pages", "rebuilt in N ms").
os.environ["TABIJI_LANG"] = "en"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAFETY_TIMEOUT = 30.0
STAGE = "consideration"


class Server:
    """A `tabiji serve` child; its stdout/stderr lines are collected with timestamps."""

    def __init__(self, bin_, site):
        self.t_start = time.perf_counter()
        self.proc = subprocess.Popen([bin_, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        self.lines = []  # (time, stream, line)
        self.url = None
        self.ready = threading.Event()
        for stream, name in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(target=self._drain, args=(stream, name), daemon=True).start()

    def _drain(self, stream, name):
        for line in stream:
            line = line.rstrip("\n")
            self.lines.append((time.perf_counter(), name, line))
            m = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line)
            if name == "out" and m and not self.url:
                self.url = m.group(1)
                self.t_ready = time.perf_counter()
                self.ready.set()

    def wait_ready(self, timeout):
        if not self.ready.wait(timeout):
            raise RuntimeError(f"server did not print its address within {timeout} s:\n" + self.log())
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port, self.base = u.hostname, u.port, u.path or "/"
        return self.t_ready - self.t_start

    def log(self, last=20):
        return "\n".join(f"[{s}] {l}" for _, s, l in self.lines[-last:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # graceful shutdown (Ctrl+C)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Events:
    """Reads the SSE stream in a thread; each `generation` event goes to a queue as (time, n)."""

    def __init__(self, host, port, path):
        self.q = queue.Queue()
        self.conn = http.client.HTTPConnection(host, port, timeout=None)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        if self.resp.status != 200:
            raise RuntimeError(f"{path}: HTTP {self.resp.status}")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = None
        try:
            while True:
                line = self.resp.readline()
                if not line:
                    return
                t = time.perf_counter()
                line = line.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "generation":
                    self.q.put((t, int(line[5:].strip())))
                elif line == "":
                    event = None
        # The server is stopped at the end while this thread still reads: http.client then
        # fails in various ways (a closed socket, a half chunk); the stream is over either way.
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            return

    def next(self, timeout):
        return self.q.get(timeout=timeout)

    def drain(self):
        got = []
        while True:
            try:
                got.append(self.q.get_nowait())
            except queue.Empty:
                return got

    def close(self):
        try:
            self.conn.sock.shutdown(2)
        except OSError:
            pass
        self.conn.close()


def fetch(server, path):
    """GET path; returns (status, body text, seconds)."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=SAFETY_TIMEOUT)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read().decode("utf-8", "replace")
        return r.status, body, time.perf_counter() - t0
    finally:
        conn.close()


def proc_cpu(pid):
    """user+sys CPU seconds of a process so far (all threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def failed_rebuilds(server):
    """Rebuilds that failed so far, as the server reported them on stderr."""
    return sum(1 for _, s, l in server.lines if s == "err" and l.startswith("the last good site is still served"))


def journey_url(server, jid):
    return f"{server.base}journeys/{urllib.parse.quote(jid)}/"


def set_cell(text, value):
    """Replace the `problem` of [stages.consideration] in a journey file."""
    head = f"[stages.{STAGE}]\n"
    i = text.index(head) + len(head)
    j = text.index("problem = ", i)
    k = text.index("\n", j)
    return text[:j] + f'problem = "{value}"' + text[k:]


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))]


def ms(x):
    return f"{x * 1000:.1f} ms"


def main():
    ap = argparse.ArgumentParser(description="Save-to-reload latency of tabiji serve")
    ap.add_argument("--site", default=os.path.join(ROOT, "target", "bench", "site-2000"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "tabiji"))
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--burst", type=int, default=100)
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between single edits")
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args()
    if args.edits < 1 or args.burst < 1:
        ap.error("--edits and --burst must be at least 1")

    if not os.access(args.bin, os.X_OK):
        sys.exit(f"{args.bin} is missing: run `cargo build --release` first")
    if not os.path.isfile(os.path.join(args.site, "tabiji.toml")):
        print(f"generating {args.site} (2,000 personas)", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--personas", "2000", args.site], check=True)

    jdir = os.path.join(args.site, "content", "journeys")
    journeys = sorted(f[:-5] for f in os.listdir(jdir) if f.endswith(".toml"))
    if len(journeys) < args.edits + 1:
        sys.exit(f"need at least {args.edits + 1} journeys in {jdir}")
    step = len(journeys) // args.edits
    targets = [journeys[i * step] for i in range(args.edits)]
    burst_target = journeys[-1]
    originals = {}  # path -> original bytes, restored at the end

    def path_of(jid):
        return os.path.join(jdir, jid + ".toml")

    for jid in targets + [burst_target]:
        with open(path_of(jid), "rb") as f:
            originals[path_of(jid)] = f.read()

    results = {"site": args.site, "journeys": len(journeys)}
    server = Server(args.bin, args.site)
    events = None
    try:
        results["startup_s"] = server.wait_ready(120)
        events = Events(server.host, server.port, "/__tabiji/events")
        t, g0 = events.next(10)  # the one sent at connect
        status, _, first_index = fetch(server, server.base)
        results["first_index_fetch_s"] = first_index

        # 1. Single edits.
        cpu0 = proc_cpu(server.proc.pid)
        singles = []
        for k, jid in enumerate(targets):
            p = path_of(jid)
            marker = f"ベンチ編集{k:03d}番の新しい課題"
            new = set_cell(originals[p].decode("utf-8"), marker)
            late = events.drain()  # events that came after the previous edit's first one
            if singles:
                singles[-1]["extra_events"] += len(late)
            t0 = time.perf_counter()
            write(p, new)
            try:
                t1, g = events.next(SAFETY_TIMEOUT)
            except queue.Empty:
                singles.append({"journey": jid, "event_s": None, "ok": False})
                continue
            extra = events.drain()
            status, body, fetch_s = fetch(server, journey_url(server, jid))
            ok = status == 200 and marker in body and 'id="tabiji-overlay"' not in body
            singles.append({"journey": jid, "event_s": t1 - t0, "fetch_s": fetch_s, "event_plus_fetch_s": t1 - t0 + fetch_s,
                            "generation": g, "extra_events": len(extra), "ok": ok, "status": status})
            time.sleep(args.pause)
        results["singles"] = singles
        results["server_cpu_per_edit_s"] = (proc_cpu(server.proc.pid) - cpu0) / len(targets)
        fails_before_burst = failed_rebuilds(server)

        # 2. Burst: BURST writes to one file, evenly over one second.
        p = path_of(burst_target)
        base_text = originals[p].decode("utf-8")
        events.drain()
        t_burst = time.perf_counter()
        last = None
        for k in range(args.burst):
            due = t_burst + k / args.burst
            now = time.perf_counter()
            if due > now:
                time.sleep(due - now)
            last = f"バースト{k:03d}回目の値"
            write(p, set_cell(base_text, last))
        t_last_write = time.perf_counter()
        burst_events = []
        final_ok, final_status, final_body = False, None, ""
        deadline = t_last_write + SAFETY_TIMEOUT
        # The last rebuild may already have happened: look first, then wait for events.
        while True:
            burst_events += events.drain()
            final_status, final_body, _ = fetch(server, journey_url(server, burst_target))
            if final_status == 200 and last in final_body:
                final_ok = True
                break
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            try:
                burst_events.append(events.next(left))
            except queue.Empty:
                break
        t_correct = time.perf_counter()
        # Count late rebuilds too: wait for one quiet second.
        while True:
            try:
                burst_events.append(events.next(1.0))
            except queue.Empty:
                break
        final_status, final_body, _ = fetch(server, journey_url(server, burst_target))
        final_ok = final_ok and final_status == 200 and last in final_body
        idx_status, _, idx_s = fetch(server, server.base)
        results["burst"] = {
            "journey": burst_target,
            "writes": args.burst,
            "write_span_s": t_last_write - t_burst,
            "rebuild_events": len(burst_events),
            "correct_after_last_write_s": t_correct - t_last_write if final_ok else None,
            "final_correct": final_ok,
            "overlay_shown": 'id="tabiji-overlay"' in final_body,
            "failed_rebuilds": failed_rebuilds(server) - fails_before_burst,
            "index_status": idx_status,
            "index_fetch_s": idx_s,
        }
        results["single_failed_rebuilds"] = fails_before_burst
        results["server_alive"] = server.proc.poll() is None
        results["server_rebuild_lines"] = [l for _, s, l in server.lines if s == "out" and l.startswith("rebuilt")]
        results["server_errors"] = [l for _, s, l in server.lines if s == "err"][:20]
    finally:
        if events:
            events.close()
        server.stop()
        for p, b in originals.items():
            with open(p, "wb") as f:
                f.write(b)

    report(results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    ok = all(s["ok"] for s in results["singles"]) and results["burst"]["final_correct"] and results["burst"]["index_status"] == 200
    sys.exit(0 if ok else 1)


def report(r):
    s = r["singles"]
    good = [x for x in s if x.get("event_s") is not None]
    ev = [x["event_s"] for x in good]
    fe = [x["fetch_s"] for x in good]
    both = [x["event_plus_fetch_s"] for x in good]
    server_ms = [int(m.group(1)) for l in r["server_rebuild_lines"][: len(s)] if (m := re.search(r"rebuilt in (\d+) ms", l))]
    print(f"Site: {r['site']} ({r['journeys']:,} journeys). Server start to listening: {r['startup_s']:.2f} s; "
          f"first `/` fetch: {ms(r['first_index_fetch_s'])}.")
    print()
    print(f"### Single journey edits ({len(s)}; {sum(x['ok'] for x in s)} showed the new text)")
    print()
    print("| | median | p90 | max |")
    print("| --- | ---: | ---: | ---: |")
    if ev:
        print(f"| write → `generation` event | {ms(statistics.median(ev))} | {ms(pct(ev, 90))} | {ms(max(ev))} |")
        print(f"| page fetch after the event | {ms(statistics.median(fe))} | {ms(pct(fe, 90))} | {ms(max(fe))} |")
        print(f"| write → event + page fetched | {ms(statistics.median(both))} | {ms(pct(both, 90))} | {ms(max(both))} |")
    if server_ms:
        print(f"| server's own \"rebuilt in\" | {server_ms and statistics.median(server_ms)} ms | {pct(server_ms, 90)} ms | {max(server_ms)} ms |")
    extra = sum(x.get("extra_events", 0) for x in s)
    print()
    print(f"Server CPU (user+sys, all threads) per edit: {ms(r['server_cpu_per_edit_s'])}. "
          f"Extra events after an edit's first one: {extra}. Failed rebuilds reported by the server: "
          f"{r['single_failed_rebuilds']}. Edits with no event in {SAFETY_TIMEOUT:.0f} s or a wrong page: "
          f"{sum(not x['ok'] for x in s)}.")
    b = r["burst"]
    print()
    print(f"### Burst: {b['writes']} writes to one journey in {b['write_span_s']:.2f} s")
    print()
    print("| | |")
    print("| --- | --- |")
    print(f"| final page shows the last value | {'yes' if b['final_correct'] else 'NO'} |")
    c = b["correct_after_last_write_s"]
    print(f"| last write → page correct | {ms(c) if c is not None else '—'} |")
    print(f"| rebuild events | {b['rebuild_events']} |")
    print(f"| failed rebuilds during the burst (server stderr) | {b['failed_rebuilds']} |")
    print(f"| error overlay on the final page | {'YES' if b['overlay_shown'] else 'no'} |")
    print(f"| `/` afterwards | HTTP {b['index_status']} in {ms(b['index_fetch_s'])} |")
    print(f"| server still running | {'yes' if r['server_alive'] else 'NO'} |")
    if r["server_errors"]:
        print()
        print("Server stderr (first lines):")
        print()
        print("```")
        print("\n".join(r["server_errors"]))
        print("```")


if __name__ == "__main__":
    main()
