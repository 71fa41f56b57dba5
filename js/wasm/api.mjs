// jwt-accord for WebAssembly: the public API over the wasm-bindgen module.
//
// Environment-agnostic (no node: imports, no I/O): node.mjs and web.mjs each
// load the module their way and call `bind`. The API is the Node addon's
// (js/node/index.js), name for name, option for option, message for message,
// so one test suite runs against both; the differences are that `env` is
// required (there is no process environment in a browser) and that the module
// recovers from a trap (below).
//
// Conversion only (docs/bindings.md): the core decides everything. This file
// supplies the clock (`now` defaults to Date.now() / 1000), checks argument
// types (TypeError, naming the argument and the type found, never the value: it
// may be a secret), moves claims across the boundary as JSON text
// (JSON.stringify in, JSON.parse out), and converts errors in one place
// (`fromWasm`).
//
// Traps. The module is built with panic = "abort", so a panic (none is
// reachable: the core reports every failure as a value) or a stack overflow
// would trap and could leave the instance's memory inconsistent. Anything other
// than a core error that comes out of the module is treated as such a trap: the
// module is re-instantiated from the compiled WebAssembly.Module (a few hundred
// microseconds), the original error is rethrown, and every live Signer, Verifier
// and Resolution rebuilds its handle in the new instance on its next use, from
// the inputs it was made from. So after any error, the next call works.

/** Every failure of the core: `.code` is one of docs/spec.md §10, `.message` the core's text, `.details` the specifics. */
export class JwtAccordError extends Error {
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

/** A list option as the module takes it: `undefined` when absent, else an array. */
const asList = (value) => (value === undefined ? undefined : typeof value === 'string' ? [value] : value.slice())

/**
 * The variables the core reads, and only those, as a flat array of name/value
 * strings for the resolver: `env` is read one name at a time (`names(value of
 * ENVIRONMENT or undefined)` says which), so no other variable enters the
 * module's memory (docs/decisions.md).
 */
function variablesRead(env, names) {
  if (!isObject(env)) {
    const hint = env === undefined ? ' (WebAssembly has no process environment: pass env explicitly)' : ''
    throw new TypeError(`env must be an object of strings, found ${describe(env)}${hint}`)
  }
  const flat = []
  const read = (name) => {
    const value = env instanceof Map ? env.get(name) : Object.hasOwn(env, name) ? env[name] : undefined
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw typeError(`env.${name}`, 'a string', value)
    flat.push(name, value)
    return value
  }
  let wanted = names(undefined)
  if (wanted.includes('ENVIRONMENT')) wanted = names(read('ENVIRONMENT'))
  for (const name of wanted) if (name !== 'ENVIRONMENT') read(name)
  return flat
}

// ---------------------------------------------------------------- the binding

const BUILD = Symbol('jwt-accord-wasm.Resolution')

/** The fields of one Resolution, made by `resolveSecret`. */
function freeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) freeze(value[key])
    Object.freeze(value)
  }
  return value
}

/**
 * The API over one wasm-bindgen module (`raw`: its exports, including
 * `__wbg_reset_state`). `ready()` says whether the module is instantiated
 * (web.mjs instantiates asynchronously).
 */
export function bind(raw, ready = () => true) {
  /** Bumped at each re-instantiation; a handle made in an older one is rebuilt. */
  let generation = 0

  function reset() {
    raw.__wbg_reset_state()
    generation += 1
  }

  /** The one place an error from the module becomes what callers catch. */
  function fromWasm(error) {
    if (typeof error === 'string') {
      const { code, message, details } = JSON.parse(error)
      if (code === 'type_error') return new TypeError(message)
      const converted = new JwtAccordError(code, message, details)
      if (Error.captureStackTrace) Error.captureStackTrace(converted, fromWasm)
      return converted
    }
    // Not a core error: a trap (RuntimeError: unreachable, a stack overflow...).
    // The instance may be inconsistent: replace it before anything else runs.
    reset()
    return error
  }

  /** Runs `fn` against the module, converting what it throws. */
  function call(fn) {
    try {
      return fn()
    } catch (error) {
      throw fromWasm(error)
    }
  }

  function checkReady() {
    if (!ready()) throw new Error('jwt-accord-wasm is not initialised: await init() first (see web.mjs)')
  }

  /** A module object made by `build()`, rebuilt in the current instance when it is stale. */
  class Handle {
    #build
    #generation = -1
    #value

    constructor(build) {
      this.#build = build
      this.get()
    }

    get() {
      if (this.#generation !== generation) {
        this.#value = call(this.#build)
        this.#generation = generation
      }
      return this.#value
    }
  }

  let handleOf
  let isResolution

  /**
   * A resolved secret and its report. Made by `resolveSecret`; the secret is
   * reachable only through `exposeSecret()`, never through `toString()`,
   * `toJSON()` or `util.inspect`.
   */
  class Resolution {
    #handle

    constructor(token, handle) {
      if (token !== BUILD) throw new TypeError('a Resolution is made by resolveSecret()')
      this.#handle = handle
      const form = JSON.parse(this.#text())
      this.environment = form.environment
      this.environmentSource = form.environment_source
      this.source = freeze(form.source)
      this.fingerprint = form.fingerprint
      this.warnings = freeze(form.warnings)
      this.candidates = freeze(form.candidates)
      Object.freeze(this)
    }

    static {
      handleOf = (resolution) => resolution.#handle.get()
      isResolution = (value) => value !== null && typeof value === 'object' && #handle in value
    }

    #text() {
      const handle = this.#handle.get()
      return call(() => handle.toJsonText())
    }

    /** The JSON form (schema jwt-accord/resolution/v1): `JSON.stringify(resolution)` is the core's text. */
    toJSON() {
      return JSON.parse(this.#text())
    }

    /** The one-line summary for start-up logs. */
    summary() {
      const handle = this.#handle.get()
      return call(() => handle.summary())
    }

    /** The secret itself. The name is deliberate: every read is visible in review. */
    exposeSecret() {
      const handle = this.#handle.get()
      return call(() => handle.exposeSecret())
    }

    toString() {
      return this.summary()
    }

    [Symbol.for('nodejs.util.inspect.custom')]() {
      return `Resolution <${this.summary()}>`
    }
  }

  /** Reads the store entries the core names for the selected environment, and only those. */
  function storeEntries(store, variables, environment) {
    if (store === undefined || store === null) return []
    let read
    if (typeof store === 'function') read = store
    else if (store instanceof Map) read = (name) => store.get(name)
    else if (isObject(store)) read = (name) => (Object.hasOwn(store, name) ? store[name] : undefined)
    else throw typeError('secretStore', 'an object or a function (name) => string | undefined', store)
    const names = call(() => raw.storeEntryNames(variables, environment))
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
   * Resolves the JWT secret: `env` (required: a snapshot of variables), an
   * optional explicit `environment`, and an optional `secretStore` (an object,
   * or a function called only for the store-entry names of the selected environment).
   */
  function resolveSecret(options) {
    checkReady()
    if (!isObject(options)) throw typeError('resolveSecret options', 'an object { env, environment, secretStore }', options)
    for (const name of Object.keys(options)) {
      if (!RESOLVE_OPTIONS.has(name)) {
        throw new TypeError(`unknown resolveSecret option ${JSON.stringify(name)}: expected env, environment or secretStore`)
      }
    }
    const environment = options.environment === null ? undefined : options.environment
    if (environment !== undefined && typeof environment !== 'string') {
      throw typeError('environment', 'a string', environment)
    }
    const variables = variablesRead(options.env, (value) => call(() => raw.variableNames(environment, value)))
    const store = storeEntries(options.secretStore, variables, environment)
    // Deterministic, so a re-instantiated module gets the same resolution back.
    return new Resolution(BUILD, new Handle(() => raw.resolve(variables.slice(), store.slice(), environment)))
  }

  // -------------------------------------------------------------- tokens

  const KEY_TYPES = 'a string, a Uint8Array, a Resolution or an array of these'

  /** A key as kept for (re)building: text, a private copy of bytes, or a Resolution. */
  function keyItem(item, what) {
    if (typeof item === 'string' || isResolution(item)) return item
    if (item instanceof Uint8Array) return item.slice()
    throw typeError(what, KEY_TYPES, item)
  }

  function keys(key) {
    if (Array.isArray(key)) return key.map((item, index) => keyItem(item, `key[${index}]`))
    return [keyItem(key, 'key')]
  }

  /** Builds a module object from a key list (freed afterwards); runs inside `call`. */
  function withKeyList(items, build) {
    const list = new raw.KeyList()
    try {
      for (const item of items) {
        if (typeof item === 'string') list.addText(item)
        else if (item instanceof Uint8Array) list.addBytes(item)
        else list.addResolution(handleOf(item))
      }
      return build(list)
    } finally {
      list.free()
    }
  }

  /** A reusable signer: the key and options are taken once. */
  class Signer {
    #handle

    constructor(key, options) {
      checkReady()
      const items = keys(key)
      const o = checkOptions('sign', SIGN_OPTIONS, options)
      const audience = asList(o.audience)
      const audienceIsList = Array.isArray(o.audience)
      this.#handle = new Handle(() =>
        withKeyList(
          items,
          (list) =>
            new raw.Signer(
              list,
              o.expiresIn,
              o.issuer,
              audience,
              audienceIsList,
              o.subject,
              o.tokenType,
              o.notBefore,
              o.jti,
              o.setIssuedAt !== false,
              o.kid === false,
              typeof o.kid === 'string' ? o.kid : undefined,
            ),
        ),
      )
    }

    /** Signs a claims object at `now` (seconds since the epoch; default: the clock). */
    sign(claims, now) {
      const text = jsonText('claims', claims)
      const seconds = clock(now)
      const handle = this.#handle.get()
      try {
        return handle.sign(text, seconds)
      } catch (error) {
        throw fromWasm(error)
      }
    }

    /** The signing key's fingerprint: 16 lower-case hex characters (the default `kid`). */
    get fingerprint() {
      return this.#handle.get().fingerprint
    }
  }

  /** The UTF-8 length of a string, without encoding it (a lone surrogate counts as U+FFFD). */
  function utf8Length(text) {
    let bytes = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c < 0x80) bytes += 1
      else if (c < 0x800) bytes += 2
      else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4
        i++
      } else bytes += 3
    }
    return bytes
  }

  /**
   * The core checks a token's size before decoding anything (docs/spec.md §8.2, step 1),
   * but crossing into WebAssembly would copy the whole string into linear
   * memory first (which then never shrinks). A string longer than the limit in
   * UTF-16 units is longer still in UTF-8 bytes, so it is refused here, with
   * the core's own error, and never copied.
   */
  function refuseOversized(token, max) {
    if (token.length <= max) return
    call(() => raw.checkTokenSize(utf8Length(token), max))
  }

  /** A reusable verifier: the key or keyring and options are taken once. */
  class Verifier {
    #handle
    #maxTokenBytes

    constructor(keyOrKeys, options) {
      checkReady()
      const items = keys(keyOrKeys)
      const o = checkOptions('verify', VERIFY_OPTIONS, options)
      const issuer = asList(o.issuer)
      const audience = asList(o.audience)
      const required = asList(o.required)
      this.#handle = new Handle(() =>
        withKeyList(
          items,
          (list) =>
            new raw.Verifier(
              list,
              issuer && issuer.slice(),
              audience && audience.slice(),
              o.leeway,
              required && required.slice(),
              o.tokenType,
              o.maxAge,
              o.maxTokenBytes,
            ),
        ),
      )
    }

    /** Verifies `token` at `now` and returns its claims. */
    verify(token, now) {
      checkToken(token)
      const seconds = clock(now)
      const handle = this.#handle.get()
      refuseOversized(token, (this.#maxTokenBytes ??= handle.maxTokenBytes))
      let text
      try {
        text = handle.verify(token, seconds)
      } catch (error) {
        throw fromWasm(error)
      }
      return JSON.parse(text)
    }

    /** Verifies `token` at `now` and returns `{ claims, header, keyFingerprint }`. */
    verifyFull(token, now) {
      checkToken(token)
      const seconds = clock(now)
      const handle = this.#handle.get()
      refuseOversized(token, (this.#maxTokenBytes ??= handle.maxTokenBytes))
      let text
      try {
        text = handle.verifyFull(token, seconds)
      } catch (error) {
        throw fromWasm(error)
      }
      const full = JSON.parse(text)
      return { claims: full.claims, header: full.header, keyFingerprint: full.keyFingerprint }
    }

    /** The held keys' fingerprints, current first (a new array each time). */
    get fingerprints() {
      return this.#handle.get().fingerprints
    }
  }

  function withoutNow(options) {
    if (!isObject(options) || !Object.hasOwn(options, 'now')) return options
    const { now: _, ...rest } = options
    return rest
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

  /** The header and claims of a well-formed token, checking nothing else: never for access decisions. */
  function decodeUnverified(token) {
    checkReady()
    checkToken(token)
    refuseOversized(token, raw.defaultMaxTokenBytes())
    return JSON.parse(call(() => raw.decodeUnverified(token)))
  }

  /** The fingerprint of a secret (text: its UTF-8 bytes): 16 lower-case hex characters. */
  function fingerprint(secret) {
    checkReady()
    if (typeof secret === 'string') return call(() => raw.fingerprintText(secret))
    if (secret instanceof Uint8Array) return call(() => raw.fingerprintBytes(secret))
    throw typeError('secret', 'a string or a Uint8Array', secret)
  }

  /** Compares several services' reports (a resolution's JSON form plus `service` and `role`). */
  function checkConsistency(reports) {
    checkReady()
    if (!Array.isArray(reports)) throw typeError('reports', 'an array of report objects', reports)
    const text = jsonText('reports', reports)
    return JSON.parse(call(() => raw.checkConsistency(text)))
  }

  /** Not part of the API: the trap-recovery test's handles. */
  const internals = Object.freeze({
    generation: () => generation,
    abort: () => call(() => raw.__abortForTests()),
  })

  return {
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
    internals,
  }
}
