// The conformance vectors (tests/vectors/*.json, format in tests/vectors/README.md)
// run against any jwt-accord JavaScript build.
//
// Environment-agnostic on purpose: no node: imports, no file access. The caller
// loads the vector files and passes the implementation (the napi addon, the WASM
// build in Node, or the WASM build inside headless Chromium), so every runtime
// runs exactly this code. `runVectors` returns the signed tokens by case name so
// a caller can compare them across runtimes byte for byte.

/** The vector files, in the order they run. */
export const FILES = ['fingerprint', 'resolution', 'sign', 'verify', 'decode', 'consistency', 'publish', 'http']

/**
 * The files of the token API alone, which the tokens entry
 * (`jwt-accord-wasm/tokens`, no resolveSecret) runs; the others concern exports it does not have.
 */
export const TOKEN_FILES = ['fingerprint', 'sign', 'verify', 'decode']

/**
 * The token files' cases that need no resolveSecret: `vectors` for
 * TOKEN_FILES without the cases whose keys hold a resolution (`{resolution}`:
 * they check the slots a resolution's keys carry), which are named in `left`
 * (they run against the full build).
 * @returns {{vectors: Record<string, {cases: object[]}>, left: string[]}}
 */
export function tokenVectors(vectors) {
  const out = {}
  const left = []
  for (const file of TOKEN_FILES) {
    const kept = []
    for (const c of vectors[file].cases) {
      if ((c.keys || []).some((key) => key !== null && typeof key === 'object' && key.resolution !== undefined)) left.push(`${file}/${c.name}`)
      else kept.push(c)
    }
    out[file] = { ...vectors[file], cases: kept }
  }
  return { vectors: out, left }
}

/**
 * Runs every case of `files` (default: every file); never throws for a failing case.
 * @returns {{passed: number, failed: number, failures: {file: string, name: string, message: string}[], tokens: Record<string, string>}}
 */
export function runVectors(lib, vectors, files = FILES) {
  const out = { passed: 0, failed: 0, failures: [], tokens: {} }
  for (const c of cases(lib, vectors, files)) {
    try {
      const token = c.run()
      if (c.file === 'sign' && typeof token === 'string') out.tokens[c.name] = token
      out.passed += 1
    } catch (error) {
      out.failed += 1
      out.failures.push({ file: c.file, name: c.name, message: String((error && error.message) || error) })
    }
  }
  return out
}

/**
 * Every case of `files` as `{file, name, run}`; `run()` throws on a mismatch and returns
 * the token of a successful sign case. For test runners that register one test per case.
 */
export function cases(lib, vectors, files = FILES) {
  const all = []
  for (const file of files) {
    const data = vectors[file]
    if (!data || !Array.isArray(data.cases)) throw new Error(`vectors.${file} is missing or has no cases`)
    const runner = RUNNERS[file]
    for (const c of data.cases) {
      all.push({ file, name: c.name, run: () => runner(lib, c) })
    }
  }
  return all
}

// ---------------------------------------------------------------- runners

const RUNNERS = {
  fingerprint(lib, c) {
    const secret = c.hex !== undefined ? hexBytes(c.hex) : c.secret
    const expected = result(c).fingerprint
    equal(lib.fingerprint(secret), expected, 'fingerprint')
    if (c.expect && c.expect.fingerprint !== undefined) equal(expected, c.expect.fingerprint, 'expect.fingerprint')
  },

  resolution(lib, c) {
    const input = c.input
    const attempt = (secretStore) => () => resolveInput(lib, input, secretStore)
    const r = result(c)
    const hasStore = input.store !== undefined
    if (r.error) {
      expectError(lib, attempt(hasStore ? { ...input.store } : undefined), r.error)
      if (hasStore) expectError(lib, attempt(storeFunction(input.store).read), r.error)
      return
    }
    const resolution = attempt(hasStore ? { ...input.store } : undefined)()
    checkResolution(resolution, r)
    if (!hasStore) return
    // The same store as a function: called only for the selected environment's
    // store-entry names and their -next and -previous companions (docs/spec.md
    // §14), and the result is identical.
    const store = storeFunction(input.store)
    const again = attempt(store.read)()
    checkResolution(again, r)
    const names = JSON.parse(r.json)
      .candidates.filter((candidate) => candidate.kind === 'store')
      .flatMap((candidate) => [candidate.name, `${candidate.name}-next`, `${candidate.name}-previous`])
    for (const name of store.calls) {
      if (!names.includes(name)) throw new Error(`secretStore was called for ${JSON.stringify(name)}, not a store-entry name`)
    }
    equal(JSON.stringify(store.calls), JSON.stringify(names), 'secretStore calls')
  },

  sign(lib, c) {
    const keys = keyring(c.keys, lib)
    const options = camel(c.options)
    const r = result(c)
    if (r.error) {
      expectError(lib, () => new lib.Signer(keys, options).sign(c.claims, c.now), r.error)
      expectError(lib, () => lib.sign(c.claims, keys, { ...options, now: c.now }), r.error)
      return undefined
    }
    const token = new lib.Signer(keys, options).sign(c.claims, c.now)
    equal(token, r.token, 'token')
    equal(lib.sign(c.claims, keys, { ...options, now: c.now }), r.token, 'one-shot sign token')
    return token
  },

  verify(lib, c) {
    const r = result(c)
    const token = c.token !== undefined ? c.token : r.token
    const keys = keyring(c.keys, lib)
    const options = camel(c.options)
    if (r.error) {
      expectError(lib, () => new lib.Verifier(keys, options).verify(token, c.now), r.error)
      expectError(lib, () => new lib.Verifier(keys, options).verifyFull(token, c.now), r.error)
      expectError(lib, () => lib.verify(token, keys, { ...options, now: c.now }), r.error)
      return
    }
    const verifier = new lib.Verifier(keys, options)
    const full = verifier.verifyFull(token, c.now)
    deepEqual(full.claims, r.claims, 'claims')
    deepEqual(full.header, r.header, 'header')
    equal(full.keyFingerprint, r.key_fingerprint, 'keyFingerprint')
    equal(full.keySlot, r.key_slot, 'keySlot')
    deepEqual(verifier.verify(token, c.now), r.claims, 'verify() claims')
    deepEqual(lib.verify(token, keys, { ...options, now: c.now }), r.claims, 'one-shot verify claims')
  },

  decode(lib, c) {
    const r = result(c)
    const token = c.token !== undefined ? c.token : r.token
    if (r.error) {
      expectError(lib, () => lib.decodeUnverified(token), r.error)
      return
    }
    const decoded = lib.decodeUnverified(token)
    deepEqual(decoded.header, r.header, 'header')
    deepEqual(decoded.claims, r.claims, 'claims')
  },

  consistency(lib, c) {
    const r = result(c)
    // The text pins the keys' order too (status, level, environments, ...).
    equal(JSON.stringify(lib.checkConsistency(c.reports)), r.json, 'checkConsistency result')
  },

  // As the file's _comment says: a Service over the input's resolution,
  // watching a Verifier (the case's options) and a Signer (defaults) over it.
  publish(lib, c) {
    const r = result(c)
    const resolution = resolveInput(lib, c.input)
    const verifier = new lib.Verifier(resolution, camel(c.options))
    const signer = new lib.Signer(resolution)
    const make = () => new lib.Service(c.service, resolution, { role: c.role, verifiers: [verifier], signers: [signer] })
    if (r.error) {
      expectTypeError(make, r.error.message)
      return
    }
    const service = make()
    for (const item of c.sign) ignoreTokenError(lib, () => signer.sign(item.claims, c.now))
    for (const item of c.verify) {
      const token = item.token !== undefined ? item.token : new lib.Signer(item.key).sign(item.claims, c.now)
      ignoreTokenError(lib, () => verifier.verify(token, c.now))
    }
    equal(service.reportJson(), r.report, 'reportJson()')
    equal(JSON.stringify(service.report()), r.report, 'JSON.stringify(report())')
    equal(JSON.stringify(service), r.report, 'JSON.stringify(service)')
    equal(service.metrics(), r.metrics, 'metrics()')
    equal(service.name, c.service, 'name')
    equal(service.role, c.role, 'role')
  },

  // As the file's _comment says: a Challenge over realm and environment; the
  // token from websocket_protocols when present, else from authorization, then
  // (only on missing_token, with cookie_name given) from that cookie; verified
  // by a Verifier over keys with the case's options; its claims, or the
  // refusal of whatever failed, compared exactly.
  http(lib, c) {
    const r = result(c)
    const make = () => new lib.Challenge(c.realm, { environment: c.environment, exposeMessages: c.expose_messages })
    if (r.error) {
      expectTypeError(make, r.error.message)
      return
    }
    const challenge = make()
    let claims
    try {
      claims = new lib.Verifier(keyring(c.keys, lib), camel(c.options)).verify(credential(lib, c), c.now)
    } catch (error) {
      if (!(error instanceof lib.JwtAccordError)) throw error
      if (r.claims !== undefined) throw new Error(`expected claims, got ${error.code}: ${error.message}`)
      const refusal = challenge.refusal(error)
      equal(refusal.status, r.status, 'status')
      equal(refusal.wwwAuthenticate, r.www_authenticate, 'wwwAuthenticate')
      equal(refusal.body, r.body, 'body')
      equal(refusal.closeCode, r.close_code, 'closeCode')
      equal(refusal.closeReason, r.close_reason, 'closeReason')
      deepEqual(Object.keys(refusal).sort(), ['body', 'closeCode', 'closeReason', 'status', 'wwwAuthenticate'], 'refusal fields')
      return
    }
    if (r.claims === undefined) throw new Error(`expected a refusal (${r.close_reason}), got claims ${safeJson(claims)}`)
    deepEqual(claims, r.claims, 'claims')
  },
}

/** The token of an http case's request (tests/vectors/http.json, _comment). */
function credential(lib, c) {
  if (c.websocket_protocols !== undefined) return lib.websocketToken(c.websocket_protocols)
  try {
    return lib.bearerToken(c.authorization)
  } catch (error) {
    if (!(error instanceof lib.JwtAccordError) || error.code !== 'missing_token' || c.cookie_name === undefined) throw error
    const cookie = lib.cookieToken(c.cookies, c.cookie_name)
    if (cookie === null) throw error
    return cookie
  }
}

/** Runs `fn`, which may fail with a core error (a counted failure), and nothing else. */
function ignoreTokenError(lib, fn) {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof lib.JwtAccordError)) throw error
  }
}

/** An argument refused by the core: a TypeError with the core's message. */
function expectTypeError(fn, message) {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof TypeError)) throw new Error(`expected TypeError, got ${error && error.name}: ${error && error.message}`)
    equal(error.message, message, 'TypeError message')
    return
  }
  throw new Error(`expected TypeError ${safeJson(message)}, got a result`)
}

function checkResolution(resolution, r) {
  equal(JSON.stringify(resolution), r.json, 'JSON.stringify(resolution)')
  equal(resolution.summary(), r.summary, 'summary()')
  equal(String(resolution), r.summary, 'String(resolution)')
  const form = JSON.parse(r.json)
  deepEqual(resolution.toJSON(), form, 'toJSON()')
  equal(resolution.environment, form.environment, 'environment')
  equal(resolution.environmentSource, form.environment_source, 'environmentSource')
  deepEqual(resolution.source, form.source, 'source')
  equal(resolution.fingerprint, form.fingerprint, 'fingerprint')
  deepEqual(resolution.warnings, form.warnings, 'warnings')
  deepEqual(resolution.candidates, form.candidates, 'candidates')
}

/** A secretStore function over `entries` that records the names it is asked for. */
function storeFunction(entries = {}) {
  const calls = []
  return {
    calls,
    read: (name) => {
      calls.push(name)
      return Object.prototype.hasOwnProperty.call(entries, name) ? entries[name] : undefined
    },
  }
}

// ---------------------------------------------------------------- helpers

function result(c) {
  if (!c.result) throw new Error('the case has no generated result (run `make vectors`)')
  return c.result
}

// The resolution input fields this runner passes on (tests/vectors/README.md).
const RESOLUTION_INPUT_FIELDS = ['environment', 'variables', 'store', 'directory', 'files']

/**
 * Resolves a vector's input: `store` (absent: no store, so CREDENTIALS_DIRECTORY
 * applies) or `secretStore` given, `directory` as `secretDirectory`, and always
 * a `readFile` over `files` (never the real file system).
 */
function resolveInput(lib, input, secretStore = input.store === undefined ? undefined : { ...input.store }) {
  const unknown = Object.keys(input).filter((field) => !RESOLUTION_INPUT_FIELDS.includes(field))
  if (unknown.length > 0) throw new Error(`resolution input fields ${JSON.stringify(unknown)} are not supported by this runner`)
  const options = {
    env: { ...input.variables },
    environment: input.environment === null ? undefined : input.environment,
    readFile: fileReader(input.files || {}),
  }
  if (secretStore !== undefined) options.secretStore = secretStore
  if (input.directory !== undefined) options.secretDirectory = input.directory
  return lib.resolveSecret(options)
}

/** `readFile` over a vector's `files`: text, `{hex}` bytes, `{error}` a failed read; an unlisted path is not found. */
function fileReader(files) {
  return (path) => {
    if (!Object.prototype.hasOwnProperty.call(files, path)) {
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' })
    }
    const file = files[path]
    if (typeof file === 'string') return file
    const kind = Object.keys(file).join()
    if (kind === 'hex') return hexBytes(file.hex)
    if (kind === 'error') throw new Error(file.error)
    throw new Error(`unknown file kind in vector: ${JSON.stringify(kind)}`)
  }
}

/** Vector keys: text, `{hex}` bytes, or `{resolution: input}` (that input's resolution: current, next, previous). */
function keyring(keys, lib) {
  return keys.map((key) => {
    if (typeof key === 'string') return key
    if (key.resolution !== undefined) {
      return resolveInput(lib, key.resolution)
    }
    if (Object.keys(key).join() !== 'hex') throw new Error(`unknown key kind in vector: ${JSON.stringify(Object.keys(key))}`)
    return hexBytes(key.hex)
  })
}

function hexBytes(hex) {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error(`bad hex in vector: ${hex}`)
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return bytes
}

/** snake_case option names to the JavaScript casing (expires_in -> expiresIn). */
export function camel(options) {
  const out = {}
  for (const [name, value] of Object.entries(options || {})) {
    out[name.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase())] = value
  }
  return out
}

function expectError(lib, fn, expected) {
  let value
  try {
    value = fn()
  } catch (error) {
    if (!(error instanceof lib.JwtAccordError)) {
      throw new Error(`expected JwtAccordError ${expected.code}, got ${error && error.name}: ${error && error.message}`)
    }
    if (!(error instanceof Error)) throw new Error('JwtAccordError is not an Error')
    equal(error.code, expected.code, 'error code')
    equal(error.message, expected.message, 'error message')
    deepEqual(error.details, expected.details, 'error details')
    return
  }
  throw new Error(`expected error ${expected.code}, got a result: ${safeJson(value)}`)
}

function safeJson(value) {
  try {
    return String(JSON.stringify(value)).slice(0, 300)
  } catch {
    return String(value)
  }
}

function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${safeJson(expected)}, got ${safeJson(actual)}`)
  }
}

/** Structural equality of JSON values (object key order ignored). */
export function deepEqual(actual, expected, what) {
  const path = same(actual, expected, '')
  if (path !== null) {
    throw new Error(`${what}: differs at ${path || '(top)'}: expected ${safeJson(expected)}, got ${safeJson(actual)}`)
  }
}

function same(a, b, path) {
  if (a === b) return null
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path
  if (Array.isArray(a) !== Array.isArray(b)) return path
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${path}.length`
    for (let i = 0; i < a.length; i += 1) {
      const p = same(a[i], b[i], `${path}[${i}]`)
      if (p !== null) return p
    }
    return null
  }
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${path} (keys ${ka.join(',')} vs ${kb.join(',')})`
  for (const k of ka) {
    const p = same(a[k], b[k], `${path}.${k}`)
    if (p !== null) return p
  }
  return null
}
