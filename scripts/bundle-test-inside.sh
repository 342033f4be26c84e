#!/usr/bin/env bash
# Runs inside a clean Debian 12 container (scripts/dev bundle-test): installs
# /out/devteam.deb with apt as a user would, starts the installed app under
# Xvfb, screenshots it to /out/installed-app.png and checks what a user
# would expect: the binaries on PATH, the desktop entry, a window titled
# DevTeam showing the UI, the data folder created, devteam-cli beside it.
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
note() { echo "$*" | tee -a /out/report.txt; }
ok() { note "ok   $*"; }
bad() { note "FAIL $*"; }
step() { printf '\033[1;34m-->\033[0m %s\n' "$*"; }

: >/out/report.txt
step "apt-get update"
apt-get update -qq >/out/apt.log 2>&1 || { tail -20 /out/apt.log; bad "apt-get update: no mirror reachable"; exit 1; }

step "apt-get install ./devteam.deb (its dependencies from the mirror)"
# The bundler names the package after productName in kebab case (dev-team).
pkg="$(dpkg-deb -f /out/devteam.deb Package)"
if apt-get install -y -qq --no-install-recommends /out/devteam.deb >>/out/apt.log 2>&1; then
  ok "the .deb installs with apt on a clean Debian 12 ($(dpkg-query -W -f='${Package} ${Version}' "$pkg"))"
else
  tail -30 /out/apt.log
  bad "apt-get install ./devteam.deb"
  exit 1
fi

for bin in devteam devteam-cli; do
  if p="$(command -v "$bin")"; then ok "$bin is installed at $p"; else bad "$bin is not on PATH"; fi
done
desktop="$(dpkg -L "$pkg" | grep -E '/usr/share/applications/.*\.desktop$' | head -1)"
if [ -n "$desktop" ] && grep -q '^Exec=devteam' "$desktop"; then
  ok "desktop entry $desktop ($(grep -m1 '^Name=' "$desktop"), $(grep -m1 '^Icon=' "$desktop"))"
else
  bad "no desktop entry starting devteam"
fi
if v="$(devteam-cli --version 2>&1)"; then ok "$v"; else bad "devteam-cli --version: $v"; fi
# The version comes from Cargo.toml (the bundle has none of its own).
installed="$(dpkg-query -W -f='${Version}' "$pkg")"
if [ "$installed" = "${EXPECTED_VERSION:-}" ] && [ "$v" = "devteam-cli ${EXPECTED_VERSION:-}" ]; then
  ok "package and devteam-cli are version $installed, as Cargo.toml says"
else
  bad "version: package $installed, $v; Cargo.toml says ${EXPECTED_VERSION:-(not given)}"
fi

step "installing the test's own tools (Xvfb, ImageMagick, xdotool)"
apt-get install -y -qq --no-install-recommends xvfb xauth imagemagick xdotool procps >>/out/apt.log 2>&1 \
  || { tail -20 /out/apt.log; bad "cannot install Xvfb and ImageMagick"; exit 1; }

# What runs on the virtual display: the installed app, as a user starts it.
cat >/tmp/under-x.sh <<'UNDER_X'
devteam >/out/app.log 2>&1 &
app=$!
win=""
for _ in $(seq 1 60); do
  # xdotool matches names without case: GTK's own "devteam" leader window
  # matches too, so compare each name exactly.
  for w in $(xdotool search --name '^DevTeam$' 2>/dev/null); do
    [ "$(xdotool getwindowname "$w")" = DevTeam ] && win=$w && break
  done
  [ -n "$win" ] && break
  kill -0 $app 2>/dev/null || break
  sleep 1
done
if [ -n "$win" ]; then
  echo "ok   a window titled \"$(xdotool getwindowname "$win")\" is open"
else
  echo "FAIL no window titled DevTeam within 60 s"
fi
sleep 12 # the webview loads and renders the dashboard
import -window root /out/installed-app.png
echo "ok   screenshot taken ($(identify -format '%wx%h, %k colours' /out/installed-app.png))"
data=/root/.local/share/devteam
if [ -s "$data/devteam.sqlite3" ]; then echo "ok   the data folder $data holds the database"; else echo "FAIL no database in $data"; fi
if ls "$data"/logs/* >/dev/null 2>&1; then echo "ok   the app writes its log in $data/logs"; else echo "FAIL no log in $data/logs"; fi
if [ -s "$data/app.lock" ]; then
  echo "ok   app.lock holds pid $(cat "$data/app.lock") (the app's pid: $app)"
  out="$(devteam-cli projects add --customer A --name B --repo-url /srv/git/b 2>&1)"
  case "$out" in
    *"DevTeam is running on this data folder"*) echo "ok   devteam-cli refuses to write beside the app: $out" ;;
    *) echo "FAIL devteam-cli wrote beside the app: $out" ;;
  esac
else
  echo "FAIL app.lock is not held: a second engine could open this data folder"
fi
if devteam-cli projects list >/dev/null 2>&1; then echo "ok   devteam-cli reads beside the app"; else echo "FAIL devteam-cli projects list"; fi
if kill -0 $app 2>/dev/null; then echo "ok   the app is still running after the checks"; else echo "FAIL the app exited: $(tail -5 /out/app.log)"; fi
kill $app 2>/dev/null
wait $app 2>/dev/null
exit 0
UNDER_X

step "starting the installed app under Xvfb"
# WebKit in a container: no GPU (the same settings as the e2e tests).
export WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
export XDG_RUNTIME_DIR=/tmp/runtime-root
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
xvfb-run -a -s "-screen 0 1440x900x24" bash /tmp/under-x.sh >>/out/report.txt 2>&1

colours="$(identify -format '%k' /out/installed-app.png 2>/dev/null || echo 0)"
# An empty or error page is a few flat colours; the dashboard has text,
# icons and panels (and font anti-aliasing) in hundreds.
if [ "$colours" -ge 200 ]; then ok "the window shows the UI ($colours colours)"; else bad "the window looks empty ($colours colours): were the UI assets found?"; fi
step "report"
cat /out/report.txt
! grep -q '^FAIL' /out/report.txt
