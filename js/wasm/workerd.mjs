// jwt-accord-wasm for Cloudflare Workers and workerd (the `workerd`
// condition, which wrangler's bundler sets). Workers refuse to compile
// WebAssembly from bytes at run time ("Wasm code generation disallowed by
// embedder") and cannot fetch a file: URL, so the module is imported as a
// module (wrangler, and a workerd config's `wasm` module, hand over a compiled
// WebAssembly.Module) and instantiated at import. `init()` then resolves at once.
import module from './pkg-web/jwt_accord_bg.wasm'
import { initSync } from './web.mjs'

initSync(module)

export * from './web.mjs'
export { default } from './web.mjs'
