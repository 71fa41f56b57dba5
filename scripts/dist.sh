#!/usr/bin/env bash
# Installable artifacts (`make dist`), into dist/ (gitignored), one folder per
# kind so that other kinds (dist/npm/) can sit beside them:
#
#   dist/python/jwt_accord-<v>-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#       one abi3 wheel for CPython >= 3.9 with a glibc 2.17 floor: `maturin build --zig`
#       links against zig's glibc 2.17 stubs, and `auditwheel show` must confirm the
#       manylinux_2_17 tag (the build fails otherwise);
#   dist/python/jwt_accord-<v>.tar.gz
#       the sdist: the binding crate with the core (a path dependency), the workspace
#       manifest and Cargo.lock; checked here for those files (scripts/test-dist.sh
#       also builds a wheel from it);
#   dist/cli/jwt-accord-<v>-x86_64-unknown-linux-musl (+ .sha256)
#       the CLI, release profile, statically linked against musl and stripped; checked
#       to have no dynamic dependency. Where rustup cannot add the musl target, the
#       glibc build ships instead (...-x86_64-unknown-linux-gnu) and its glibc floor
#       (the newest GLIBC_ symbol version it needs) is printed and written beside it.
#
# Usage: scripts/dist.sh [python|cli]...   (no argument: all of them)
#
# Each kind is built once: its stamp (dist/<kind>/.stamp) is skipped over while no
# input is newer and its artifacts are present. The tools come from
# scripts/setup.sh (dist-tools, musl-target, musl-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=$ROOT/dist
say() { printf '==> dist: %s\n' "$*" >&2; }
die() {
  printf '!! dist: %s\n' "$*" >&2
  exit 1
}

VERSION=$(awk '/^\[workspace.package\]/{p=1} p && /^version = /{gsub(/version = |"/,""); print; exit}' Cargo.toml)
[ -n "$VERSION" ] || die "no [workspace.package] version in Cargo.toml"
RUST_INPUTS=(Cargo.toml Cargo.lock core/src core/Cargo.toml)

# fresh KIND INPUT...: dist/KIND/.stamp exists and no input file is newer.
fresh() {
  local stamp=$DIST/$1/.stamp
  shift
  [ -f "$stamp" ] && [ -z "$(find "$@" -newer "$stamp" -type f -not -path '*/__pycache__/*' \
    -not -name '*.so' -print -quit 2>/dev/null)" ]
}

# timed LABEL COMMAND...: runs COMMAND and says how long it took.
timed() {
  local label=$1 t0=$SECONDS
  shift
  "$@"
  say "$label: $((SECONDS - t0)) s"
}

maturin_in_venv() {
  (cd py && VIRTUAL_ENV=$ROOT/.venv PATH=$ROOT/.venv/bin:$PATH "$ROOT/.venv/bin/maturin" "$@")
}

dist_python() {
  local out=$DIST/python wheel sdist tags listing file
  wheel=$out/jwt_accord-$VERSION-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
  sdist=$out/jwt_accord-$VERSION.tar.gz
  if fresh python "${RUST_INPUTS[@]}" bindings/python py/jwt_accord py/pyproject.toml py/README.md &&
    [ -f "$wheel" ] && [ -f "$sdist" ]; then
    say "python: up to date ($(basename "$wheel"), $(basename "$sdist"))"
    return
  fi
  scripts/setup.sh dist-tools
  rm -rf "$out"
  mkdir -p "$out"
  say "python: the abi3 wheel (maturin build --release --zig --compatibility manylinux2014 --strip)"
  timed "python wheel" maturin_in_venv build --quiet --release --locked --zig \
    --compatibility manylinux2014 --strip --interpreter "$ROOT/.venv/bin/python" --out "$out"
  [ -f "$wheel" ] || die "maturin wrote no $(basename "$wheel") (found: $(ls "$out"))"
  tags=$("$ROOT/.venv/bin/auditwheel" show "$wheel")
  printf '%s\n' "$tags" >"$out/auditwheel-show.txt"
  grep -q '"manylinux_2_17_x86_64"' <<<"$tags" ||
    die "auditwheel does not confirm manylinux_2_17_x86_64 for $(basename "$wheel"):"$'\n'"$tags"

  say "python: the sdist (maturin sdist)"
  timed "python sdist" maturin_in_venv sdist --out "$out" 2>/dev/null
  [ -f "$sdist" ] || die "maturin wrote no $(basename "$sdist") (found: $(ls "$out"))"
  listing=$(tar tzf "$sdist")
  for file in pyproject.toml Cargo.toml Cargo.lock core/Cargo.toml core/src/lib.rs \
    bindings/python/Cargo.toml bindings/python/src/lib.rs jwt_accord/__init__.py jwt_accord/py.typed; do
    grep -qx "jwt_accord-$VERSION/$file" <<<"$listing" || die "the sdist lacks $file"
  done
  (cd "$out" && sha256sum -- *.whl *.tar.gz >SHA256SUMS)
  touch "$out/.stamp"
  say "python: $(basename "$wheel") ($(stat -c %s "$wheel") bytes), $(basename "$sdist") ($(stat -c %s "$sdist") bytes)"
}

# glibc_floor BINARY: the newest GLIBC_x.y symbol version BINARY needs.
glibc_floor() {
  objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1
}

dist_cli() {
  local out=$DIST/cli target=x86_64-unknown-linux-musl built artifact
  if fresh cli "${RUST_INPUTS[@]}" bindings/cli/src bindings/cli/Cargo.toml &&
    compgen -G "$out/jwt-accord-$VERSION-*.sha256" >/dev/null; then
    say "cli: up to date ($(cd "$out" && ls jwt-accord-"$VERSION"-* | grep -v sha256))"
    return
  fi
  if ! scripts/setup.sh musl-target musl-tools; then
    target=x86_64-unknown-linux-gnu
    say "cli: no musl target or musl-gcc here: shipping the glibc build instead"
  fi
  rm -rf "$out"
  mkdir -p "$out"
  say "cli: cargo build --release -p jwt-accord-cli --target $target"
  # ring (rustls' crypto) compiles C: musl-gcc for the musl target.
  timed "cli build" env CC_x86_64_unknown_linux_musl=musl-gcc \
    cargo build --release --locked --quiet -p jwt-accord-cli --target "$target"
  built=${CARGO_TARGET_DIR:-$ROOT/target}/$target/release/jwt-accord
  artifact=$out/jwt-accord-$VERSION-$target
  cp "$built" "$artifact"
  strip "$artifact"
  if [ "$target" = x86_64-unknown-linux-musl ]; then
    ! readelf -d "$artifact" | grep -q NEEDED || die "$artifact needs shared libraries: $(readelf -d "$artifact" | grep NEEDED)"
    file -b "$artifact" | grep -Eq 'static(-pie)? linked' || die "file does not call $artifact static: $(file -b "$artifact")"
  else
    glibc_floor "$artifact" >"$artifact.glibc-floor"
    say "cli: glibc floor $(cat "$artifact.glibc-floor")"
  fi
  (cd "$out" && sha256sum -- "$(basename "$artifact")" >"$(basename "$artifact").sha256")
  touch "$out/.stamp"
  say "cli: $(basename "$artifact") ($(stat -c %s "$artifact") bytes): $(file -b "$artifact")"
}

[ $# -gt 0 ] || set -- python cli
for kind in "$@"; do
  case $kind in
    python) dist_python ;;
    cli) dist_cli ;;
    *) die "unknown artifact kind: $kind (python cli)" ;;
  esac
done
