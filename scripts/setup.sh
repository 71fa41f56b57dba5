#!/usr/bin/env bash
# Idempotent installers for everything the demo and the tests need. Each step
# checks first and skips what is present, so a second run installs nothing.
#
# Every check looks a tool up by absolute path (`type -P`, or a fixed path),
# never by a bare name that a shell function or alias could shadow: that is how
# Chromium was once never installed (the installer function was itself called
# `chromium`, so `command -v chromium` found the function). After installing,
# each step checks again and fails loudly, naming the tool, if it is still
# missing.
#
# Usage: scripts/setup.sh STEP...   (no step: all)
#   wasm-target   rustup's wasm32-unknown-unknown target (the WASM package)
#   wasm-bindgen  wasm-bindgen-cli at the wasm-bindgen crate's exact version
#   nightly       a nightly toolchain (minimal profile) for cargo-fuzz
#   cargo-fuzz    cargo-fuzz (crates.io)
#   venv          .venv with py/requirements-dev.txt (maturin, pytest, ruff, mypy, PyJWT)
#   npm           js/node_modules from js/package-lock.json
#   chromium      Debian's chromium (the browser tests; never a downloaded browser)
#   prometheus    Debian's prometheus, for promtool (the alert rules' unit tests); no server left running
#   musl-target   rustup's x86_64-unknown-linux-musl target (the static CLI in dist/)
#   musl-tools    Debian's musl-tools: musl-gcc, the C compiler ring needs for the musl CLI
#   dist-tools    .venv with py/requirements-dist.txt (ziglang for maturin --zig, auditwheel)
#   all           every step above
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin

say() { printf '==> setup: %s\n' "$*" >&2; }
die() {
  printf '!! setup: %s\n' "$*" >&2
  exit 1
}

# require TOOL PATH: fails naming TOOL unless PATH is an executable file.
require() {
  [ -n "$2" ] && [ -x "$2" ] && [ -f "$2" ] || die "$1 is still missing after installing it (looked for ${2:-it on PATH})"
}

# apt_install PACKAGE...: Debian packages, non-interactive; `apt-get update` once per run.
apt_updated=
apt_install() {
  [ "$(id -u)" = 0 ] || die "installing $* needs root (apt-get install -y $*)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

wasm_bindgen_version() {
  # The exact version of the wasm-bindgen crate in Cargo.lock.
  awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock
}

has_wasm_target() { rustup target list --installed | grep -qx wasm32-unknown-unknown; }
install_wasm_target() {
  has_wasm_target && return
  say "adding the wasm32-unknown-unknown target (rustup)"
  rustup target add wasm32-unknown-unknown
  has_wasm_target || die "the wasm32-unknown-unknown target is still missing after rustup target add"
}

wasm_bindgen_ok() {
  local bin=$CARGO_BIN/wasm-bindgen
  [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q " $1\$"
}
install_wasm_bindgen() {
  local want
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "no wasm-bindgen version in Cargo.lock"
  wasm_bindgen_ok "$want" && return
  say "installing wasm-bindgen-cli $want (the wasm-bindgen crate's version; a few minutes)"
  # --locked first; its lock file names a webpki-roots release that the
  # registry reachable here lacks, so fall back to the newest compatible crates.
  cargo install wasm-bindgen-cli --version "$want" --locked --quiet 2>/dev/null ||
    cargo install wasm-bindgen-cli --version "$want" --quiet
  wasm_bindgen_ok "$want" || die "wasm-bindgen $want is still missing at $CARGO_BIN/wasm-bindgen after cargo install"
}

has_nightly() { rustup run nightly rustc --version >/dev/null 2>&1; }
install_nightly() {
  has_nightly && return
  say "installing a nightly toolchain (minimal profile) for cargo-fuzz"
  rustup toolchain install nightly --profile minimal
  has_nightly || die "the nightly toolchain is still missing after rustup toolchain install nightly"
}

cargo_fuzz_ok() { [ -x "$CARGO_BIN/cargo-fuzz" ] && "$CARGO_BIN/cargo-fuzz" --version >/dev/null 2>&1; }
install_cargo_fuzz() {
  cargo_fuzz_ok && return
  say "installing cargo-fuzz (crates.io; a few minutes)"
  cargo install cargo-fuzz --locked --quiet 2>/dev/null || cargo install cargo-fuzz --quiet
  cargo_fuzz_ok || die "cargo-fuzz is still missing at $CARGO_BIN/cargo-fuzz after cargo install"
}

install_venv() {
  local python
  if [ ! -x .venv/bin/python ]; then
    python=$(type -P python3) || die "python3 is not on PATH: install Python 3.9 or newer"
    say "creating .venv ($python)"
    "$python" -m venv .venv
  fi
  require "a Python virtual environment" "$ROOT/.venv/bin/python"
  if ! cmp -s py/requirements-dev.txt .venv/.requirements-dev.txt; then
    say "installing py/requirements-dev.txt into .venv"
    .venv/bin/pip install -q --disable-pip-version-check -r py/requirements-dev.txt
    cp py/requirements-dev.txt .venv/.requirements-dev.txt
  fi
  local tool
  for tool in maturin pytest ruff mypy; do require "$tool (.venv)" "$ROOT/.venv/bin/$tool"; done
}

install_npm() {
  type -P node >/dev/null || die "node is not on PATH: install Node.js 18 or newer"
  type -P npm >/dev/null || die "npm is not on PATH"
  # Installed already: the lock this script last installed, and every tool
  # still there (a removed node_modules/.bin entry reinstalls).
  if [ -f js/node_modules/.package-lock.json ] && cmp -s js/package-lock.json js/node_modules/.lock-installed &&
    npm_tools_present; then
    return
  fi
  say "npm ci in js/"
  # npm 11's `npm ci` refuses a lock that lacks other platforms' optional
  # packages (@napi-rs/lzma-*, npm/cli#8805), and the registry reachable here
  # serves only linux-x64 ones, so the lock cannot list them. `npm install
  # --no-save` then installs the lock's versions without rewriting it.
  (cd js && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null ||
    npm install --no-save --no-audit --no-fund --loglevel=error; })
  local tool
  for tool in "${NPM_TOOLS[@]}"; do
    require "$tool (js/node_modules)" "$(readlink -f "$ROOT/js/node_modules/.bin/$tool")"
  done
  cp js/package-lock.json js/node_modules/.lock-installed
}

# The build tools, and the edge runtimes and bundlers the edge stage runs
# (npm packages that carry their binaries: nothing is downloaded elsewhere).
NPM_TOOLS=(napi tsc wasm-opt workerd deno bun esbuild vite)

# Whether every tool of NPM_TOOLS is in js/node_modules/.bin, resolving to an
# executable file.
npm_tools_present() {
  local tool path
  for tool in "${NPM_TOOLS[@]}"; do
    path=$(readlink -f "$ROOT/js/node_modules/.bin/$tool") || return 1
    [ -f "$path" ] && [ -x "$path" ] || return 1
  done
}

install_chromium() {
  [ -x /usr/bin/chromium ] && return
  say "installing Debian's chromium (apt-get)"
  apt_install chromium
  require chromium /usr/bin/chromium
}

# Debian's prometheus package is the only source of promtool, the one runner of
# Prometheus rule unit tests. Its maintainer scripts would start the server,
# which the tests do not need: while installing, a policy-rc.d (what invoke-rc.d
# and deb-systemd-invoke ask before starting a service) refuses every start,
# unless the host has one already (Docker images ship one that refuses them
# too). Should a server run after all, it is stopped. On a systemd host the
# package still enables the unit for the next boot: `systemctl disable prometheus`.
install_prometheus() {
  [ -x /usr/bin/promtool ] && return
  say "installing Debian's prometheus (apt-get; for promtool, the rule test runner)"
  [ "$(id -u)" = 0 ] || die "installing prometheus needs root (apt-get install -y prometheus)"
  local policy=/usr/sbin/policy-rc.d ours=
  if [ ! -e "$policy" ]; then
    ours=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    printf '#!/bin/sh\n# scripts/setup.sh prometheus: start no service while installing\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  apt_install prometheus
  if [ -n "$ours" ]; then
    rm -f "$policy"
    trap - EXIT
  fi
  if service prometheus status >/dev/null 2>&1; then
    say "stopping the prometheus server the package started"
    service prometheus stop >/dev/null
  fi
  require promtool /usr/bin/promtool
  require prometheus /usr/bin/prometheus
}

has_musl_target() { rustup target list --installed | grep -qx x86_64-unknown-linux-musl; }
install_musl_target() {
  has_musl_target && return
  say "adding the x86_64-unknown-linux-musl target (rustup)"
  rustup target add x86_64-unknown-linux-musl
  has_musl_target || die "the x86_64-unknown-linux-musl target is still missing after rustup target add"
}

install_musl_tools() {
  [ -x /usr/bin/musl-gcc ] && return
  say "installing Debian's musl-tools (apt-get; musl-gcc compiles ring's C for the static CLI)"
  apt_install musl-tools
  require musl-gcc /usr/bin/musl-gcc
}

install_dist_tools() {
  install_venv
  if ! cmp -s py/requirements-dist.txt .venv/.requirements-dist.txt; then
    say "installing py/requirements-dist.txt into .venv (ziglang is ~100 MB)"
    .venv/bin/pip install -q --disable-pip-version-check -r py/requirements-dist.txt
    cp py/requirements-dist.txt .venv/.requirements-dist.txt
  fi
  require "auditwheel (.venv)" "$ROOT/.venv/bin/auditwheel"
  .venv/bin/python -m ziglang version >/dev/null 2>&1 ||
    die "zig (the ziglang package in .venv) is still missing after pip install"
}

[ $# -gt 0 ] || set -- all
for step in "$@"; do
  case $step in
    wasm-target) install_wasm_target ;;
    wasm-bindgen) install_wasm_bindgen ;;
    nightly) install_nightly ;;
    cargo-fuzz) install_cargo_fuzz ;;
    venv) install_venv ;;
    npm) install_npm ;;
    chromium) install_chromium ;;
    prometheus) install_prometheus ;;
    musl-target) install_musl_target ;;
    musl-tools) install_musl_tools ;;
    dist-tools) install_dist_tools ;;
    all)
      install_wasm_target
      install_wasm_bindgen
      install_nightly
      install_cargo_fuzz
      install_venv
      install_npm
      install_chromium
      install_prometheus
      install_musl_target
      install_musl_tools
      install_dist_tools
      ;;
    *) die "unknown setup step: $step (see the usage at the top of scripts/setup.sh)" ;;
  esac
done
