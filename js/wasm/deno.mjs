// jwt-accord-wasm for Deno (the `deno` condition): the module is a source
// phase import, compiled by Deno as part of the module graph, so no
// permission is needed (reading or fetching the .wasm would need --allow-read
// or --allow-net), and instantiated at import. `init()` then resolves at once.
import source module from './pkg-web/jwt_accord_bg.wasm'
import { initSync } from './web.mjs'

initSync(module)

export * from './web.mjs'
export { default } from './web.mjs'
