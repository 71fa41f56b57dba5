// Rewrites one function of the JavaScript glue that wasm-bindgen generates
// (run by js/wasm/build.sh on pkg-web/jwt_accord.js and pkg-node/jwt_accord.js):
//
//   node js/scripts/wasm-glue.mjs FILE...
//
// `passStringToWasm0` copies every string argument into linear memory. As
// generated, it first copies character by character in JavaScript while the
// characters are ASCII, and calls TextEncoder#encodeInto only for the rest:
// cheaper than a call into the engine for a short string, but ~2.5 ns per
// character: ~0.7 us for a 290-byte token, 14% of a verification through the
// glue (benches/README.md, "WASM speed (issue 21, session 7)"). Here a string of
// 64 UTF-16 units or more is encoded by one encodeInto call into the
// allocation (the same bytes, lone surrogates as U+FFFD as before); a shorter
// one takes the generated loop unchanged.
//
// The generated text is matched exactly (wasm-bindgen is pinned by Cargo.lock
// and scripts/setup.sh): if a new wasm-bindgen writes it differently, this
// fails and says so, rather than ship an unpatched or half-patched glue.
import { readFileSync, writeFileSync } from 'node:fs'

/** The generated function's start, up to the ASCII loop's allocation. */
const GENERATED = `function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;
`

/** Marks a patched glue (a second run leaves it as it is). */
const MARK = '// jwt-accord (js/scripts/wasm-glue.mjs)'

/** Below this many UTF-16 units the generated ASCII loop is the faster (measured in Node 20). */
const ENCODE_INTO_FROM = 64

const PATCHED = `${GENERATED}
    ${MARK}: a long string in one encodeInto call.
    if (len >= ${ENCODE_INTO_FROM}) {
        let { read, written } = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len));
        if (read !== len) {
            const rest = arg.slice(read);
            ptr = realloc(ptr, len, len = written + rest.length * 3, 1) >>> 0;
            written += cachedTextEncoder.encodeInto(rest, getUint8ArrayMemory0().subarray(ptr + written, ptr + len)).written;
            ptr = realloc(ptr, len, written, 1) >>> 0;
        }
        WASM_VECTOR_LEN = written;
        return ptr;
    }
`

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8')
  if (text.includes(MARK)) continue
  const at = text.indexOf(GENERATED)
  if (at < 0 || text.indexOf(GENERATED, at + 1) >= 0) {
    console.error(`${file}: wasm-bindgen's passStringToWasm0 is not as js/scripts/wasm-glue.mjs expects (another wasm-bindgen version?)`)
    process.exit(1)
  }
  writeFileSync(file, text.slice(0, at) + PATCHED + text.slice(at + GENERATED.length))
}
