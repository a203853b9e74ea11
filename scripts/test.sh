#!/usr/bin/env bash
# Run every test of tabiji on a fresh machine: installs what is missing, skips what is there.
# `.ci/run` calls exactly this script.
#
#   setup      Debian's chromium and fonts-noto-cjk (apt-get), Java for the Nu checker, the
#              Node packages of package-lock.json (npm ci), hyperlink (cargo install)
#   cargo      cargo test --locked --all-targets
#   hygiene    cargo clippy --all-targets -- -D warnings; RUSTDOCFLAGS=-D warnings cargo doc --no-deps
#   site       the sample site (this repository) built into target/e2e-site
#   browser    tests/e2e/*.test.mjs in Chromium (npm test): clicking through, search,
#              onboarding, live reload and the error overlay of `tabiji serve`, axe-core on
#              every page type, screenshots in target/screenshots/
#   html       the Nu HTML checker on every page of target/e2e-site: zero errors
#   links      hyperlink --check-anchors on target/e2e-site: zero broken links or anchors
#
# Every stage runs (those that need the site only when it built); the script exits non-zero
# when any stage failed, and ends with a timing table and a `stages: N passed, N failed` line.
set -uo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# A clean run gains nothing from incremental caches; they doubled target/ (see Cargo.toml).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
SITE=target/e2e-site
CHROMIUM=/usr/bin/chromium
VNU=node_modules/vnu-jar/build/dist/vnu.jar
HYPERLINK_VERSION=0.3.2
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$PATH:$CARGO_BIN"

names=() results=() seconds=()
header() { printf '\n==== %s ====\n' "$*"; }
# stage NAME COMMAND...: run it, time it, record passed/FAILED.
stage() {
  local name=$1 start rc
  shift
  header "$name"
  start=$(date +%s)
  "$@"
  rc=$?
  names+=("$name")
  seconds+=($(($(date +%s) - start)))
  if [ "$rc" -eq 0 ]; then results+=(passed); else results+=("FAILED (exit $rc)"); fi
  printf -- '---- %s: %s in %ss\n' "$name" "${results[-1]}" "${seconds[-1]}"
  return "$rc"
}
skip() {
  header "$1"
  echo "skipped: $2"
  names+=("$1") results+=("FAILED (skipped: $2)") seconds+=(0)
}
summary() {
  header "summary"
  local i passed=0 failed=0
  for i in "${!names[@]}"; do
    printf '  %-54s %5ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
    if [ "${results[$i]}" = passed ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
  printf '  %-54s %5ss\n' "total" "$(($(date +%s) - T0))"
  echo "stages: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
T0=$(date +%s)

# ---- setup: install only what is missing ------------------------------------------------

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n env DEBIAN_FRONTEND=noninteractive "$@"
  else echo "not root and no sudo: cannot run $*" >&2; return 1
  fi
}
apt_updated=0
# apt_need PACKAGE...: install the Debian packages that are not installed yet.
apt_need() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "already installed: $*"
    return 0
  fi
  echo "installing: ${missing[*]}"
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get -q -o DPkg::Lock::Timeout=300 update || return 1
    apt_updated=1
  fi
  as_root apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${missing[@]}"
}

setup_system() {
  if ! command -v cargo >/dev/null; then
    echo "cargo is required: install Rust from your distribution or rustup" >&2
    return 2
  fi
  # A C compiler: the mimalloc allocator is built from C by its crate.
  if ! command -v cc >/dev/null; then apt_need gcc libc6-dev || return 1; fi
  apt_need chromium fonts-noto-cjk || return 1
  [ -x "$CHROMIUM" ] || { echo "$CHROMIUM is missing after installing chromium" >&2; return 1; }
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then apt_need nodejs npm || return 1; fi
  # The benchmark scripts (bench/*.py) are run on a small site below.
  if ! command -v python3 >/dev/null; then apt_need python3 || return 1; fi
  if ! command -v java >/dev/null; then apt_need openjdk-17-jre-headless || return 1; fi
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null | head -1)"
  echo "node: $(node --version), npm: $(npm --version)"
  echo "java: $(java -version 2>&1 | head -1)"
}

setup_node() {
  # node_modules is fresh when it was installed by `npm ci` from this very package-lock.json.
  local sum stamp=node_modules/.tabiji-package-lock.sha256
  sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -d node_modules/playwright-core ] \
    && [ -d node_modules/axe-core ] && [ -f "$VNU" ]; then
    echo "node_modules is up to date with package-lock.json"
    return 0
  fi
  echo "node_modules is missing or stale: npm ci"
  timeout -k 10 900 npm ci --no-audit --no-fund || return 1
  echo "$sum" >"$stamp"
}

setup_hyperlink() {
  if command -v hyperlink >/dev/null; then
    echo "already installed: $(command -v hyperlink) ($(hyperlink --version 2>/dev/null))"
    return 0
  fi
  timeout -k 10 1200 cargo install hyperlink --locked --version "$HYPERLINK_VERSION"
}

stage "setup: chromium, fonts, node, java" setup_system || { summary; exit 1; }
stage "setup: npm ci (package-lock.json)" setup_node || { summary; exit 1; }
stage "setup: hyperlink" setup_hyperlink || { summary; exit 1; }

# ---- tests ------------------------------------------------------------------------------

stage "cargo test" timeout -k 30 1800 cargo test --locked --all-targets

hygiene() {
  # clippy ships with the toolchain; a minimal rustup profile may lack it.
  if ! cargo clippy --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null; then rustup component add clippy || return 1
    else echo "cargo clippy is missing and rustup is not there to add it" >&2; return 1
    fi
  fi
  timeout -k 10 900 cargo clippy --locked --all-targets -- -D warnings || return 1
  RUSTDOCFLAGS="-D warnings" timeout -k 10 600 cargo doc --locked --no-deps
}
stage "hygiene: clippy -D warnings, cargo doc -D warnings" hygiene

build_site() {
  cargo build --locked --bin tabiji 2>&1 | tail -n 3 || return 1
  [ -x target/debug/tabiji ] || return 1
  target/debug/tabiji build . -o "$SITE"
}
if stage "build the sample site into $SITE" build_site; then site_ok=1; else site_ok=0; fi

# The benchmark still runs (issue 8 wants it part of the repository, runnable with one
# command): a 10-persona site from bench/gen_site.py, timed by bench/measure.py (2 runs of
# build and check, each build into a new folder; bench/run_folders.py).
bench_smoke() {
  local dir=target/bench-smoke out
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  python3 bench/gen_site.py --personas 10 "$dir/site-10" || return 1
  out=$(python3 bench/measure.py sizes target/debug/tabiji 2 "$dir/site-10") || return 1
  echo "$out"
  rm -rf "$dir"
  # The table's row for the site: 10 personas, and a page count.
  echo "$out" | grep -Eq '^\| 10 \| [0-9,]+ \| [0-9,]+ \|'
}

browser_suite() {
  local rc log=target/e2e.log pass fail
  # spec output (readable in CI logs); every browser step and test has its own time limit.
  TABIJI_E2E_SITE="$SITE" NODE_OPTIONS="--test-reporter=spec" timeout -k 30 1200 npm test 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  pass=$(sed -nE 's/^(# |ℹ )pass ([0-9]+)$/\2/p' "$log" | tail -n 1)
  fail=$(sed -nE 's/^(# |ℹ )fail ([0-9]+)$/\2/p' "$log" | tail -n 1)
  [ "$rc" -eq 124 ] && echo "the browser suite ran out of time (20 minutes) and was stopped"
  echo "screenshots: $(ls target/screenshots/*.png 2>/dev/null | wc -l) in target/screenshots/"
  echo "e2e: ${pass:-0} passed, ${fail:-0} failed"
  [ "$rc" -eq 0 ] && [ -n "$pass" ] && [ "$pass" -gt 0 ]
}

nu_check() {
  echo "checking $(find "$SITE" -name '*.html' | wc -l) HTML files"
  timeout -k 10 600 java -jar "$VNU" --errors-only --skip-non-html "$SITE" && echo "Nu HTML checker: no errors"
}

link_check() {
  timeout -k 10 300 hyperlink "$SITE" --check-anchors
}

if [ "$site_ok" -eq 1 ]; then
  stage "bench: bench/measure.py on a 10-persona site" bench_smoke
  stage "browser: Chromium end-to-end, axe-core, screenshots" browser_suite
  stage "html: Nu HTML checker" nu_check
  stage "links: hyperlink --check-anchors" link_check
else
  for s in "bench: bench/measure.py on a 10-persona site" "browser: Chromium end-to-end, axe-core, screenshots" "html: Nu HTML checker" "links: hyperlink --check-anchors"; do
    skip "$s" "the sample site did not build"
  done
fi

summary
