#!/usr/bin/env bash
# Time `tabiji diff` between two revisions of the 2,000-persona synthetic site.
#   bench/diff.sh [PERSONAS] [RUNS]
# Commits the generated site into a scratch repository under target/bench/, edits one cell
# of one journey, and times `tabiji diff HEAD` (working tree) and `tabiji diff HEAD~1 HEAD`.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
runs="${2:-5}"
cargo build --release --quiet
bin="$PWD/target/release/tabiji"
repo="target/bench/diff-$n"
rm -rf "$repo"
python3 bench/gen_site.py --personas "$n" "$repo" 2>/dev/null
cd "$repo"
git init -q -b main
git add -A
git -c user.email=bench@example.invalid -c user.name=bench commit -qm base
journeys=(content/journeys/*.toml)
f="${journeys[0]}"
sed -i '0,/problem = "/s//problem = "（変更）/' "$f"
git -c user.email=bench@example.invalid -c user.name=bench commit -qam edit
sed -i '0,/thinking = "/s//thinking = "（作業中）/' "$f"
time_it() {
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
t = []
for _ in range(runs):
    s = time.perf_counter(); subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter() - s)
print(f"| `{' '.join(c if ' ' not in c else repr(c) for c in cmd[1:])}` | {statistics.median(t)*1000:.0f} ms | {min(t)*1000:.0f} ms | {max(t)*1000:.0f} ms |")
PY
}
echo "| command ($n personas, $runs runs) | median | min | max |"
echo "| --- | ---: | ---: | ---: |"
time_it "$bin" diff HEAD --format json
time_it "$bin" diff HEAD~1 HEAD --format json
time_it "$bin" diff HEAD~1 --format markdown
