#!/usr/bin/env bash
# tabiji against Hugo (and, optionally, another tabiji binary) on the same synthetic sites:
# fresh-folder builds, the tools taking turns run by run, medians. Prints a Markdown table.
#
#   bench/compare.sh                               200 and 2,000 personas, 7 runs each
#   bench/compare.sh --sizes "200" --runs 9
#   bench/compare.sh --baseline /path/to/old/tabiji   also an earlier build, for CPU ratios
#   bench/compare.sh --rebuild                     builds into the output the previous build
#                                                  left (the user's loop), not a new folder
#
# Sites: bench/gen_site.py writes target/bench/site-N; bench/export_markdown.py turns it into
# a Hugo site with the same pages and text (target/bench/export-N); both only when missing.
# Every build goes into a new folder under $BENCH_OUT (default /dev/shm, a tmpfs: a disk's
# write-back and the file system's bookkeeping after large deletions add seconds of noise
# that belong to neither tool), deleted after the run; with --rebuild, each tool first builds
# once into its folder (not timed), and every timed run builds into it again (Hugo then
# writes every file anew, tabiji only those whose bytes changed: none, the text being the
# same). Each run is wrapped in /usr/bin/time
# for CPU (user + sys) and peak RSS. Ratios are medians of the ratios of runs made side by
# side. Installs the Debian packages `hugo` and `time` when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=7 SIZES="200 2000" BASELINE="" REBUILD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) REBUILD=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
OUT=${BENCH_OUT:-/dev/shm}
missing=()
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
  { apt-get -q update && apt-get -q -y install --no-install-recommends "${missing[@]}"; } >&2
fi
cargo build --release --locked --quiet
TABIJI=$PWD/target/release/tabiji
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for n in $SIZES; do
  site=target/bench/site-$n export=target/bench/export-$n
  [ -d "$site" ] || python3 bench/gen_site.py --personas "$n" "$site" >&2
  [ -d "$export/hugo" ] || python3 bench/export_markdown.py "$site" "$export" >&2
  tools=(tabiji hugo)
  [ -n "$BASELINE" ] && tools=(tabiji baseline hugo)
  # build_command TOOL DEST: sets `cmd` to the build command of a tool.
  build_command() {
    case $1 in
      tabiji) cmd=("$TABIJI" build "$site" -o "$2") ;;
      baseline) cmd=("$BASELINE" build "$site" -o "$2") ;;
      hugo) cmd=(hugo --quiet -s "$export/hugo" -d "$2") ;;
    esac
  }
  if [ "$REBUILD" -eq 1 ]; then
    for tool in "${tools[@]}"; do
      dest=$OUT/tabiji-bench-$tool-$n
      rm -rf "$dest"
      build_command "$tool" "$dest"
      "${cmd[@]}" >/dev/null 2>&1
    done
  fi
  for r in $(seq 1 "$RUNS"); do
    for tool in "${tools[@]}"; do
      if [ "$REBUILD" -eq 1 ]; then dest=$OUT/tabiji-bench-$tool-$n; else dest=$OUT/tabiji-bench-$tool-$n-$r; rm -rf "$dest"; fi
      build_command "$tool" "$dest"
      start=$(date +%s.%N)
      /usr/bin/time -f "%U %S %M" -o "$log.t" "${cmd[@]}" >/dev/null 2>&1
      end=$(date +%s.%N)
      read -r user sys rss <"$log.t"
      echo "$n $r $tool $start $end $user $sys $rss" >>"$log"
      [ "$REBUILD" -eq 1 ] || rm -rf "$dest"
      echo "  $n personas, run $r: $tool done" >&2
    done
  done
  if [ "$REBUILD" -eq 1 ]; then
    for tool in "${tools[@]}"; do rm -rf "$OUT/tabiji-bench-$tool-$n"; done
  fi
done
rm -f "$log.t"

python3 - "$log" <<'EOF'
import statistics, sys
from collections import defaultdict
runs = defaultdict(dict)  # (n, r) -> tool -> (wall, cpu, rss)
for line in open(sys.argv[1]):
    n, r, tool, start, end, user, sys_, rss = line.split()
    runs[(int(n), int(r))][tool] = (float(end) - float(start), float(user) + float(sys_), int(rss) / 1024)
sizes = sorted({n for n, _ in runs})
print("| personas | tool | wall (median) | CPU user+sys (median) | peak RSS (max) | wall ÷ Hugo (paired median) | CPU ÷ baseline (paired median) |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
for n in sizes:
    rs = [v for (m, _), v in sorted(runs.items()) if m == n]
    for tool in ("tabiji", "baseline", "hugo"):
        got = [x[tool] for x in rs if tool in x]
        if not got:
            continue
        wall = statistics.median(g[0] for g in got)
        cpu = statistics.median(g[1] for g in got)
        peak = max(g[2] for g in got)
        vs_hugo = statistics.median(x[tool][0] / x["hugo"][0] for x in rs if tool in x) if tool != "hugo" else None
        vs_base = statistics.median(x[tool][1] / x["baseline"][1] for x in rs if "baseline" in x) if tool == "tabiji" and "baseline" in rs[0] else None
        f = lambda v: "" if v is None else f"{v:.2f}×"
        print(f"| {n:,} | {tool} | {wall*1000:,.0f} ms | {cpu:.2f} s | {peak:,.0f} MiB | {f(vs_hugo)} | {f(vs_base)} |")
EOF
