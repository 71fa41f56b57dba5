// jwt-accord's napi addon beside the JavaScript libraries it replaces, in one
// process: Signer.sign / Verifier.verify against jsonwebtoken (KeyObject and
// plain-string secret), jose (pre-imported CryptoKey), fast-jwt
// (createSigner/createVerifier, cache off) and @node-rs/jsonwebtoken
// (signSync/verifySync). Same claims, same secret, same checks (iss, aud, exp).
// Then RSS before and after 1,000,000 verifications.
//
// Run: benches/node/run.sh  (builds the addon, then `node --expose-gc` this file)
// Env: BENCH_MS (time per contender per round, default 300), BENCH_ROUNDS (default 7),
//      BENCH_RSS_VERIFICATIONS (default 1000000), BENCH_ALTERNATIVES=1 (also time
//      the boundary-crossing alternatives from an addon built with
//      `--features alternatives` into target/node-alternatives; run.sh builds it).
import { createSecretKey, webcrypto } from 'node:crypto'
import { createRequire } from 'node:module'

const require = createRequire(new URL('../../js/package.json', import.meta.url))
const accord = require('jwt-accord')
const jsonwebtoken = require('jsonwebtoken')
const jose = require('jose')
const { createSigner, createVerifier } = require('fast-jwt')
const noders = require('@node-rs/jsonwebtoken')

const ROUND_MS = Number(process.env.BENCH_MS || 300)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 7)
const RSS_VERIFICATIONS = Number(process.env.BENCH_RSS_VERIFICATIONS || 1_000_000)

const SECRET = 'bench-secret-6f1c9e2a7d4b8053ae19c7f2d6b04e8a'
const CLAIMS = { sub: 'user-1234', role: 'admin', scope: 'read write', sid: 'c5a1f0e2' }
const ISSUER = 'auth'
const AUDIENCE = 'api'
const TTL = 900

// ---------------------------------------------------------------- the contenders

const keyObject = createSecretKey(Buffer.from(SECRET))
const cryptoKey = await webcrypto.subtle.importKey('raw', Buffer.from(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])

const accordSigner = new accord.Signer(SECRET, { expiresIn: TTL, issuer: ISSUER, audience: AUDIENCE })
const accordVerifier = new accord.Verifier(SECRET, { issuer: ISSUER, audience: AUDIENCE })
const fastSigner = createSigner({ key: SECRET, algorithm: 'HS256', expiresIn: TTL * 1000, iss: ISSUER, aud: AUDIENCE })
const fastVerifier = createVerifier({ key: SECRET, algorithms: ['HS256'], allowedIss: ISSUER, allowedAud: AUDIENCE, cache: false })
const jwtSignOptions = { algorithm: 'HS256', expiresIn: TTL, issuer: ISSUER, audience: AUDIENCE }
const jwtVerifyOptions = { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }
const nodersHeader = { algorithm: 'HS256' }
const nodersValidation = { algorithms: ['HS256'], iss: [ISSUER], aud: [AUDIENCE], validateExp: true }

const now = () => Math.floor(Date.now() / 1000)
const noderClaims = () => {
  const t = now()
  return { ...CLAIMS, iat: t, exp: t + TTL, iss: ISSUER, aud: AUDIENCE }
}

const signers = {
  'jwt-accord Signer.sign': () => accordSigner.sign(CLAIMS),
  'fast-jwt createSigner (sync)': () => fastSigner(CLAIMS),
  'jsonwebtoken.sign (KeyObject)': () => jsonwebtoken.sign(CLAIMS, keyObject, jwtSignOptions),
  'jsonwebtoken.sign (string secret)': () => jsonwebtoken.sign(CLAIMS, SECRET, jwtSignOptions),
  'jose SignJWT (CryptoKey, async)': () =>
    new jose.SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now() + TTL)
      .sign(cryptoKey),
  '@node-rs/jsonwebtoken signSync': () => noders.signSync(noderClaims(), SECRET, nodersHeader),
}

// One token, signed by jwt-accord, verified by everyone; plus a jsonwebtoken
// token for jwt-accord (a header it did not write takes the full parsing path).
const TOKEN = accordSigner.sign(CLAIMS)
const FOREIGN = jsonwebtoken.sign(CLAIMS, SECRET, jwtSignOptions)

const verifiers = {
  'jwt-accord Verifier.verify': () => accordVerifier.verify(TOKEN),
  'jwt-accord Verifier.verify (jsonwebtoken token)': () => accordVerifier.verify(FOREIGN),
  'jwt-accord Verifier.verifyFull': () => accordVerifier.verifyFull(TOKEN),
  'fast-jwt createVerifier (sync, cache off)': () => fastVerifier(TOKEN),
  'jsonwebtoken.verify (KeyObject)': () => jsonwebtoken.verify(TOKEN, keyObject, jwtVerifyOptions),
  'jsonwebtoken.verify (string secret)': () => jsonwebtoken.verify(TOKEN, SECRET, jwtVerifyOptions),
  'jose jwtVerify (CryptoKey, async)': () => jose.jwtVerify(TOKEN, cryptoKey, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }),
  '@node-rs/jsonwebtoken verifySync': () => noders.verifySync(TOKEN, SECRET, nodersValidation),
}

// The boundary-crossing alternatives (bindings/node/src/alternatives.rs): claims
// as JS objects converted by napi's serde bridge, beside the shipped JSON text.
if (process.env.BENCH_ALTERNATIVES === '1') {
  const alt = require(new URL('../../target/node-alternatives/native.js', import.meta.url).pathname)
  const altKeys = new alt.KeyList()
  altKeys.addText(SECRET)
  const altSigner = new alt.Signer(altKeys, JSON.stringify({ expires_in: TTL, issuer: ISSUER, audience: AUDIENCE }))
  const altVerifier = new alt.Verifier(altKeys, JSON.stringify({ issuer: ISSUER, audience: AUDIENCE }))
  signers['alternative: JSON.stringify + native sign_json'] = () => altSigner.sign(JSON.stringify(CLAIMS), Date.now() / 1000)
  signers['alternative: object via napi serde + sign_map'] = () => altSigner.signObject(CLAIMS, Date.now() / 1000)
  verifiers['alternative: native claims_json + JSON.parse'] = () => JSON.parse(altVerifier.verify(TOKEN, Date.now() / 1000))
  verifiers['alternative: object via napi serde'] = () => altVerifier.verifyObject(TOKEN, Date.now() / 1000)
  verifiers['alternative: native call only, no JSON.parse'] = () => altVerifier.verify(TOKEN, Date.now() / 1000)
  verifiers['boundary alone: the token in (no core)'] = () => alt.probeStringIn(TOKEN)
  verifiers['boundary alone: claims text out (no core)'] = () => alt.probeStringOut()
}

// ---------------------------------------------------------------- sanity: same checks

async function sanity() {
  const expect = (claims, name) => {
    if (claims.sub !== CLAIMS.sub || claims.iss !== ISSUER || claims.aud !== AUDIENCE || !(claims.exp > now())) {
      throw new Error(`${name} did not return the expected claims: ${JSON.stringify(claims)}`)
    }
  }
  for (const [name, fn] of Object.entries(verifiers)) {
    const out = await fn()
    if (typeof out !== 'object' || out === null) continue // text-only alternative and probe rows
    expect(out.payload || out.claims || out, name)
  }
  for (const [name, fn] of Object.entries(signers)) {
    expect(accordVerifier.verify(await fn()), `${name} (verified by jwt-accord)`)
  }
  if (jsonwebtoken.verify(accordSigner.sign(CLAIMS), keyObject, jwtVerifyOptions).sub !== CLAIMS.sub) throw new Error('interop')
  // Every verifier refuses the wrong audience.
  const wrongAudience = jsonwebtoken.sign(CLAIMS, SECRET, { ...jwtSignOptions, audience: 'billing' })
  const refusals = [
    () => accordVerifier.verify(wrongAudience),
    () => fastVerifier(wrongAudience),
    () => jsonwebtoken.verify(wrongAudience, keyObject, jwtVerifyOptions),
    () => noders.verifySync(wrongAudience, SECRET, nodersValidation),
  ]
  for (const fn of refusals) {
    let refused = false
    try {
      fn()
    } catch {
      refused = true
    }
    if (!refused) throw new Error(`a verifier accepted the wrong audience: ${fn}`)
  }
  await jose.jwtVerify(wrongAudience, cryptoKey, { issuer: ISSUER, audience: AUDIENCE }).then(
    () => {
      throw new Error('jose accepted the wrong audience')
    },
    () => {},
  )
}

// ---------------------------------------------------------------- timing

let sink = 0

/** A batch size that takes about 10 ms, and whether `fn` returns a promise. */
async function calibrate(fn) {
  const first = fn()
  const isAsync = first && typeof first.then === 'function'
  if (isAsync) await first
  let batch = 16
  for (;;) {
    const ns = await run(fn, isAsync, batch)
    if (ns * batch > 10e6) return { fn, isAsync, batch, samples: [] }
    batch *= 2
  }
}

/** ns/op over one batch. */
async function run(fn, isAsync, batch) {
  const t0 = process.hrtime.bigint()
  if (isAsync) for (let i = 0; i < batch; i += 1) sink ^= (await fn()) ? 1 : 0
  else for (let i = 0; i < batch; i += 1) sink ^= fn() ? 1 : 0
  return Number(process.hrtime.bigint() - t0) / batch
}

/**
 * ns/op of each contender: rounds interleave the contenders (so a change in
 * machine load hits all of them alike); each round runs a contender for about
 * ROUND_MS; the median round is reported.
 */
async function measureAll(contenders) {
  const states = {}
  for (const [name, fn] of Object.entries(contenders)) states[name] = await calibrate(fn)
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const state of Object.values(states)) {
      let ops = 0
      let elapsed = 0
      while (elapsed < ROUND_MS * 1e6) {
        elapsed += (await run(state.fn, state.isAsync, state.batch)) * state.batch
        ops += state.batch
      }
      state.samples.push(elapsed / ops)
    }
  }
  const out = {}
  for (const [name, state] of Object.entries(states)) {
    const sorted = state.samples.slice().sort((a, b) => a - b)
    out[name] = sorted[Math.floor(sorted.length / 2)]
  }
  return out
}

function table(title, results, baseline) {
  const base = results[baseline]
  console.log(`\n${title}`)
  console.log(`${'library'.padEnd(50)} ${'ns/op'.padStart(10)} ${'ops/s'.padStart(12)}   vs jwt-accord`)
  for (const [name, ns] of Object.entries(results)) {
    const ratio =
      name === baseline ? '1.00x (baseline)' : ns >= base ? `${(ns / base).toFixed(2)}x slower` : `${(base / ns).toFixed(2)}x faster`
    console.log(`${name.padEnd(50)} ${ns.toFixed(0).padStart(10)} ${Math.round(1e9 / ns).toLocaleString('en-US').padStart(12)}   ${ratio}`)
  }
}

function target(label, ours, theirs, factor) {
  const ratio = theirs / ours
  const ok = ratio >= factor
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}: ${ratio.toFixed(2)}x (target >= ${factor}x)`)
  return ok
}

// ---------------------------------------------------------------- main

await sanity()
console.log(`node ${process.version}, ${process.arch}; ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per contender, median round reported`)
console.log(`token: ${TOKEN.length} bytes; claims ${JSON.stringify(CLAIMS)} + iss, aud, exp, iat`)

const signResults = await measureAll(signers)
table('sign (same claims, iss, aud, exp)', signResults, 'jwt-accord Signer.sign')

const verifyResults = await measureAll(verifiers)
table('verify (signature, iss, aud, exp)', verifyResults, 'jwt-accord Verifier.verify')

console.log('\ntargets')
const passed = [
  target('Signer.sign vs fast-jwt signer', signResults['jwt-accord Signer.sign'], signResults['fast-jwt createSigner (sync)'], 3),
  target('Signer.sign vs jsonwebtoken (KeyObject)', signResults['jwt-accord Signer.sign'], signResults['jsonwebtoken.sign (KeyObject)'], 3),
  target('Verifier.verify vs fast-jwt verifier (cache off)', verifyResults['jwt-accord Verifier.verify'], verifyResults['fast-jwt createVerifier (sync, cache off)'], 3),
  target('Verifier.verify vs jsonwebtoken (KeyObject)', verifyResults['jwt-accord Verifier.verify'], verifyResults['jsonwebtoken.verify (KeyObject)'], 3),
]

// RSS over 1,000,000 verifications.
const gc = globalThis.gc || (() => {})
if (!globalThis.gc) console.log('\n(run with --expose-gc for settled RSS numbers)')
for (let i = 0; i < 100_000; i += 1) sink ^= accordVerifier.verify(TOKEN).exp
gc()
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1)
const before = process.memoryUsage().rss
const t0 = process.hrtime.bigint()
for (let i = 0; i < RSS_VERIFICATIONS; i += 1) sink ^= accordVerifier.verify(TOKEN).exp
const seconds = Number(process.hrtime.bigint() - t0) / 1e9
const peak = process.memoryUsage().rss
gc()
const after = process.memoryUsage().rss
const growth = (after - before) / 1024 / 1024
console.log(`\nRSS over ${RSS_VERIFICATIONS.toLocaleString('en-US')} Verifier.verify calls (${seconds.toFixed(2)} s):`)
console.log(`  before ${mb(before)} MB, at the end ${mb(peak)} MB, after gc ${mb(after)} MB: growth ${growth.toFixed(1)} MB`)
passed.push(growth < 10)
console.log(`${growth < 10 ? 'PASS' : 'FAIL'}  RSS growth ${growth.toFixed(1)} MB (target < 10 MB)`)

if (sink === 0.5) console.log(sink)
console.log(`\n${passed.every(Boolean) ? 'all targets met' : 'SOME TARGETS MISSED'}`)
