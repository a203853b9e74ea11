#!/usr/bin/env bash
# tabiji against Hugo, mdBook and a floor on the same synthetic sites. Prints Markdown tables
# on stdout (progress on stderr).
#
#   bench/compare.sh                 sites of 200 and 2,000 personas, 5 runs each
#   bench/compare.sh --full          also 10,000 personas (5 runs; several GB written and deleted)
#   bench/compare.sh --runs N        runs per tool for 200 and 2,000 personas (default 5)
#   bench/compare.sh --full-runs N   runs per tool for 10,000 personas (default 5)
#   bench/compare.sh --warmup N      untimed runs per tool and size before the timed ones (default 1)
#   bench/compare.sh --sizes "10 200" other site sizes (a size of 10,000 or more uses --full-runs)
#   bench/compare.sh --mdbook-max N  largest site given to mdBook (default 2000; see below)
#
# For each size: bench/gen_site.py writes the site, bench/export_markdown.py turns it into a
# Hugo site and an mdBook with the same pages and text (both only when the generators or the
# size changed since the last time: see "deleted files" below), then each tool builds it into
# a fresh folder of its own:
#
#   tabiji  target/release/tabiji build SITE -o OUT
#   Hugo    hugo --quiet -s EXPORT/hugo -d OUT            (Hugo's --cleanDestinationDir is not
#                                                          needed: OUT is always a new folder)
#   mdBook  mdbook build EXPORT/mdbook -d OUT
#   floor   bench/floor: read every input, pulldown-cmark over every text, write as many files
#           and bytes as tabiji's HTML pages (N and B taken from tabiji's run of the same size)
#
# mdBook's time grows with the square of the page count (for every page it clones template
# data that holds the list of all chapters: mdbook-html 0.5.4, hbs_renderer.rs), about 5 min
# for 2,000 personas here: so it runs once on sites of 1,000 personas or more, and not at all
# above --mdbook-max (2 hours or so for 10,000 personas).
#
# Deleted files: no folder is deleted between runs; every run writes a new one, and all are
# deleted (and synced) only after the last measurement. On ext4 without a journal (this
# machine's disk), creating a file scans past every inode deleted in the last 5 minutes in
# the same block group (`recently_deleted` in fs/ext4/ialloc.c): with 20,000 output files
# deleted before each run, creating the next 20,000 became quadratic, and `perf` put
# `find_inode_bit`, `recently_deleted` and `find_get_block_common` at over half the
# samples of a 10,000-persona build; every tool, the floor included, paid for it. The
# outputs of a 10,000-persona comparison take about 10 GB of disk until the end, but not of
# memory: before each run the previous run's output is dropped from the page cache, so that
# the kernel does not reclaim it during a later run (bench/run_folders.py; every run's log
# line says how many pages were reclaimed while it ran). A comparison started within six
# minutes of the end of the previous one (or of regenerating a site) waits until then.
#
# Runs are interleaved (tabiji, Hugo, mdBook, floor, then again), and so are the sizes (a
# round of each in turn), so that a change in the machine's load hits every tool and size
# alike. Each run is wrapped in /usr/bin/time -v for peak RSS
# and CPU time; wall time is measured around it. Also: `tabiji check` on each site, and the
# cold start of each tool on the repository's sample site (20 runs).
#
# Installs what is missing: the Debian packages `time` and `hugo` (apt-get, as root) and
# `mdbook` (cargo install mdbook --locked). Everything runs at lowered priority (renice +10
# of this script, inherited by the children). Work folders: target/bench/compare/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

FULL=0
RUNS=5
FULL_RUNS=5
WARMUP=1
MDBOOK_MAX=2000
SIZES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --runs) RUNS="$2"; shift ;;
    --full-runs) FULL_RUNS="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --sizes) SIZES="$2"; shift ;;
    --mdbook-max) MDBOOK_MAX="$2"; shift ;;
    -h|--help) sed -n '2,50p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$SIZES" ]; then
  SIZES="200 2000"
  if [ "$FULL" = 1 ]; then SIZES="$SIZES 10000"; fi
fi

renice -n 10 -p $$ >/dev/null 2>&1 || true
export PATH="$HOME/.cargo/bin:$PATH"

apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing the Debian package '$1'" >&2
    apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$1" >/dev/null 2>&1; }
  fi
  command -v "$2" >/dev/null 2>&1 || { echo "could not install '$1'; install it and run again" >&2; exit 1; }
}
[ -x /usr/bin/time ] || apt_install time /usr/bin/time
command -v hugo >/dev/null 2>&1 || apt_install hugo hugo
if ! command -v mdbook >/dev/null 2>&1; then
  echo "installing mdbook (cargo install mdbook --locked)" >&2
  cargo install mdbook --locked --quiet
fi

echo "building tabiji and bench/floor (release)" >&2
cargo build --release --quiet
CARGO_TARGET_DIR="$ROOT/target/bench/floor-target" cargo build --release --quiet --manifest-path bench/floor/Cargo.toml
WORK="$ROOT/target/bench/compare"
mkdir -p "$WORK"
# A copy, so that a rebuild of target/release during the runs does not change what is measured.
cp target/release/tabiji "$WORK/tabiji"
BIN="$WORK/tabiji"
FLOOR="$ROOT/target/bench/floor-target/release/tabiji-floor"
GEN=$(cat bench/gen_site.py bench/export_markdown.py | sha256sum | cut -c1-16)
for n in $SIZES; do
  # Regenerated only when needed: it deletes tens of thousands of files (see above).
  if [ "$(cat "$WORK/site-$n/.generated" 2>/dev/null)" != "$GEN" ] || [ ! -d "$WORK/export-$n" ]; then
    echo "generating and exporting $n personas" >&2
    existed=0
    if [ -d "$WORK/site-$n" ] || [ -d "$WORK/export-$n" ]; then existed=1; fi
    rm -f "$WORK/site-$n/.generated"
    python3 bench/gen_site.py --personas "$n" "$WORK/site-$n" 2>/dev/null
    python3 bench/export_markdown.py "$WORK/site-$n" "$WORK/export-$n" 2>/dev/null
    echo "$GEN" > "$WORK/site-$n/.generated"
    # The old site and export were deleted: the runs wait (bench/run_folders.py).
    if [ "$existed" = 1 ]; then date +%s > "$WORK/.last-deletion"; fi
  else
    echo "$n personas: site and export are up to date" >&2
  fi
done
python3 bench/export_markdown.py "$ROOT" "$WORK/export-sample" 2>/dev/null
sync

echo "## Machine"
echo
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc = $(nproc)"
echo "- Memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "- Kernel: $(uname -sr); $(rustc --version)"
echo "- tabiji: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- src templates 2>/dev/null || echo ' (src/ or templates/ has uncommitted changes)')"
echo "- $(hugo version | cut -d' ' -f1-2); $(mdbook --version)"
echo "- Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

python3 - "$BIN" "$FLOOR" "$WORK" "$ROOT" "$RUNS" "$FULL_RUNS" "$MDBOOK_MAX" "$WARMUP" $SIZES <<'PY'
import atexit
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BIN, FLOOR, WORK, ROOT = sys.argv[1:5]
RUNS, FULL_RUNS, MDBOOK_MAX, WARMUP = (int(x) for x in sys.argv[5:9])
SIZES = [int(x) for x in sys.argv[9:]]
TOOLS = ("tabiji", "hugo", "mdbook", "floor")
NAMES = {"tabiji": "tabiji build", "hugo": "Hugo", "mdbook": "mdBook", "floor": "floor"}
HUGO, MDBOOK = shutil.which("hugo"), shutil.which("mdbook")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd):
    """One run under /usr/bin/time -v: (wall s, user+sys s, peak RSS KiB, output text)."""
    with tempfile.NamedTemporaryFile("w+") as tv, tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tv.name, *cmd], stdout=out, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode(errors="replace")
        tv.seek(0)
        v = tv.read()
    if p.returncode != 0:
        sys.exit(f"`{' '.join(cmd)}` exited with {p.returncode}:\n{text[-3000:]}\n{v[-1000:]}")
    num = lambda label: float(re.search(re.escape(label) + r": ([\d.]+)", v).group(1))
    return wall, num("User time (seconds)") + num("System time (seconds)"), int(num("Maximum resident set size (kbytes)")), text


# Every run's output folder: a new one per run, the previous one's pages dropped from the page
# cache before the next run, all deleted at the end (bench/run_folders.py says why).
sys.path.insert(0, os.path.join(ROOT, "bench"))
from run_folders import RunFolders, delete_tree, reclaimed  # noqa: E402

for name in os.listdir(WORK):  # what an interrupted comparison left behind
    if name.startswith("runs-") or name.startswith("out-"):
        delete_tree(os.path.join(WORK, name), WORK)
FOLDERS = RunFolders(WORK, "runs-")  # waits 6 minutes after a large deletion in WORK
atexit.register(FOLDERS.close)  # also when a run fails or the comparison is interrupted
fresh_out = FOLDERS.fresh


def tree(path):
    """(HTML files, HTML bytes, all files, all bytes) under path."""
    h = hb = f = fb = 0
    for root, _, files in os.walk(path):
        for name in files:
            s = os.lstat(os.path.join(root, name)).st_size
            f += 1
            fb += s
            if name.endswith(".html"):
                h += 1
                hb += s
    return h, hb, f, fb


def fmt_s(t):
    if t < 0.1:
        return f"{t * 1000:.1f} ms"
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def fmt_mb(b):
    return f"{b / 1e6:,.1f} MB" if b < 1e7 else f"{b / 1e6:,.0f} MB"


def fmt_rss(kb):
    return f"{kb / 1024:,.0f} MiB"


results = {}  # (n, tool) -> dict


def runs_for(n):
    """Timed runs per tool at a size (`--runs`, or `--full-runs` from 10,000 personas)."""
    return FULL_RUNS if n >= 10000 else RUNS


def tool_runs(tool, n, runs):
    if tool == "mdbook":
        return 0 if n > MDBOOK_MAX else (1 if n >= 1000 else runs)
    return runs


def measure(n, runs, rec):
    """Measures one size into `rec`, a round at a time: a generator that stops after the
    warm-up and after each round of runs, so that the sizes' rounds can take turns."""
    site = f"{WORK}/site-{n}"
    exp = f"{WORK}/export-{n}"
    outs = {}
    command = {
        "tabiji": lambda out: [BIN, "build", site, "-o", out],
        "hugo": lambda out: [HUGO, "--quiet", "-s", f"{exp}/hugo", "-d", out],
        "mdbook": lambda out: [MDBOOK, "build", f"{exp}/mdbook", "-d", out],
        # As many pages and bytes as tabiji's HTML (its output is the same in every run).
        "floor": lambda out: [FLOOR, site, out, *(str(x) for x in rec["tabiji"]["tree"][:2])],
    }
    rec.update({t: {"wall": [], "cpu": [], "rss": []} for t in TOOLS})
    rec["reclaimed"] = []  # pages the kernel reclaimed during each timed build
    # Untimed warm-up runs first (not for a tool that runs once: mdBook on large sites), so
    # that no tool's first run pays for reading its input from disk.
    for w in range(WARMUP):
        for tool in TOOLS:
            if tool_runs(tool, n, runs) < 2:
                continue
            out = fresh_out(f"{n}-{tool}-warmup-{w + 1}")
            log(f"  {n} personas: {tool} warm-up {w + 1}/{WARMUP}")
            run(command[tool](out))
            if tool == "tabiji":
                rec[tool]["tree"] = tree(out)
    yield
    for r in range(runs):
        for tool in TOOLS:
            k = tool_runs(tool, n, runs)
            if r >= k:
                continue
            outs[tool] = fresh_out(f"{n}-{tool}-{r + 1}")
            cmd = command[tool](outs[tool])
            log(f"  {n} personas: {tool} run {r + 1}/{k}")
            before = reclaimed()
            wall, cpu, rss, text = run(cmd)
            if before is not None:
                rec["reclaimed"].append(reclaimed() - before)
            log(f"    {fmt_s(wall)}, {fmt_rss(rss)}, {rec['reclaimed'][-1] if before is not None else '?'} pages reclaimed")
            rec[tool]["wall"].append(wall)
            rec[tool]["cpu"].append(cpu)
            rec[tool]["rss"].append(rss)
            if r == k - 1 or "tree" not in rec[tool]:
                rec[tool]["tree"] = tree(outs[tool])
                rec[tool]["text"] = text
            if tool == "tabiji" and "index" not in rec[tool]:
                idx = os.path.join(outs[tool], "search", "index.json")
                pr = os.path.join(outs[tool], "print", "index.html")
                rec[tool]["index"] = os.path.getsize(idx) if os.path.exists(idx) else 0
                rec[tool]["print"] = os.path.getsize(pr) if os.path.exists(pr) else 0
        yield
    # tabiji check, same number of runs as the build
    chk = {"wall": [], "cpu": [], "rss": []}
    for r in range(runs):
        log(f"  {n} personas: tabiji check run {r + 1}/{runs}")
        wall, cpu, rss, text = run([BIN, "check", site])
        if "0 errors, 0 warnings" not in text:
            log(f"warning: check of {site} was not clean: {text[-300:]}")
        chk["wall"].append(wall)
        chk["cpu"].append(cpu)
        chk["rss"].append(rss)
    rec["check"] = chk


def med(rec, tool):
    w = rec[tool]["wall"]
    return statistics.median(w) if w else None


def table(n, rec, runs):
    tb = med(rec, "tabiji")
    trss = max(rec["tabiji"]["rss"])
    print(f"### {n:,} personas")
    print()
    print("| tool | runs | pages (HTML files) | HTML | all output | median wall (min–max) | CPU | pages/s | peak RSS "
          "| tabiji ÷ tool, time | tabiji ÷ tool, RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool in TOOLS:
        r = rec[tool]
        if not r["wall"]:
            print(f"| {NAMES[tool]} | 0 | not run (more than {MDBOOK_MAX:,} personas) | | | | | | | | |")
            continue
        w = med(rec, tool)
        h, hb, f, fb = r["tree"]
        ratio = "—" if tool == "tabiji" else f"**{tb / w:.2f}**"
        rr = "—" if tool == "tabiji" else f"{trss / max(r['rss']):.2f}"
        span = f"{fmt_s(w)} ({fmt_s(min(r['wall']))}–{fmt_s(max(r['wall']))})" if len(r["wall"]) > 1 else fmt_s(w)
        print(f"| {NAMES[tool]} | {len(r['wall'])} | {h:,} | {fmt_mb(hb)} | {fmt_mb(fb)} ({f:,} files) | {span} "
              f"| {fmt_s(statistics.median(r['cpu']))} | {h / w:,.0f} | {fmt_rss(max(r['rss']))} | {ratio} | {rr} |")
    c = rec["check"]
    cw = statistics.median(c["wall"])
    print()
    print(f"tabiji's search index: {fmt_mb(rec['tabiji']['index'])}; print page: {fmt_mb(rec['tabiji']['print'])}. "
          f"`tabiji check` ({len(c['wall'])} runs): {fmt_s(cw)} median ({fmt_s(min(c['wall']))}–{fmt_s(max(c['wall']))}), "
          f"peak RSS {fmt_rss(max(c['rss']))}, **{cw / tb:.0%} of the build**.")
    if rec["reclaimed"]:
        print(f"Pages the kernel reclaimed while the builds ran: {sum(rec['reclaimed']):,} in "
              f"{sum(1 for x in rec['reclaimed'] if x)} of {len(rec['reclaimed'])} runs.")
    print()
    floor_text = rec["floor"]["text"].strip().splitlines()
    if floor_text:
        print(f"Floor, last run: `{floor_text[-1]}`")
        print()
    sys.stdout.flush()


# Nothing is deleted before the end: check that every run's output fits (per persona and
# run: tabiji about 143 KB, Hugo 69 KB, the floor 121 KB, mdBook 230 KB).
need = sum(n * ((tool_runs("tabiji", n, runs_for(n)) + WARMUP) * 333_000
                + tool_runs("mdbook", n, runs_for(n)) * 230_000) for n in SIZES)
free = shutil.disk_usage(WORK).free
if free < need * 1.1:
    sys.exit(f"the runs' outputs need about {need * 1.1 / 1e9:.0f} GB in {WORK}; {free / 1e9:.0f} GB are free")

# The sizes take turns, a round of runs each (after every size's warm-up), so that a change
# in the machine's speed over the minutes of a comparison hits every size alike: the
# scaling ratio compares runs made side by side, not minutes apart.
turns = []
for n in SIZES:
    runs = runs_for(n)
    log(f"{n} personas, {runs} runs")
    results[n] = {}
    turns.append(measure(n, runs, results[n]))
while turns:
    turns = [t for t in turns if next(t, StopIteration) is not StopIteration]
for n in SIZES:
    table(n, results[n], runs_for(n))

if len(SIZES) > 1:
    print("### Scaling (median wall time, relative to the smaller site)")
    print()
    print("| from → to | personas × | tabiji | Hugo | mdBook | floor | tabiji peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for a, b in zip(SIZES, SIZES[1:]):
        cells = []
        for t in TOOLS:
            x, y = med(results[a], t), med(results[b], t)
            cells.append(f"{y / x:.2f}×" if x and y else "—")
        print(f"| {a:,} → {b:,} | {b / a:.0f}× | " + " | ".join(cells)
              + f" | {fmt_rss(max(results[a]['tabiji']['rss']))} → {fmt_rss(max(results[b]['tabiji']['rss']))} |")
    print()

# Cold start: the repository's sample site, 20 runs each.
COLD = 20
exp = f"{WORK}/export-sample"
cases = [
    ("`tabiji build` sample site", lambda out: [BIN, "build", ROOT, "-o", out]),
    ("`hugo` (same pages)", lambda out: [HUGO, "--quiet", "-s", f"{exp}/hugo", "-d", out]),
    ("`mdbook build` (same pages)", lambda out: [MDBOOK, "build", f"{exp}/mdbook", "-d", out]),
]
rows = []
for i, (label, cmd) in enumerate(cases):
    walls, cpus, rsss = [], [], []
    for r in range(COLD):
        out = fresh_out(f"sample-{i}-{r + 1}", settle=False)
        wall, cpu, rss, _ = run(cmd(out))
        walls.append(wall)
        cpus.append(cpu)
        rsss.append(rss)
    pages = tree(out)[0]
    rows.append((label, pages, walls, cpus, rsss))
log("cold start done")
print(f"### Cold start: the repository's sample site ({COLD} runs each)")
print()
print("| command | pages | median | min | max | CPU | peak RSS |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for label, pages, walls, cpus, rsss in rows:
    print(f"| {label} | {pages} | {fmt_s(statistics.median(walls))} | {fmt_s(min(walls))} | {fmt_s(max(walls))} "
          f"| {fmt_s(statistics.median(cpus))} | {fmt_rss(max(rsss))} |")
print()
print("Wall time around `/usr/bin/time -v` (its own start adds about 1 ms); CPU is user+sys and peak RSS the "
      "maximum over the runs, both from `time -v` (CPU in steps of 10 ms).")
log("deleting the outputs")
PY

echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
