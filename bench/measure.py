#!/usr/bin/env python3
"""Time tabiji commands for bench/run.sh and print Markdown tables.

    python3 bench/measure.py sizes  BIN RUNS SITE...     build + check per site
    python3 bench/measure.py cold   BIN RUNS SITE        cold start on a small site

Wall times are taken with time.perf_counter around the child process; the median of RUNS is
reported (min and max beside it), with the child's user+sys CPU time (from os.wait4), which
is less disturbed than wall time when other work shares the machine. Peak RSS comes from one extra run of each command under
`/usr/bin/time -v` when it exists, else from os.wait4's rusage of the child (the same
number: the child's ru_maxrss). Every build writes a new folder; the previous build's output
is dropped from the page cache before it, and all are deleted after a site's last run
(bench/run_folders.py says why).
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_folders import RunFolders  # noqa: E402

# The benchmark reads tabiji's English lines ("built N pages", "rebuilt in N ms").
os.environ["TABIJI_LANG"] = "en"

GNU_TIME = "/usr/bin/time"


def run_timed(cmd):
    """Run cmd; return (wall seconds, user+sys CPU seconds, stdout+stderr text). Exit on failure."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(out.fileno(), 2)
                os.execv(cmd[0], cmd)
            finally:
                os._exit(127)
        _, status, ru = os.wait4(pid, 0)
        dt = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"`{' '.join(cmd)}` exited with {code}:\n{text[-3000:]}")
    return dt, ru.ru_utime + ru.ru_stime, text


def peak_rss_kb(cmd):
    """Peak resident set size of one run of cmd, in KiB."""
    if os.access(GNU_TIME, os.X_OK):
        p = subprocess.run([GNU_TIME, "-v", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        m = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
        if p.returncode == 0 and m:
            return int(m.group(1)), "time -v"
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"`{' '.join(cmd)}` failed")
    return ru.ru_maxrss, "wait4"  # KiB on Linux


def series(cmd, runs, before=None):
    """RUNS runs of cmd: (wall times, CPU times, output of the last run)."""
    walls, cpus, out = [], [], ""
    for i in range(runs):
        if before:
            before()
        dt, cpu, out = run_timed(cmd(i) if callable(cmd) else cmd)
        walls.append(dt)
        cpus.append(cpu)
    return walls, cpus, out


def fmt_s(t):
    if t < 0.1:
        return f"{t * 1000:.1f} ms"
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def fmt_mb(kb):
    return f"{kb / 1024:.0f} MiB"


def count_files(site):
    n = 0
    for _, _, files in os.walk(os.path.join(site, "content")):
        n += len(files)
    return n


def personas(site):
    return len(os.listdir(os.path.join(site, "content", "personas")))


def du_mb(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.lstat(os.path.join(root, f)).st_size
    return total / 1e6


def sizes(bin_, runs, sites):
    rows = []
    rss_how = None
    for site in sites:
        folders = RunFolders(os.path.dirname(os.path.abspath(site)), os.path.basename(site) + "-runs-")

        def build(i):
            return [bin_, "build", site, "-o", folders.fresh(str(i))]

        try:
            check = [bin_, "check", site]
            print(f"  {site}: build x{runs}", file=sys.stderr, flush=True)
            bt, bcpu, bout = series(build, runs)
            m = re.search(r"built (\d+) pages", bout)
            pages = int(m.group(1)) if m else None
            out_mb = du_mb(os.path.join(folders.root, "0"))
            b_rss, rss_how = peak_rss_kb(build("rss"))
            print(f"  {site}: check x{runs}", file=sys.stderr, flush=True)
            ct, ccpu, cout = series(check, runs)
            if "0 errors, 0 warnings" not in cout:
                print(f"warning: check of {site} was not clean:\n{cout[-500:]}", file=sys.stderr)
            c_rss, _ = peak_rss_kb(check)
        finally:
            folders.close()  # also when a run fails
        rows.append((personas(site), count_files(site), pages, out_mb, bt, bcpu, b_rss, ct, ccpu, c_rss))

    print("| personas | source files | pages | output | build median (min–max) | build CPU | pages/s | build peak RSS "
          "| check median (min–max) | check CPU | check / build | check peak RSS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, files, pages, out_mb, bt, bcpu, b_rss, ct, ccpu, c_rss in rows:
        bm, cm = statistics.median(bt), statistics.median(ct)
        pps = f"{pages / bm:,.0f}" if pages else "?"
        print(f"| {n:,} | {files:,} | {pages:,} | {out_mb:,.0f} MB | {fmt_s(bm)} ({fmt_s(min(bt))}–{fmt_s(max(bt))}) "
              f"| {fmt_s(statistics.median(bcpu))} | {pps} | {fmt_mb(b_rss)} "
              f"| {fmt_s(cm)} ({fmt_s(min(ct))}–{fmt_s(max(ct))}) | {fmt_s(statistics.median(ccpu))} | {cm / bm:.0%} "
              f"| {fmt_mb(c_rss)} |")
    print()
    print(f"{runs} runs each; wall time is the median (min–max); CPU is the median user+sys time of the "
          f"process (all threads); pages/s = pages / median build wall time; peak RSS from one extra run "
          f"({rss_how}).")


def cold(bin_, runs, site):
    with tempfile.TemporaryDirectory(prefix="tabiji-cold-") as tmp:
        out_dir = os.path.join(tmp, "public")
        clean = lambda: shutil.rmtree(out_dir, ignore_errors=True)
        cases = [
            ("`tabiji --version` (process start floor)", [bin_, "--version"], None),
            ("`tabiji check` sample site", [bin_, "check", site], None),
            ("`tabiji build` sample site → temp dir", [bin_, "build", site, "-o", out_dir], clean),
        ]
        print("| command | median | min | max | CPU (median) | peak RSS |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, cmd, before in cases:
            t, cpu, _ = series(cmd, runs, before)
            rss, _ = peak_rss_kb(cmd)
            print(f"| {label} | {fmt_s(statistics.median(t))} | {fmt_s(min(t))} | {fmt_s(max(t))} "
                  f"| {fmt_s(statistics.median(cpu))} | {fmt_mb(rss)} |")
        print()
        print(f"{runs} runs each, wall time; CPU is user+sys.")


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("sizes", "cold"):
        sys.exit(__doc__)
    mode, bin_, runs, sites = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    if mode == "sizes":
        sizes(bin_, runs, sites)
    else:
        cold(bin_, runs, sites[0])


if __name__ == "__main__":
    main()
