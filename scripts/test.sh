#!/usr/bin/env bash
# Run every test of tabiji on a fresh machine: installs what is missing, skips what is there.
# `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "cargo is required: install Rust from your distribution or rustup" >&2
  exit 2
fi

echo "== cargo test"
cargo test --locked --all-targets 2>&1
