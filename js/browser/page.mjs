// Runs inside headless Chromium (js/browser/run.mjs serves it): instantiates
// the web build of jwt-accord-wasm, runs every conformance vector with the
// same runner the Node suites use (js/test/conformance.mjs), adds a few checks
// of what only the browser build must do, then instantiates the tokens entry
// (tokens.mjs: init() fetches pkg-tokens/jwt_accord_bg.wasm) and runs the
// token vectors against it, and leaves the outcome in `window.__jwtAccord` for
// the driver to read.
import init, * as lib from '../wasm/web.mjs'
import initTokens, * as tokens from '../wasm/tokens.mjs'
import { FILES, runVectors, TOKEN_FILES, tokenVectors } from '../test/conformance.mjs'

const out = document.getElementById('out')

/** Browser-only checks: each returns nothing or throws. */
const CHECKS = {
  'the module is a real WebAssembly instance in this page'() {
    if (typeof WebAssembly !== 'object') throw new Error('no WebAssembly')
  },
  'resolveSecret requires env (no process environment here)'() {
    expectThrow(() => lib.resolveSecret({ environment: 'staging' }), TypeError, /WebAssembly has no process environment/)
    expectThrow(() => lib.resolveSecret(), TypeError)
  },
  'secret files are read only through readFile (docs/spec.md §15)'() {
    const env = { ENVIRONMENT: 'staging', JWT_SECRET_STAGING_FILE: '/run/secrets/jwt' }
    const error = expectThrow(() => lib.resolveSecret({ env }), lib.JwtAccordError)
    if (error.code !== 'secret_file_unreadable' || error.details.reason !== 'this build reads no files: pass readFile') {
      throw new Error(`got ${error.code} ${JSON.stringify(error.details)}`)
    }
    const secret = 'browser-file-secret-0123456789abcdef0123456789'
    const resolution = lib.resolveSecret({ env, readFile: () => `${secret}\n` })
    if (resolution.exposeSecret() !== secret || resolution.source.path !== '/run/secrets/jwt') throw new Error('the file was not read')
  },
  'errors are JwtAccordError with code and details, or TypeError'() {
    const error = expectThrow(() => new lib.Verifier('x'.repeat(31)), lib.JwtAccordError)
    if (error.code !== 'invalid_key' || error.details.reason !== 'too_short') throw new Error(`got ${error.code} ${JSON.stringify(error.details)}`)
    expectThrow(() => lib.decodeUnverified(5), TypeError, /token must be a string/)
  },
  'now defaults to Date.now() / 1000'() {
    const secret = 'browser-secret-0123456789abcdef0123456789abcdef'
    const before = Math.floor(Date.now() / 1000)
    const token = new lib.Signer(secret, { expiresIn: 60 }).sign({ sub: 'b' })
    const { iat, exp } = new lib.Verifier(secret).verify(token)
    if (iat < before || iat > Math.floor(Date.now() / 1000) || exp !== iat + 60) throw new Error(`iat ${iat}, exp ${exp}`)
  },
  'after a trap the module is re-instantiated and live objects keep working'() {
    const secret = 'browser-secret-0123456789abcdef0123456789abcdef'
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: secret } })
    const signer = new lib.Signer(resolution, { expiresIn: 60 })
    const verifier = new lib.Verifier([resolution])
    const before = signer.sign({ n: 1 }, 1_700_000_000)
    const generation = lib.__internals.generation()
    expectThrow(() => lib.__internals.abort(), WebAssembly.RuntimeError)
    if (lib.__internals.generation() !== generation + 1) throw new Error('the module was not re-instantiated')
    if (signer.sign({ n: 1 }, 1_700_000_000) !== before) throw new Error('the signer changed after the trap')
    if (verifier.verify(before, 1_700_000_000).n !== 1) throw new Error('the verifier failed after the trap')
    if (resolution.exposeSecret() !== secret) throw new Error('the resolution failed after the trap')
  },
}

function expectThrow(fn, type, pattern) {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof type)) throw new Error(`expected ${type.name}, got ${error && error.name}: ${error && error.message}`)
    if (pattern && !pattern.test(error.message)) throw new Error(`message ${JSON.stringify(error.message)} does not match ${pattern}`)
    return error
  }
  throw new Error(`expected ${type.name}, got a result`)
}

async function main() {
  await init()
  const vectors = {}
  await Promise.all(
    FILES.map(async (file) => {
      const response = await fetch(`../../tests/vectors/${file}.json`)
      if (!response.ok) throw new Error(`${file}.json: HTTP ${response.status}`)
      vectors[file] = await response.json()
    }),
  )
  const total = FILES.reduce((n, file) => n + vectors[file].cases.length, 0)
  const outcome = runVectors(lib, vectors)
  const checks = { passed: 0, failures: [] }
  for (const [name, check] of Object.entries(CHECKS)) {
    try {
      check()
      checks.passed += 1
    } catch (error) {
      checks.failures.push({ name, message: String((error && error.message) || error) })
    }
  }
  // The tokens entry, as a front end loads it: its own module, fetched by init().
  await initTokens()
  const token = tokenVectors(vectors)
  const tokensOutcome = {
    total: TOKEN_FILES.reduce((n, file) => n + token.vectors[file].cases.length, 0),
    left: token.left,
    exports: Object.keys(tokens).sort(),
    ...runVectors(tokens, token.vectors, TOKEN_FILES),
  }
  return { userAgent: navigator.userAgent, total, ...outcome, checks, tokensEntry: tokensOutcome }
}

window.__jwtAccord = main().then(
  (result) => {
    out.textContent = `${result.passed} passed, ${result.failed} failed of ${result.total}`
    return result
  },
  (error) => {
    out.textContent = `error: ${error && error.stack}`
    return { error: String((error && error.stack) || error) }
  },
)
