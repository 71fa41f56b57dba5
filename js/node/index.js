'use strict'
// jwt-accord for Node.js: the public API over the napi-rs addon (./native.js).
//
// Conversion only (docs/bindings.md): the core decides everything. This file
// supplies the host defaults (env = process.env, now = the system clock),
// checks argument types (TypeError, naming the argument and the type found,
// never the value: it may be a secret), moves claims across the boundary as
// JSON text (JSON.stringify in, JSON.parse out), and converts errors in one
// place (fromNative).

const native = require('./native.js')

/** The `code` of a native error that carries a core error as JSON (bindings/node/src/lib.rs). */
const NATIVE_ERROR = 'JWT_ACCORD_CORE_ERROR'
/** napi statuses for arguments of the wrong type: rethrown as TypeError. */
const ARGUMENT_STATUSES = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
  'DateExpected',
  'ArrayBufferExpected',
])

/**
 * Every failure of the core: `.code` is one of docs/spec.md §10, `.message` the
 * core's text (identical in every language), `.details` the specifics.
 */
class JwtAccordError extends Error {
  constructor(code, message, details) {
    super(message)
    this.code = code
    this.details = details === undefined ? {} : details
  }
}
Object.defineProperty(JwtAccordError.prototype, 'name', {
  value: 'JwtAccordError',
  writable: true,
  configurable: true,
})

/** The one place a native error becomes what callers catch. */
function fromNative(error) {
  if (error !== null && typeof error === 'object') {
    if (error.code === NATIVE_ERROR) {
      const { code, message, details } = JSON.parse(error.message)
      const converted = new JwtAccordError(code, message, details)
      Error.captureStackTrace(converted, fromNative)
      return converted
    }
    if (ARGUMENT_STATUSES.has(error.code)) return new TypeError(error.message)
  }
  return error
}

// ---------------------------------------------------------------- argument checks

/** The type of a value for a message: never the value itself. */
function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  const type = typeof value
  if (type === 'undefined') return 'undefined'
  if (type === 'object') {
    const name = value.constructor && value.constructor.name
    return name && name !== 'Object' ? `an instance of ${name}` : 'an object'
  }
  return `a ${type}`
}

function typeError(what, expected, value) {
  return new TypeError(`${what} must be ${expected}, found ${describe(value)}`)
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value)
const isString = (value) => typeof value === 'string'
const isStringList = (value) => Array.isArray(value) && value.every(isString)
const isInteger = (value) => Number.isSafeInteger(value)
const isCount = (value) => Number.isSafeInteger(value) && value >= 0

const CHECKS = {
  string: [isString, 'a string'],
  strings: [(v) => isString(v) || isStringList(v), 'a string or an array of strings'],
  list: [isStringList, 'an array of strings'],
  integer: [isInteger, 'an integer number of seconds'],
  count: [isCount, 'a non-negative integer'],
  boolean: [(v) => typeof v === 'boolean', 'a boolean'],
  kid: [(v) => typeof v === 'boolean' || isString(v), 'true (the key fingerprint), false (no kid) or a string'],
}

const SIGN_OPTIONS = {
  expiresIn: 'integer',
  notBefore: 'integer',
  issuer: 'string',
  audience: 'strings',
  subject: 'string',
  tokenType: 'string',
  jti: 'string',
  setIssuedAt: 'boolean',
  kid: 'kid',
}

const VERIFY_OPTIONS = {
  issuer: 'strings',
  audience: 'strings',
  leeway: 'count',
  required: 'list',
  tokenType: 'string',
  maxAge: 'count',
  maxTokenBytes: 'count',
}

/** Checks an options object against a table; `undefined` values count as absent. */
function checkOptions(kind, table, given) {
  if (given === undefined || given === null) return {}
  if (!isObject(given)) throw typeError(`${kind} options`, 'an object', given)
  const out = {}
  for (const name of Object.keys(given)) {
    const value = given[name]
    if (value === undefined) continue
    const check = Object.hasOwn(table, name) ? CHECKS[table[name]] : undefined
    if (check === undefined) {
      throw new TypeError(`unknown ${kind} option ${JSON.stringify(name)}: expected one of ${Object.keys(table).join(', ')}`)
    }
    if (!check[0](value)) throw typeError(`options.${name}`, check[1], value)
    out[name] = value
  }
  return out
}

/** `now`: the system clock when absent, else a number of seconds (the core floors it). */
function clock(now) {
  if (now === undefined) return Date.now() / 1000
  if (typeof now !== 'number') throw typeError('now', 'a number of seconds since the epoch', now)
  return now
}

function checkToken(token) {
  if (typeof token !== 'string') throw typeError('token', 'a string', token)
}

/**
 * A value as JSON text for the core. JSON.stringify throws TypeError itself on
 * BigInt and cycles; nesting so deep that it overflows the stack (a RangeError)
 * becomes a TypeError too (the core refuses anything deeper than 127 levels).
 */
function jsonText(what, value) {
  let text
  try {
    text = JSON.stringify(value)
  } catch (error) {
    if (error instanceof RangeError) {
      throw new TypeError(`${what} nest too deeply to serialise as JSON (at most 127 levels are accepted)`)
    }
    throw error
  }
  if (text === undefined) throw typeError(what, 'a JSON object', value)
  return text
}

// ---------------------------------------------------------------- resolution

const BUILD = Symbol('jwt-accord.Resolution')
let nativeOf
let isResolution

function freeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) freeze(value[key])
    Object.freeze(value)
  }
  return value
}

/**
 * A resolved secret and its report. Made by `resolveSecret`; the secret is
 * reachable only through `exposeSecret()`, never through `toString()`,
 * `toJSON()` or `util.inspect`.
 */
class Resolution {
  #native

  constructor(token, handle) {
    if (token !== BUILD) throw new TypeError('a Resolution is made by resolveSecret()')
    this.#native = handle
    const form = JSON.parse(handle.toJson())
    this.environment = form.environment
    this.environmentSource = form.environment_source
    this.source = freeze(form.source)
    this.fingerprint = form.fingerprint
    this.warnings = freeze(form.warnings)
    this.candidates = freeze(form.candidates)
    Object.freeze(this)
  }

  static {
    nativeOf = (resolution) => resolution.#native
    isResolution = (value) => value !== null && typeof value === 'object' && #native in value
  }

  /** The JSON form (schema jwt-accord/resolution/v1): `JSON.stringify(resolution)` is the core's text. */
  toJSON() {
    return JSON.parse(this.#native.toJson())
  }

  /** The one-line summary for start-up logs. */
  summary() {
    return this.#native.summary()
  }

  /** The secret itself. The name is deliberate: every read is visible in review. */
  exposeSecret() {
    return this.#native.exposeSecret()
  }

  toString() {
    return this.#native.summary()
  }

  [Symbol.for('nodejs.util.inspect.custom')]() {
    return `Resolution <${this.#native.summary()}>`
  }
}

/**
 * The variables the core reads, and only those, as a flat array of name/value
 * strings for the native resolver: `env` is read one name at a time, so no
 * other variable crosses into native code (docs/decisions.md).
 */
function variablesRead(env, environment) {
  if (!isObject(env)) throw typeError('env', 'an object of strings', env)
  const flat = []
  const read = (name) => {
    const value = env instanceof Map ? env.get(name) : Object.hasOwn(env, name) ? env[name] : undefined
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw typeError(`env.${name}`, 'a string', value)
    flat.push(name, value)
    return value
  }
  let names = native.variableNames(environment, undefined)
  if (names.includes('ENVIRONMENT')) names = native.variableNames(environment, read('ENVIRONMENT'))
  for (const name of names) if (name !== 'ENVIRONMENT') read(name)
  return flat
}

/** Reads the store entries the core names for the selected environment, and only those. */
function storeEntries(store, variables, environment) {
  if (store === undefined || store === null) return []
  let read
  if (typeof store === 'function') read = store
  else if (store instanceof Map) read = (name) => store.get(name)
  else if (isObject(store)) read = (name) => (Object.hasOwn(store, name) ? store[name] : undefined)
  else throw typeError('secretStore', 'an object or a function (name) => string | undefined', store)
  let names
  try {
    names = native.storeEntryNames(variables, environment)
  } catch (error) {
    throw fromNative(error)
  }
  const flat = []
  for (const name of names) {
    const value = read(name)
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') {
      const hint =
        typeof value.then === 'function'
          ? ': resolveSecret is synchronous, so fetch the entries first and pass them as an object'
          : ''
      throw new TypeError(`secretStore entry ${name} must be a string, found ${describe(value)}${hint}`)
    }
    flat.push(name, value)
  }
  return flat
}

const RESOLVE_OPTIONS = new Set(['env', 'environment', 'secretStore'])

/**
 * Resolves the JWT secret: `env` (default `process.env`), an optional explicit
 * `environment`, and an optional `secretStore` (an object, or a function called
 * only for the store-entry names of the selected environment).
 */
function resolveSecret(options) {
  const given = options === undefined ? {} : options
  if (!isObject(given)) throw typeError('resolveSecret options', 'an object { env, environment, secretStore }', options)
  for (const name of Object.keys(given)) {
    if (!RESOLVE_OPTIONS.has(name)) {
      throw new TypeError(`unknown resolveSecret option ${JSON.stringify(name)}: expected env, environment or secretStore`)
    }
  }
  const environment = given.environment === null ? undefined : given.environment
  if (environment !== undefined && typeof environment !== 'string') {
    throw typeError('environment', 'a string', environment)
  }
  const variables = variablesRead(given.env === undefined ? process.env : given.env, environment)
  const store = storeEntries(given.secretStore, variables, environment)
  let handle
  try {
    handle = native.resolve(variables, store, environment)
  } catch (error) {
    throw fromNative(error)
  }
  return new Resolution(BUILD, handle)
}

// ---------------------------------------------------------------- tokens

const KEY_TYPES = 'a string, a Uint8Array, a Resolution or an array of these'

function keyItem(item, what) {
  if (typeof item === 'string' || item instanceof Uint8Array) return item
  if (isResolution(item)) return nativeOf(item)
  throw typeError(what, KEY_TYPES, item)
}

/** A key or a keyring as the native list (a Resolution becomes its native handle). */
function keys(key) {
  if (Array.isArray(key)) return key.map((item, index) => keyItem(item, `key[${index}]`))
  return [keyItem(key, 'key')]
}

/** A reusable signer: the key and options are taken once. */
class Signer {
  #native

  constructor(key, options) {
    const keyring = keys(key)
    const checked = checkOptions('sign', SIGN_OPTIONS, options)
    try {
      this.#native = new native.Signer(keyring, checked)
    } catch (error) {
      throw fromNative(error)
    }
  }

  /** Signs a claims object at `now` (seconds since the epoch; default: the clock). */
  sign(claims, now) {
    const text = jsonText('claims', claims)
    const seconds = clock(now)
    try {
      return this.#native.sign(text, seconds)
    } catch (error) {
      throw fromNative(error)
    }
  }

  /** The signing key's fingerprint: 16 lower-case hex characters (the default `kid`). */
  get fingerprint() {
    return this.#native.fingerprint
  }
}

/**
 * The core checks a token's size before decoding anything (docs/spec.md §8.2, step 1),
 * but crossing into native code would copy the whole string first. A string
 * longer than the limit in UTF-16 units is longer still in UTF-8 bytes, so it
 * is refused here, with the core's own error, and never copied.
 */
function refuseOversized(token, max) {
  if (token.length <= max) return
  try {
    native.checkTokenSize(Buffer.byteLength(token, 'utf8'), max)
  } catch (error) {
    throw fromNative(error)
  }
}

/** A reusable verifier: the key or keyring and options are taken once. */
class Verifier {
  #native
  #maxTokenBytes

  constructor(keyOrKeys, options) {
    const keyring = keys(keyOrKeys)
    const checked = checkOptions('verify', VERIFY_OPTIONS, options)
    try {
      this.#native = new native.Verifier(keyring, checked)
    } catch (error) {
      throw fromNative(error)
    }
    this.#maxTokenBytes = this.#native.maxTokenBytes
  }

  /** The held keys' fingerprints, current first (a new array each time). */
  get fingerprints() {
    return this.#native.fingerprints
  }

  /** Verifies `token` at `now` and returns its claims. */
  verify(token, now) {
    checkToken(token)
    refuseOversized(token, this.#maxTokenBytes)
    const seconds = clock(now)
    let text
    try {
      text = this.#native.verify(token, seconds)
    } catch (error) {
      throw fromNative(error)
    }
    return JSON.parse(text)
  }

  /** Verifies `token` at `now` and returns `{ claims, header, keyFingerprint }`. */
  verifyFull(token, now) {
    checkToken(token)
    refuseOversized(token, this.#maxTokenBytes)
    const seconds = clock(now)
    let full
    try {
      full = this.#native.verifyFull(token, seconds)
    } catch (error) {
      throw fromNative(error)
    }
    return {
      claims: JSON.parse(full.claimsJson),
      header: JSON.parse(full.headerJson),
      keyFingerprint: full.keyFingerprint,
    }
  }
}

/** One-shot signing: `options` are the Signer's plus `now`. */
function sign(claims, key, options) {
  const now = isObject(options) ? options.now : undefined
  return new Signer(key, withoutNow(options)).sign(claims, now)
}

/** One-shot verification: `options` are the Verifier's plus `now`; returns the claims. */
function verify(token, key, options) {
  const now = isObject(options) ? options.now : undefined
  return new Verifier(key, withoutNow(options)).verify(token, now)
}

function withoutNow(options) {
  if (!isObject(options) || !Object.hasOwn(options, 'now')) return options
  const { now: _, ...rest } = options
  return rest
}

/** The header and claims of a well-formed token, checking nothing else: never for access decisions. */
function decodeUnverified(token) {
  checkToken(token)
  refuseOversized(token, native.DEFAULT_MAX_TOKEN_BYTES)
  let decoded
  try {
    decoded = native.decodeUnverified(token)
  } catch (error) {
    throw fromNative(error)
  }
  return { header: JSON.parse(decoded.headerJson), claims: JSON.parse(decoded.claimsJson) }
}

/** The fingerprint of a secret (text: its UTF-8 bytes): 16 lower-case hex characters. */
function fingerprint(secret) {
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) {
    throw typeError('secret', 'a string or a Uint8Array', secret)
  }
  return native.fingerprint(secret)
}

/** Compares several services' reports (a resolution's JSON form plus `service` and `role`). */
function checkConsistency(reports) {
  if (!Array.isArray(reports)) throw typeError('reports', 'an array of report objects', reports)
  let text
  try {
    text = native.checkConsistency(jsonText('reports', reports))
  } catch (error) {
    throw fromNative(error)
  }
  return JSON.parse(text)
}

module.exports = {
  JwtAccordError,
  Resolution,
  Signer,
  Verifier,
  checkConsistency,
  decodeUnverified,
  fingerprint,
  resolveSecret,
  sign,
  verify,
}
