// jwt-accord-wasm for Node.js and Bun (the `node` and `bun` conditions): the
// WebAssembly build, instantiated synchronously at import from the module's
// bytes, which the build embeds as base64 (pkg-web/jwt_accord_bg.wasm.base64.mjs).
// No file is read at run time, so a bundle of this entry (esbuild
// --platform=node, bun build, bun build --compile) carries the module inside
// it. The API is the napi addon's (`jwt-accord`), except that resolveSecret
// requires `env`. Use it where native addons cannot load.
import base64 from './pkg-web/jwt_accord_bg.wasm.base64.mjs'
import { initSync } from './web.mjs'

initSync(decode(base64))

/** Base64 to bytes: Buffer where the runtime has it (Node, Bun: ~10x faster), else atob. */
function decode(text) {
  if (typeof Buffer === 'function') return Buffer.from(text, 'base64')
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export * from './web.mjs'
export { default } from './web.mjs'
