// The implementation under test, picked by JWT_ACCORD_IMPL:
//   node (default): the napi addon, ../node/index.js
//   wasm:           the WASM build for Node, ../wasm/node.mjs (identical named exports)
// Imported lazily, so the suite loads whichever build exists.
export const IMPL = process.env.JWT_ACCORD_IMPL || 'node'

const LOADERS = {
  node: () => import('../node/index.js'),
  wasm: () => import('../wasm/node.mjs'),
}

if (!Object.hasOwn(LOADERS, IMPL)) {
  throw new Error(`JWT_ACCORD_IMPL must be one of ${Object.keys(LOADERS).join(', ')}, not ${JSON.stringify(IMPL)}`)
}

const mod = await LOADERS[IMPL]()
// A CommonJS build's named exports also sit on its default export; prefer the named ones.
const lib = typeof mod.Signer === 'function' ? mod : mod.default

export default lib
