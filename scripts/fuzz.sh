#!/usr/bin/env bash
# Run every fuzz target for a given number of seconds each (default 60).
#   scripts/fuzz.sh 600
# Needs cargo-fuzz (`cargo install cargo-fuzz`); works on stable Rust via RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  echo "== $target for ${secs}s"
  seeds=(); [ -d "seeds/$target" ] && seeds=("seeds/$target")
  log="$(cargo fuzz run "$target" -O "$PWD/corpus/$target" "${seeds[@]/#/$PWD/}" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 || true)"
  grep -E "^(Done|==|INFO: seed|error)|SUMMARY|panicked|ERROR" <<<"$log" || true
  if ! grep -q "^Done" <<<"$log"; then
    # A target that does not build used to pass silently here.
    echo "$target did not run:" >&2; tail -30 <<<"$log" >&2
    exit 1
  fi
  if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    echo "crash found in $target: see fuzz/artifacts/$target" >&2
    exit 1
  fi
done
