# shellcheck shell=bash
# Installable bundles (`scripts/dev bundle`) and their test on a clean Debian
# (`scripts/dev bundle-test`). Sourced by scripts/dev after lib.sh. Slow (a
# release build), so never part of `scripts/dev test`.

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BUNDLE_DIR="$TARGET_DIR/release/bundle"
BASE_IMAGE="devteam-debian-base:bookworm"
# The Debian mirror apt uses on this machine (deb822 or one-line sources).
DEBIAN_MIRROR="${DEVTEAM_DEBIAN_MIRROR:-$(
  grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    | grep -oE 'https?://[^ ]+/debian/?$' | head -1 || true
)}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# The Tauri CLI as an argument list: `cargo tauri` when installed, else the
# one pinned in ui/package-lock.json (npm ships it prebuilt), else it is
# installed with cargo once (a long compile).
TAURI=()
find_tauri_cli() {
  if cargo tauri --version >/dev/null 2>&1; then
    TAURI=(cargo tauri)
  elif [ -x ui/node_modules/.bin/tauri ]; then
    TAURI=(ui/node_modules/.bin/tauri)
  else
    say "installing tauri-cli (cargo install, many minutes once)"
    cargo install tauri-cli --version '^2' --locked --quiet
    TAURI=(cargo tauri)
  fi
  say "Tauri CLI: $("${TAURI[@]}" --version)"
}

# The AppImage step runs linuxdeploy and AppRun, which the Tauri bundler
# fetches from GitHub into ~/.cache/tauri on first use.
appimage_tools_ready() {
  local tools="${XDG_CACHE_HOME:-$HOME/.cache}/tauri"
  if [ -x "$tools/linuxdeploy-x86_64.AppImage" ] && [ -x "$tools/AppRun-x86_64" ]; then return 0; fi
  timeout 10 curl -sfI https://github.com >/dev/null 2>&1
}

build_bundles() {
  setup_system_packages
  setup_ui_packages
  find_tauri_cli
  local started=$SECONDS
  say "building devteam-cli (release) to ship beside the app"
  cargo build --release --locked --quiet -p devteam-cli
  build_ui
  # deb.files in tauri.conf.json names target/; follow CARGO_TARGET_DIR. The
  # UI is built above: the CLI from ui/node_modules would run the config's
  # beforeBuildCommand inside ui/, where its `--prefix ui` is wrong.
  local files="{\"build\":{\"beforeBuildCommand\":null},\"bundle\":{\"linux\":{\"deb\":{\"files\":{\"/usr/bin/devteam-cli\":\"$TARGET_DIR/release/devteam-cli\"}}}}}"
  say "building the app (release) and the .deb with the Tauri bundler"
  "${TAURI[@]}" build --ci --bundles deb --config "$files" -- --locked
  if appimage_tools_ready; then
    say "bundling the AppImage"
    "${TAURI[@]}" bundle --bundles appimage --config "$files"
  else
    say "AppImage skipped: the Tauri bundler needs linuxdeploy and AppRun from GitHub, which this machine cannot reach;"
    say "  put linuxdeploy-x86_64.AppImage, AppRun-x86_64 and linuxdeploy-plugin-{gtk,gstreamer}.sh in ~/.cache/tauri to build it"
  fi
  say "bundles built in $((SECONDS - started)) s:"
  find "$BUNDLE_DIR" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.AppImage' \) -printf '  %p (%s bytes)\n' >&2
}

# The newest .deb the bundler wrote (its name carries the Cargo.toml version).
the_deb() {
  ls -t "$BUNDLE_DIR"/deb/*.deb 2>/dev/null | head -1
}

# A minimal Debian 12 image made here (no registry): debootstrap from the
# mirror apt uses, then `docker import`. Built once, kept by its tag.
ensure_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  command -v debootstrap >/dev/null 2>&1 || {
    say "installing debootstrap"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  local root
  root="$(mktemp -d)"
  say "debootstrap Debian 12 from $DEBIAN_MIRROR (a few minutes, once)"
  $SUDO debootstrap --variant=minbase bookworm "$root" "$DEBIAN_MIRROR" >"$STATE_DIR/debootstrap.log" 2>&1 || {
    tail -20 "$STATE_DIR/debootstrap.log" >&2
    $SUDO rm -rf "$root"
    return 1
  }
  $SUDO rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  say "importing it as $BASE_IMAGE"
  $SUDO tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
  $SUDO rm -rf "$root"
}

# Installs the .deb on a clean Debian in a container, starts the installed
# app under Xvfb there, takes a screenshot and checks what a user would see.
bundle_test() {
  local started=$SECONDS deb
  deb="$(the_deb)"
  [ -n "$deb" ] || { echo "no .deb in $BUNDLE_DIR/deb: run scripts/dev bundle first" >&2; return 1; }
  ensure_dockerd
  ensure_base_image
  mkdir -p "$ARTIFACTS"
  local out
  out="$(mktemp -d)"
  cp "$deb" "$out/devteam.deb"
  cp "$ROOT/scripts/bundle-test-inside.sh" "$out/inside.sh"
  say "installing $(basename "$deb") on a clean Debian 12 and starting it under Xvfb"
  local network=()
  if ! timeout 30 docker run --rm "$BASE_IMAGE" bash -c "exec 3<>/dev/tcp/$(mirror_host)/80" 2>/dev/null; then
    say "a container cannot reach $(mirror_host) on its own network: using the host's"
    network=(--network host)
  fi
  local rc=0
  docker run --rm "${network[@]}" --shm-size=512m -v "$out:/out" \
    -e DEBIAN_MIRROR="$DEBIAN_MIRROR" -e EXPECTED_VERSION="$(cargo_version)" "$BASE_IMAGE" bash /out/inside.sh || rc=$?
  [ -f "$out/installed-app.png" ] && cp "$out/installed-app.png" "$ARTIFACTS/installed-app.png"
  [ -f "$out/report.txt" ] && cp "$out/report.txt" "$ARTIFACTS/installed-app.txt"
  [ -f "$out/app.log" ] && cp "$out/app.log" "$ARTIFACTS/installed-app.log"
  [ -f "$out/apt.log" ] && cp "$out/apt.log" "$ARTIFACTS/installed-app-apt.log"
  rm -rf "$out"
  say "bundle test took $((SECONDS - started)) s; screenshot: $ARTIFACTS/installed-app.png"
  if [ "$rc" -ne 0 ]; then echo "FAIL: the installed app did not pass (see above)" >&2; return "$rc"; fi
  say "PASS: the .deb installs on a clean Debian 12 and the app starts"
}

# The version in the workspace's Cargo.toml, which the bundles carry.
cargo_version() {
  sed -n 's/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1
}

mirror_host() {
  echo "$DEBIAN_MIRROR" | sed -E 's#^[a-z]+://([^/:]+).*#\1#'
}
