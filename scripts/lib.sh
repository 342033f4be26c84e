# shellcheck shell=bash
# The functions behind scripts/dev: each one idempotent, each one loud about
# what it does, so a newcomer sees why a step takes time.

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

STATE_DIR="${DEVTEAM_DEV_STATE:-$ROOT/target/dev-state}"
ARTIFACTS="${CARGO_TARGET_DIR:-$ROOT/target}/test-artifacts"
mkdir -p "$STATE_DIR"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libxdo-dev
  docker.io iptables busybox-static
  xvfb xauth webkit2gtk-driver imagemagick xdotool x11-utils
  gnome-keyring dbus-x11 libsecret-tools
  git nodejs npm
  debootstrap tar
)

setup_system_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    if [ "$p" = nodejs ] || [ "$p" = npm ]; then
      command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue
    fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

ensure_dockerd() {
  if docker_answers; then return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "dockerd is not installed: run scripts/dev setup" >&2
    return 1
  fi
  say "starting dockerd (log: /var/log/devteam-dockerd.log)"
  $SUDO sh -c 'nohup dockerd >/var/log/devteam-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    if docker_answers; then say "dockerd answers"; return 0; fi
    sleep 1
  done
  echo "dockerd did not answer within 60 s; see /var/log/devteam-dockerd.log" >&2
  tail -20 /var/log/devteam-dockerd.log >&2 || true
  return 1
}

ensure_tauri_driver() {
  if command -v tauri-driver >/dev/null 2>&1; then return 0; fi
  say "installing tauri-driver (cargo install, a few minutes once)"
  cargo install tauri-driver --locked --quiet
}

setup_ui_packages() {
  local stamp="$STATE_DIR/npm-ci.stamp"
  if [ -d ui/node_modules ] && [ "$stamp" -nt ui/package-lock.json ]; then return 0; fi
  say "installing UI packages (npm install, versions pinned by package-lock.json)"
  # Not `npm ci`: npm 11 leaves other platforms' optional packages out of the
  # lock file it writes here, and `npm ci` then refuses it as out of sync.
  (cd ui && npm install --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}

setup_all() {
  setup_system_packages
  ensure_dockerd || say "Docker is not available: the app runs, Docker features report it"
  setup_ui_packages
  ensure_tauri_driver
}

build_ui() {
  say "building the UI"
  (cd ui && npm run build --silent)
}

build_workspace() {
  say "building the workspace (a cold build takes many minutes)"
  cargo build --workspace --locked --quiet
}

# Runs "$@" with a virtual display when there is none.
with_display() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1440x900x24" "$@"; fi
}

# Runs "$@" inside a private D-Bus session with a fresh, unlocked login keyring.
with_keyring() {
  local home
  home="$(mktemp -d)"
  # Toolchains stay where they are; only the keyring's home is fresh.
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
  export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
  HOME="$home" XDG_DATA_HOME="$home/.local/share" dbus-run-session -- bash -c '
    echo -n "devteam-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    "$@"' _ "$@"
}

export -f with_display with_keyring

run_app() {
  build_ui
  build_workspace
  say "the main job: the demo project's task list, walked by the engine (real Docker, real git)"
  "${CARGO_TARGET_DIR:-$ROOT/target}/debug/devteam-cli" demo || say "the demo did not finish; the window shows the project"
  local bin="${CARGO_TARGET_DIR:-$ROOT/target}/debug/devteam"
  if [ -n "${DISPLAY:-}" ]; then
    exec "$bin"
  fi
  local shot="$ARTIFACTS/run-window.png"
  mkdir -p "$ARTIFACTS"
  say "no display: starting DevTeam under Xvfb, screenshot in $shot"
  xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
    "$1" & app=$!
    sleep 12
    import -window root "$2"
    echo "screenshot of the window: $2"
    echo "DevTeam keeps running under Xvfb; press Ctrl-C to stop it."
    wait $app' _ "$bin" "$shot"
}

regen_bindings() {
  say "writing ui/src/bindings.ts"
  cargo run --quiet --locked -p devteam --bin devteam -- --export-bindings ui/src/bindings.ts
}

run_tests() {
  build_ui
  say "cargo build (workspace, tests included)"
  cargo test --workspace --locked --no-run --quiet
  say "engine has no Tauri dependency"
  if cargo tree -p devteam-engine --edges normal,build | grep -E '(^| )tauri' ; then
    echo "FAIL: devteam-engine depends on tauri" >&2; return 1
  fi
  say "Rust tests (real Docker, real keychain, real display)"
  with_keyring with_display cargo test --workspace --locked --no-fail-fast -- --test-threads=2
  say "UI unit tests (Vitest)"
  (cd ui && npx vitest run)
  say "end-to-end test of the app window (WebDriver under Xvfb)"
  with_keyring with_display bash tests/e2e/run.sh
  say "the installed app: the .deb (a release build) installed on a clean Debian 12, started under Xvfb"
  build_bundles
  bundle_test
}

run_demo() {
  local cli="${CARGO_TARGET_DIR:-$ROOT/target}/debug/devteam-cli"
  "$cli" demo "$@"
}

run_benches() {
  cargo bench --locked -p devteam-engine "$@"
}

run_fuzz() {
  local secs="${1:-60}"
  command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
  (cd src-tauri/engine/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run tasklist_roundtrip -- -max_total_time="$secs")
}
