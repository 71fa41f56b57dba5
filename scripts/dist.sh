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
#       (the newest GLIBC_ symbol version it needs) is printed and written beside it;
#   dist/npm/jwt-accord-<v>.tgz, jwt-accord-linux-x64-gnu-<v>.tgz, jwt-accord-wasm-<v>.tgz
#       (+ SHA256SUMS) the npm packages, laid out as napi-rs lays them out: the main
#       package (the loader and the shared API, no binary) lists one platform package
#       per napi target as an optional dependency and jwt-accord-wasm as a dependency
#       (its fallback where no addon loads: js/node/fallback.js); each platform
#       package, made by `napi create-npm-dirs` from js/node/package.json's `napi`
#       targets, holds only jwt-accord.<platform>.node with `os`, `cpu` and `libc`.
#       Only linux-x64-gnu is built here: release profile, linked by zig against
#       glibc 2.17 (as the wheel; the floor is checked), stripped. CI elsewhere adds
#       a target to `napi.targets` and puts its jwt-accord.<platform>.node in the
#       folder $JWT_ACCORD_NPM_ADDONS before running this. Both packages are packed as committed (git's
#       HEAD: package.json and sources) with what the build generates (the module,
#       native.js, the shared API's copies), so work in progress stays out.
#
# Usage: scripts/dist.sh [python|cli|npm]...   (no argument: all of them)
#
# Each kind is built once: its stamp (dist/<kind>/.stamp) is skipped over while no
# input is newer and its artifacts are present. The tools come from
# scripts/setup.sh (dist-tools, musl-target, musl-tools; npm for napi's CLI).
# The npm kind uses the tests' build of the WASM module and of the addon's
# generated files (scripts/build.sh node wasm) and builds the shipped addon
# itself, in its own target dir (target/npm-addon): zig as the linker.
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

# stage_package SRC DEST: the package at git's HEAD, with its build products:
# DEST/package.json is HEAD's SRC/package.json; then each file its `files`
# names (and the README), a folder's files included: git's committed version of
# each file HEAD tracks, the build's of each file git ignores (api.cjs, the
# engines). Work in progress (changed or new files not committed) stays out.
stage_package() {
  local src=$1 dest=$2 entry path
  git show "HEAD:$src/package.json" >"$dest/package.json"
  while IFS= read -r entry; do
    compgen -G "$src/$entry" >/dev/null || die "$src/$entry (in $src/package.json's files) does not exist: is it built?"
    while IFS= read -r path; do
      mkdir -p "$dest/$(dirname "${path#"$src"/}")"
      if git cat-file -e "HEAD:$path" 2>/dev/null; then
        git show "HEAD:$path" >"$dest/${path#"$src"/}"
      elif git check-ignore -q "$path"; then
        cp "$path" "$dest/${path#"$src"/}"
      fi
    done < <(find "$src"/$entry -type f)
  done < <(node -e 'for (const f of [...require(process.argv[1]).files, "README.md"]) console.log(f)' "$dest/package.json")
}

# pack DIR: npm pack of DIR into dist/npm (no scripts run); prints the tarball's path.
pack() {
  local name
  name=$(cd "$1" && npm pack --ignore-scripts --silent --pack-destination "$DIST/npm")
  printf '%s\n' "$DIST/npm/$name"
}

# tarball_json TGZ EXPR: EXPR evaluated over the tarball's package.json (`p`).
tarball_json() {
  tar xzOf "$1" package/package.json | node -e \
    'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const p = JSON.parse(s); console.log(eval(process.argv[1])) })' "$2"
}

# has_files TGZ FILE...: dies unless the tarball holds each FILE (under package/).
has_files() {
  local tgz=$1 listing file
  shift
  listing=$(tar tzf "$tgz")
  for file in "$@"; do
    grep -qx "package/$file" <<<"$listing" || die "$(basename "$tgz") lacks $file"
  done
}

dist_npm() {
  local out=$DIST/npm stage=${CARGO_TARGET_DIR:-$ROOT/target}/npm-stage inputs=() dir binary triple
  local main platforms=() wasm tgz listing floor
  # Tracked and new source files only: the build regenerates js/*/api.* and the engines.
  mapfile -t inputs < <(git ls-files --cached --others --exclude-standard -- "${RUST_INPUTS[@]}" \
    bindings/node bindings/wasm js/node js/wasm js/shared js/scripts)
  if fresh npm "${inputs[@]}" && compgen -G "$out/*.tgz" >/dev/null && [ -f "$out/SHA256SUMS" ]; then
    say "npm: up to date ($(cd "$out" && echo *.tgz))"
    return
  fi
  scripts/setup.sh dist-tools npm
  say "npm: the WASM module and the addon's loader and types (scripts/build.sh node wasm)"
  scripts/build.sh node wasm
  rm -rf "$out" "$stage"
  mkdir -p "$out" "$stage/jwt-accord" "$stage/jwt-accord-wasm" "$stage/addons"
  npm_addon "$stage"

  # The platform packages: napi-rs's own layout, npm/<platform>/, one per napi target.
  git show HEAD:js/node/package.json >"$stage/jwt-accord/package.json"
  js/node_modules/.bin/napi create-npm-dirs --cwd "$stage/jwt-accord" --npm-dir npm
  for dir in "$stage"/jwt-accord/npm/*/; do
    binary=$(node -p 'require(process.argv[1]).main' "$dir/package.json")
    if [ -f "$stage/addons/$binary" ]; then
      cp "$stage/addons/$binary" "$dir/$binary"
    elif [ -n "${JWT_ACCORD_NPM_ADDONS:-}" ] && [ -f "$JWT_ACCORD_NPM_ADDONS/$binary" ]; then
      cp "$JWT_ACCORD_NPM_ADDONS/$binary" "$dir/$binary"
    else
      die "no $binary for $(basename "$dir"): put it in \$JWT_ACCORD_NPM_ADDONS (napi build --platform --release --target ...)"
    fi
    platforms+=("$(pack "$dir")")
  done

  # The main package: the loader, the shared API and the types, no binary. Its
  # dependencies are written here, as napi-rs's pre-publish writes them: in
  # js/node/package.json they would make the workspace's lockfile fetch
  # platform packages that are not published yet.
  stage_package js/node "$stage/jwt-accord"
  node -e '
    const fs = require("fs")
    const [file, version, ...platformDirs] = process.argv.slice(1)
    const p = JSON.parse(fs.readFileSync(file, "utf8"))
    delete p.scripts // they build from the repository (../../bindings)
    p.dependencies = { "jwt-accord-wasm": version }
    p.optionalDependencies = Object.fromEntries(platformDirs.map((d) => [require(d + "/package.json").name, version]))
    fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n")
  ' "$stage/jwt-accord/package.json" "$VERSION" "$stage"/jwt-accord/npm/*/
  main=$(pack "$stage/jwt-accord")

  # The WASM package.
  stage_package js/wasm "$stage/jwt-accord-wasm"
  wasm=$(pack "$stage/jwt-accord-wasm")

  # Checks: names, versions, what each tarball holds and declares.
  [ "$main" = "$out/jwt-accord-$VERSION.tgz" ] || die "the main package packed as $main"
  [ "$wasm" = "$out/jwt-accord-wasm-$VERSION.tgz" ] || die "the WASM package packed as $wasm"
  [ -f "$out/jwt-accord-linux-x64-gnu-$VERSION.tgz" ] || die "no jwt-accord-linux-x64-gnu-$VERSION.tgz (found: $(ls "$out"))"
  for tgz in "$out"/*.tgz; do
    [ "$(tarball_json "$tgz" p.version)" = "$VERSION" ] || die "$(basename "$tgz") is not version $VERSION"
  done
  has_files "$main" package.json index.js fallback.js native.js api.cjs index.d.ts README.md
  ! tar tzf "$main" | grep -q '\.node$' || die "$(basename "$main") holds a .node: binaries go in the platform packages"
  [ "$(tarball_json "$main" 'JSON.stringify(p.dependencies)')" = "{\"jwt-accord-wasm\":\"$VERSION\"}" ] ||
    die "$(basename "$main") does not depend on jwt-accord-wasm $VERSION"
  for tgz in "${platforms[@]}"; do
    binary=$(tarball_json "$tgz" p.main)
    [ "$(tar tzf "$tgz" | sort | tr '\n' ' ')" = "package/README.md package/$binary package/package.json " ] ||
      die "$(basename "$tgz") holds $(tar tzf "$tgz" | tr '\n' ' ')"
    [ "$(tarball_json "$tgz" 'Boolean(p.os && p.os.length && p.cpu && p.cpu.length)')" = true ] ||
      die "$(basename "$tgz") does not declare its os and cpu"
    [ "$(tarball_json "$main" "p.optionalDependencies[\"$(tarball_json "$tgz" p.name)\"]")" = "$VERSION" ] ||
      die "$(basename "$main") does not list $(basename "$tgz") as an optional dependency"
  done
  [ "$(tarball_json "$out/jwt-accord-linux-x64-gnu-$VERSION.tgz" '[p.os, p.cpu, p.libc].join(" ")')" = "linux x64 glibc" ] ||
    die "jwt-accord-linux-x64-gnu does not declare os linux, cpu x64, libc glibc"
  tar xzOf "$out/jwt-accord-linux-x64-gnu-$VERSION.tgz" package/jwt-accord.linux-x64-gnu.node >"$stage/addon.node"
  file -b "$stage/addon.node" | grep -q 'ELF 64-bit LSB shared object, x86-64.*, stripped' ||
    die "the packed addon is $(file -b "$stage/addon.node")"
  floor=$(glibc_floor "$stage/addon.node")
  [ "$(printf '%s\n' "$floor" GLIBC_2.17 | sort -V | tail -1)" = GLIBC_2.17 ] ||
    die "the packed addon needs $floor, above the glibc 2.17 floor"
  has_files "$wasm" package.json index.d.ts api.mjs node.mjs web.mjs pkg-web/jwt_accord_bg.wasm \
    tokens.mjs tokens.d.ts pkg-tokens/jwt_accord.js pkg-tokens/jwt_accord_bg.wasm
  (cd "$out" && sha256sum -- *.tgz >SHA256SUMS)
  touch "$out/.stamp"
  for tgz in "$out"/*.tgz; do
    say "npm: $(basename "$tgz") ($(stat -c %s "$tgz") bytes, $(tar tzf "$tgz" | wc -l) files)"
  done
  say "npm: the addon's glibc floor: $floor"
}

# npm_addon STAGE: jwt-accord.linux-x64-gnu.node into STAGE/addons: the release
# profile, linked by zig against glibc 2.17's symbols (as the wheel is) rather
# than this host's glibc (2.36 here, which made the addon need 2.34), stripped.
# Its own target dir: the linker differs from the tests' builds.
npm_addon() {
  local stage=$1 target=x86_64-unknown-linux-gnu linker=$1/zig-cc dir=${CARGO_TARGET_DIR:-$ROOT/target}/npm-addon
  printf '#!/bin/sh\nexec %q -m ziglang cc -target x86_64-linux-gnu.2.17 "$@"\n' "$ROOT/.venv/bin/python" >"$linker"
  chmod +x "$linker"
  say "npm: the addon, release profile, linked by zig for glibc 2.17 (target dir $dir)"
  timed "npm addon" env CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER="$linker" CARGO_TARGET_DIR="$dir" \
    cargo build --release --locked --quiet -p jwt-accord-node --target "$target"
  cp "$dir/$target/release/libjwt_accord_node.so" "$stage/addons/jwt-accord.linux-x64-gnu.node"
  strip --strip-unneeded "$stage/addons/jwt-accord.linux-x64-gnu.node"
}

[ $# -gt 0 ] || set -- python cli npm
for kind in "$@"; do
  case $kind in
    python) dist_python ;;
    cli) dist_cli ;;
    npm) dist_npm ;;
    *) die "unknown artifact kind: $kind (python cli npm)" ;;
  esac
done
