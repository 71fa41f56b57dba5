// Several builds of the WASM module side by side, in one Node process: for
// build experiments (a flag, an inline threshold, a change to the core), where
// the machine's noise would swamp two separate runs. Each argument is a
// wasm-bindgen `--target nodejs` output directory (js/wasm/pkg-node, or one
// made the same way from another tree or with other flags). Each build's
// Signer#sign and Verifier#verify are called with JSON text directly (the
// glue and the module, without the shared API), with the claims, key and
// checks of bench.mjs, beside the napi addon's public sign and verify; the
// contenders take turns, and each one's best round of process CPU time per
// call is reported (CPU time, not wall-clock: a busy 2-core machine deschedules
// the process, which wall-clock would count).
//
// Run: node benches/wasm/compare-builds.mjs js/wasm/pkg-node /tmp/other/pkg-node ...
// Env: ROUNDS (default 25), CALLS per round (default 20000).
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

const require = createRequire(import.meta.url)
const napi = createRequire(new URL('../../js/package.json', import.meta.url))('jwt-accord')

const SECRET = 'bench-secret-6f1c9e2a7d4b8053ae19c7f2d6b04e8a'
const CLAIMS = { sub: 'user-1234', role: 'admin', scope: 'read write', sid: 'c5a1f0e2' }
const CLAIMS_TEXT = JSON.stringify(CLAIMS)
const ROUNDS = Number(process.env.ROUNDS || 25)
const CALLS = Number(process.env.CALLS || 20000)

const napiSigner = new napi.Signer(SECRET, { expiresIn: 900, issuer: 'auth', audience: 'api' })
const napiVerifier = new napi.Verifier(SECRET, { issuer: 'auth', audience: 'api' })
const now = Math.floor(Date.now() / 1000)
const TOKEN = napiSigner.sign(CLAIMS, now)
const PAYLOAD = Buffer.from(TOKEN.split('.')[1], 'base64url').toString()

const contenders = []
for (const dir of process.argv.slice(2)) {
  const raw = require(resolve(dir, 'jwt_accord.js'))
  const keys = new raw.KeyList()
  keys.addText(SECRET)
  const signer = new raw.Signer(keys, JSON.stringify({ expires_in: 900, issuer: 'auth', audience: 'api' }))
  const verifier = new raw.Verifier(keys, JSON.stringify({ issuer: ['auth'], audience: ['api'] }))
  keys.free()
  // The same work as the addon: the same token out, the same claims back.
  if (signer.sign(CLAIMS_TEXT, now) !== TOKEN) throw new Error(`${dir}: signs another token than the addon`)
  if (verifier.verify(TOKEN, now) !== PAYLOAD) throw new Error(`${dir}: verify returns other claims`)
  contenders.push({ name: `${dir} sign`, fn: () => signer.sign(CLAIMS_TEXT, now).length })
  contenders.push({ name: `${dir} verify`, fn: () => verifier.verify(TOKEN, now).length })
}
if (contenders.length === 0) {
  console.error('usage: node benches/wasm/compare-builds.mjs PKG_NODE_DIR...')
  process.exit(2)
}
contenders.push({ name: 'napi Signer.sign (public API)', fn: () => napiSigner.sign(CLAIMS, now).length })
contenders.push({ name: 'napi Verifier.verify (public API)', fn: () => napiVerifier.verify(TOKEN, now).sub.length })

let sink = 0
for (const c of contenders) c.best = Infinity
for (let round = 0; round < ROUNDS; round += 1) {
  for (const c of contenders) {
    const start = process.cpuUsage()
    for (let i = 0; i < CALLS; i += 1) sink ^= c.fn()
    const used = process.cpuUsage(start)
    c.best = Math.min(c.best, ((used.user + used.system) * 1000) / CALLS)
  }
}
const width = Math.max(...contenders.map((c) => c.name.length))
console.log(`node ${process.version}; ${ROUNDS} rounds of ${CALLS} calls, taking turns; best round, CPU ns per call`)
for (const c of contenders) console.log(`${c.name.padEnd(width)} ${c.best.toFixed(0).padStart(7)}`)
if (sink === 0.5) console.log(sink)
