#!/usr/bin/env bash
# Builds the WebAssembly module and its two wasm-bindgen flavours, then the
# tokens-only module (at the end):
#   js/wasm/pkg-web/   --target web     (ES module: every entry of the package,
#                                        web.mjs, workerd.mjs, deno.mjs, node.mjs)
#   js/wasm/pkg-node/  --target nodejs  (CommonJS, instantiated at load: the engine
#                                        for js/scripts/build-api.mjs, the memory
#                                        test and the benchmark; not shipped)
#   js/wasm/pkg-tokens/ --target web    (the module without the fleet exports:
#                                        tokens.mjs, `jwt-accord-wasm/tokens`)
# Each with __wbg_reset_state, which js/wasm/bind.mjs calls to re-instantiate
# the module after a trap. Output directories are build products (gitignored).
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli at the crate's
# version, js/node_modules (binaryen's wasm-opt): scripts/setup.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/../.."

profile=release-wasm
# The profile optimises for size (opt-level "z"; issue 5 wants <= 200 KB raw,
# <= 80 KB gzipped). Three knobs buy back the speed that costs (issue 5 wants
# sign and verify within 2.5x of the napi addon; issue 21, 2x):
# - LLVM's inliner at threshold 65 instead of opt-level z's 5: the small
#   functions on the hot paths (Vec writes, BTreeMap steps, the allocator,
#   iterator adapters) are inlined. 50 until issue 21 (session 7); with SIMD
#   (below) 65 makes sign 3% and verify 10% faster than 50 for +2.4 KB raw,
#   +0.4 KB gzipped, and the module stays smaller than before SIMD (75 is no
#   faster and 1 KB larger gzipped; the curves are in benches/README.md).
#   JWT_ACCORD_WASM_INLINE overrides it.
# - SHA-256 and HMAC, where sign and verify spend much of their time, at
#   opt-level 3 (~0.3 KB gzipped).
# - WebAssembly SIMD (`+simd128`): sha2 compresses with its simd128 backend
#   (~25% faster than its scalar one: WebAssembly has no SHA instructions),
#   and the module is smaller (-7.2 KB raw, -1.4 KB gzipped at 5cd23a9). Every
#   engine the package runs in has it (V8: Node, Chromium, workerd, Deno;
#   JavaScriptCore: Bun, Safari 16.4+; Firefox 89+; docs/decisions.md).
# Measurements: benches/README.md.
inline=${JWT_ACCORD_WASM_INLINE:-65}
case "$inline" in
  '' | *[!0-9]*) echo "JWT_ACCORD_WASM_INLINE must be a number (LLVM inline threshold)" >&2; exit 2 ;;
esac
rustflags="-C llvm-args=-inline-threshold=$inline -C target-feature=+simd128"
# Panic locations name source files; the registry's absolute path
# ($CARGO_HOME/registry/src/<index>/serde_json-1.0.x/...) becomes relative, so
# the module does not depend on where cargo keeps its sources (~100 B gzipped).
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  case "$dir" in *[[:space:]]*) ;; *) rustflags+=" --remap-path-prefix=$dir=" ;; esac
done
# The same key as target.wasm32-unknown-unknown.rustflags (RUSTFLAGS, if set, overrides it).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$rustflags"
config=()
for package in sha2 hmac digest; do
  config+=(--config "profile.$profile.package.$package.opt-level=3")
done
cargo build --locked --target wasm32-unknown-unknown --profile "$profile" -p jwt-accord-wasm "${config[@]}"
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')
module="$target_dir/wasm32-unknown-unknown/$profile/jwt_accord_wasm.wasm"

out=js/wasm
# By absolute path, where scripts/setup.sh installs it (nothing on PATH can shadow it).
wasm_bindgen=${CARGO_HOME:-$HOME/.cargo}/bin/wasm-bindgen
[ -x "$wasm_bindgen" ] || { echo "wasm-bindgen is missing at $wasm_bindgen: run scripts/setup.sh wasm-bindgen" >&2; exit 1; }
# wasm-bindgen with the package's flags: bindgen FLAVOUR DIR MODULE (both modules).
bindgen() {
  rm -rf "$2"
  "$wasm_bindgen" --target "$1" --experimental-reset-state-function \
    --remove-name-section --remove-producers-section \
    --out-dir "$2" --out-name jwt_accord "$3"
}
for flavour in web nodejs; do
  bindgen "$flavour" "$out/pkg-${flavour%js}" "$module"
done
# pkg-node is CommonJS whatever the enclosing package says.
printf '{ "type": "commonjs" }\n' > "$out/pkg-node/package.json"
# The glue's string copy into linear memory: one TextEncoder#encodeInto call
# for a string of 64 UTF-16 units or more (a token, claims) instead of a
# JavaScript loop per character (~0.5-0.7 us of a verification; js/scripts/wasm-glue.mjs).
node js/scripts/wasm-glue.mjs "$out/pkg-web/jwt_accord.js" "$out/pkg-node/jwt_accord.js"

# wasm-opt (binaryen, from npm): one optimised module, copied to both flavours
# (they are the same module; only the JavaScript glue differs). -Oz --converge
# by default; JWT_ACCORD_WASM_OPT_FLAGS replaces those passes for experiments.
# JWT_ACCORD_WASM_OPT=0 skips it (experiments only: what ships is optimised).
# --low-memory-unused: wasm-opt may assume no access lands in the first 1 KiB
# of memory, so it folds constant additions into load and store offsets
# (~1 KB gzipped). Rust on wasm32 puts the stack first: [0, 1 MiB) is the
# stack growing down, data above it; the first 1 KiB would be reached only by a
# stack 1 KiB short of overflowing, and a pointer that wraps below it is never
# computed (docs/decisions.md, "WASM size, issue 21 (session 6)").
wasm_opt=js/node_modules/.bin/wasm-opt
# wasm-opt in place with the package's flags: optimise FILE (both modules).
optimise() {
  "$wasm_opt" ${JWT_ACCORD_WASM_OPT_FLAGS:--Oz --converge} --strip-debug --strip-producers --low-memory-unused \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue --enable-simd \
    "$1" -o "$1"
}
if [ "${JWT_ACCORD_WASM_OPT:-1}" != 0 ]; then
  [ -x "$wasm_opt" ] || { echo "wasm-opt is missing at $wasm_opt: run scripts/setup.sh npm" >&2; exit 1; }
  if ! cmp -s "$out/pkg-web/jwt_accord_bg.wasm" "$out/pkg-node/jwt_accord_bg.wasm"; then
    echo "pkg-web and pkg-node hold different modules; expected one module, two glues" >&2
    exit 1
  fi
  optimise "$out/pkg-web/jwt_accord_bg.wasm"
  cp "$out/pkg-web/jwt_accord_bg.wasm" "$out/pkg-node/jwt_accord_bg.wasm"
fi

# The module's bytes as a base64 string in an ES module, for node.mjs: it
# instantiates from them at import, so neither Node, Bun nor a bundle of them
# (esbuild, bun build, bun build --compile) reads a file next to the code, which
# a bundle does not carry along (docs/decisions.md, "The WASM package in each runtime").
printf '// GENERATED by js/wasm/build.sh from jwt_accord_bg.wasm: do not edit.\nexport default "%s"\n' \
  "$(base64 -w0 "$out/pkg-web/jwt_accord_bg.wasm")" > "$out/pkg-web/jwt_accord_bg.wasm.base64.mjs"

# The package's copy of the shared API and its .d.ts, from the module just built.
node js/scripts/build-api.mjs wasm

raw=$(wc -c < "$out/pkg-web/jwt_accord_bg.wasm")
gz=$(gzip -9 -c "$out/pkg-web/jwt_accord_bg.wasm" | wc -c)
echo "jwt-accord-wasm: jwt_accord_bg.wasm $raw bytes raw, $gz bytes gzipped (-9)"

# ---------------------------------------------------------------------------
# The tokens-only module, js/wasm/pkg-tokens/ (--target web): the same crate
# without its `fleet` feature (bindings/wasm/src/fleet.rs), for browser front
# ends, which sign, verify and decode only: the package's
# `jwt-accord-wasm/tokens` (tokens.mjs). Issue 21's size budget (<= 200,000 B
# raw, <= 80,000 B gzipped) is this module's: it is what a front end downloads.
# The full module's size (above) is reported, not budgeted (docs/decisions.md,
# "The WASM tokens module"). The same rustflags and profile as the full
# module, and the same `bindgen` and `optimise` steps. Its own target
# directory: cargo names a path crate's cdylib without a hash, so two feature
# sets in one directory would write the same file and one could be taken for
# the other's fresh output.
build_tokens() {
  local dir=$out/pkg-tokens tokens_target=$target_dir/wasm-tokens raw gz
  cargo build --locked --target wasm32-unknown-unknown --profile "$profile" -p jwt-accord-wasm "${config[@]}" \
    --no-default-features --target-dir "$tokens_target"
  bindgen web "$dir" "$tokens_target/wasm32-unknown-unknown/$profile/jwt_accord_wasm.wasm"
  # The glue's string copy, as for pkg-web and pkg-node (js/scripts/wasm-glue.mjs).
  node js/scripts/wasm-glue.mjs "$dir/jwt_accord.js"
  if [ "${JWT_ACCORD_WASM_OPT:-1}" != 0 ]; then
    optimise "$dir/jwt_accord_bg.wasm"
  fi
  raw=$(wc -c < "$dir/jwt_accord_bg.wasm")
  gz=$(gzip -9 -c "$dir/jwt_accord_bg.wasm" | wc -c)
  echo "jwt-accord-wasm tokens: pkg-tokens/jwt_accord_bg.wasm $raw bytes raw, $gz bytes gzipped (-9)" \
    "(budget: 200000 raw, 80000 gzipped)"
}
build_tokens
