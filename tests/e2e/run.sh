#!/usr/bin/env bash
# Runs the end-to-end tests against the built app binary. Needs a display
# (scripts/dev test provides Xvfb) and tauri-driver with WebKitWebDriver.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
export DEVTEAM_APP="${DEVTEAM_APP:-$TARGET/debug/devteam}"
export DEVTEAM_TEST_ARTIFACTS="${DEVTEAM_TEST_ARTIFACTS:-$TARGET/test-artifacts}"
export PATH="$HOME/.cargo/bin:$PATH"
command -v tauri-driver >/dev/null || { echo "tauri-driver is missing: run scripts/dev setup" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "WebKitWebDriver is missing: run scripts/dev setup" >&2; exit 1; }
[ -x "$DEVTEAM_APP" ] || { echo "no app binary at $DEVTEAM_APP: build it first" >&2; exit 1; }
# WebKit inside a container: no GPU, no sandboxing namespaces.
export WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
cd "$ROOT/tests/e2e"
# Bounded: a stuck window must fail the run, not hang it.
timeout 1800 node --test --test-concurrency=1 ./*.test.mjs
