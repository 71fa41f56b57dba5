// jwt-accord's public JavaScript API, over either engine: the napi addon
// (bindings/node) or the WebAssembly module (bindings/wasm). The one source of
// both npm packages: js/scripts/build-api.mjs generates js/node/api.cjs and
// js/wasm/api.mjs from this file (inserting the core's constants), and each
// package adds only its adapter (js/node/index.js, js/wasm/bind.mjs).
//
// Conversion only (docs/bindings.md): the core decides everything. This file
// checks argument types (TypeError, naming the argument and the type found,
// never the value: it may be a secret), applies the host-value rules to claims
// (docs/bindings.md, "Host values"), moves claims and options across the
// boundary as JSON text, and converts the engine's errors in one place
// (`fromEngine`). The engine contract it relies on is the table in
// docs/bindings.md, "The engine contract".

/** The core's constants and code lists (`constants()` of the engine), inserted by the build. */
const CONSTANTS = __JWT_ACCORD_CONSTANTS__
const MAX_JSON_DEPTH = CONSTANTS.max_json_depth

/** How every engine error message starts: the wire format `{"code","details","message"}`. */
const WIRE = '{"code":'
/** Two lower-case hex digits per byte value: file contents cross to the engine as hex text. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

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
/** Whether `#field in value` may be asked (it throws for a primitive). */
const isInstance = (value) => value !== null && typeof value === 'object'
const isString = (value) => typeof value === 'string'
const isStringList = (value) => Array.isArray(value) && value.every(isString)

// ---------------------------------------------------------------- habits of other libraries (docs/decisions.md)

const DURATION = "an integer number of seconds or a duration such as '15m', '2h', '7d'"
/** Milliseconds per unit, spelled as the `ms` package (and so jsonwebtoken) spells them; a year is 365.25 days. */
const UNIT_MS = [
  [/^(?:milliseconds?|msecs?|ms)$/i, 1],
  [/^(?:seconds?|secs?|s)$/i, 1000],
  [/^(?:minutes?|mins?|m)$/i, 60_000],
  [/^(?:hours?|hrs?|h)$/i, 3_600_000],
  [/^(?:days?|d)$/i, 86_400_000],
  [/^(?:weeks?|w)$/i, 604_800_000],
  [/^(?:years?|yrs?|y)$/i, 31_557_600_000],
]
const DURATION_TEXT = /^(-?\d+(?:\.\d+)?) *([a-z]+)$/i

/**
 * A duration option: an integer number of seconds, or a number with a unit
 * ('15m', '2h', '7d', '1.5 hours'). A unit is required: in jsonwebtoken '60' is
 * 60 milliseconds, a classic mistake, so a bare number string is refused. The
 * result must be a whole number of seconds ('1500ms' is refused, never rounded).
 */
function durationSeconds(value, name) {
  if (!isString(value)) return value
  const match = DURATION_TEXT.exec(value)
  const unit = match && UNIT_MS.find(([spelling]) => spelling.test(match[2]))
  const quoted = JSON.stringify(value)
  if (!unit) {
    const hint = /^-?\d+(?:\.\d+)?$/.test(value.trim()) ? ` (no unit: write ${value.trim()} or '${value.trim()}s' for seconds)` : ''
    throw new TypeError(`options.${name} must be ${DURATION}, found ${quoted}${hint}`)
  }
  const ms = Number(match[1]) * unit[1]
  const rounded = Math.round(ms)
  if (Math.abs(ms - rounded) > 1e-6 || rounded % 1000 !== 0 || !Number.isSafeInteger(rounded / 1000)) {
    throw new TypeError(`options.${name} must be a whole number of seconds, found ${quoted}`)
  }
  return rounded / 1000 || 0
}

function ageSeconds(value, name) {
  const seconds = durationSeconds(value, name)
  if (seconds < 0) throw new TypeError(`options.${name} must be a non-negative ${DURATION.slice(2)}, found ${JSON.stringify(value)}`)
  return seconds
}

/** `algorithm: 'HS256'` (sign) and `algorithms: ['HS256']` (verify) are accepted and say nothing new; any other algorithm is refused, never ignored. */
function hs256Only(names, what) {
  const other = names.find((name) => name !== 'HS256')
  if (other !== undefined) {
    throw new JwtAccordError('unsupported_algorithm', `${what} names ${JSON.stringify(other)}: jwt-accord signs and verifies HS256 only`, {
      option: what.slice('options.'.length),
      found: other,
    })
  }
  return undefined
}

const CHECKS = {
  string: [isString, 'a string'],
  strings: [(v) => isString(v) || isStringList(v), 'a string or an array of strings'],
  list: [isStringList, 'an array of strings'],
  count: [(v) => Number.isSafeInteger(v) && v >= 0, 'a non-negative integer'],
  boolean: [(v) => typeof v === 'boolean', 'a boolean'],
  kid: [(v) => typeof v === 'boolean' || isString(v), 'true (the key fingerprint), false (no kid) or a string'],
  duration: [(v) => Number.isSafeInteger(v) || isString(v), DURATION, durationSeconds],
  age: [(v) => (Number.isSafeInteger(v) && v >= 0) || isString(v), `a non-negative ${DURATION.slice(2)}`, ageSeconds],
  algorithm: [isString, "'HS256'", (v) => hs256Only([v], 'options.algorithm')],
  algorithms: [(v) => isStringList(v) && v.length > 0, "['HS256']", (v) => hs256Only(v, 'options.algorithms')],
}

/**
 * The options, name -> check. The core takes them as JSON with the names of
 * docs/spec.md §8 (snake_case: `expiresIn` -> `expires_in`), so a new option
 * is one line here (and its field in the core and the .d.ts). `algorithm`
 * and `algorithms` are checked and not passed on (docs/decisions.md).
 */
const SIGN_OPTIONS = {
  algorithm: 'algorithm',
  expiresIn: 'duration',
  notBefore: 'duration',
  issuer: 'string',
  audience: 'strings',
  subject: 'string',
  tokenType: 'string',
  jti: 'string',
  setIssuedAt: 'boolean',
  kid: 'kid',
}

const VERIFY_OPTIONS = {
  algorithms: 'algorithms',
  issuer: 'strings',
  audience: 'strings',
  leeway: 'count',
  required: 'list',
  tokenType: 'string',
  maxAge: 'age',
  maxTokenBytes: 'count',
}

const snakeCase = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** Checks an options object against a table; returns the core's options JSON. `undefined` counts as absent. */
function optionsJson(kind, table, given) {
  if (given === undefined || given === null) return '{}'
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
    // A conversion (durations to seconds) or, returning undefined, an option the core has no use for.
    const converted = check[2] ? check[2](value, name) : value
    if (converted !== undefined) out[snakeCase(name)] = converted
  }
  return JSON.stringify(out)
}

/** `now`: the system clock when absent, else a number of seconds (the core floors it and checks its range). */
function clock(now) {
  if (now === undefined) return Date.now() / 1000
  if (typeof now !== 'number') throw typeError('now', 'a number of seconds since the epoch', now)
  return now
}

function checkToken(token) {
  if (typeof token !== 'string') throw typeError('token', 'a string', token)
}

/**
 * A value as JSON text (reports for checkConsistency: plain data, JSON.stringify
 * semantics). Nesting so deep that it overflows the stack becomes a TypeError.
 */
function jsonText(what, value) {
  let text
  try {
    text = JSON.stringify(value)
  } catch (error) {
    if (error instanceof RangeError) {
      throw new TypeError(`${what} nest too deeply to serialise as JSON (at most ${MAX_JSON_DEPTH} levels are accepted)`)
    }
    throw error
  }
  if (text === undefined) throw typeError(what, 'JSON data', value)
  return text
}

// ---------------------------------------------------------------- claims: host values

/** Claims whose `Date` values become whole seconds (docs/bindings.md, "Host values"). */
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat'])
/** Thrown by the walk when containers nest deeper than the core accepts (a cycle does). */
const TOO_DEEP = Symbol('too deep')
/** Claims text that nests one level deeper than the core accepts: the core words that error. */
const TOO_DEEP_TEXT = `${'{"d":'.repeat(MAX_JSON_DEPTH)}{}${'}'.repeat(MAX_JSON_DEPTH)}`

/** A value with no JSON form; the path is filled in (innermost first) as the walk unwinds. */
class NoJsonForm {
  constructor(found, problem) {
    this.found = found
    this.problem = problem
    this.path = []
  }
}

const NO_FORM = 'which has no JSON form: use a string, a finite number, a boolean, null, an array or a plain object'

function unrepresentable(value, timeClaim) {
  if (typeof value === 'number') return new NoJsonForm(String(value), 'which JSON cannot represent')
  if (value instanceof Date) return new NoJsonForm('an invalid Date', 'which has no time')
  const hint = timeClaim ? ' (or a Date, for exp, nbf and iat)' : ''
  const found = value === undefined ? 'undefined (an array hole or undefined element)' : describe(value)
  return new NoJsonForm(found, NO_FORM + hint)
}

/** Sets a property without ever reaching a prototype (`"__proto__"` is a claim name like any other). */
function put(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * The value to serialise for one claims value at `depth` (the claims object is
 * depth 1): the value itself, unless a rule converts it (a Date in a time
 * claim, a Map); throws NoJsonForm or TOO_DEEP.
 */
function jsonValue(value, depth, timeClaim) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (value - value === 0) return value
      throw unrepresentable(value, timeClaim)
    case 'object': {
      if (value === null) return value
      if (Array.isArray(value)) return jsonArray(value, depth)
      const proto = Object.getPrototypeOf(value)
      if (proto === Object.prototype || proto === null) return jsonObject(value, depth)
      if (value instanceof Map) return jsonMap(value, depth)
      if (timeClaim && value instanceof Date) {
        const ms = value.getTime()
        if (ms - ms === 0) return Math.floor(ms / 1000)
      }
      throw unrepresentable(value, timeClaim)
    }
    default:
      throw unrepresentable(value, timeClaim)
  }
}

function jsonObject(object, depth) {
  if (depth > MAX_JSON_DEPTH) throw TOO_DEEP
  let out = object
  for (const key of Object.keys(object)) {
    const value = object[key]
    // The common case first, without a call: strings, booleans and finite numbers are themselves.
    const type = typeof value
    if (type === 'string' || type === 'boolean' || (type === 'number' && value - value === 0)) continue
    // JavaScript's spelling of an absent property, as JSON.stringify and jose read it.
    if (value === undefined) continue
    let converted
    try {
      converted = jsonValue(value, depth + 1, depth === 1 && type === 'object' && TIME_CLAIMS.has(key))
    } catch (failure) {
      if (failure instanceof NoJsonForm) failure.path.push(key)
      throw failure
    }
    if (converted !== value) {
      if (out === object) out = copyObject(object)
      put(out, key, converted)
    }
  }
  return out
}

function copyObject(object) {
  const out = {}
  for (const key of Object.keys(object)) if (object[key] !== undefined) put(out, key, object[key])
  return out
}

function jsonArray(array, depth) {
  if (depth > MAX_JSON_DEPTH) throw TOO_DEEP
  let out = array
  for (let index = 0; index < array.length; index += 1) {
    const value = array[index]
    let converted
    try {
      if (value === undefined) throw unrepresentable(value, false)
      converted = jsonValue(value, depth + 1, false)
    } catch (failure) {
      if (failure instanceof NoJsonForm) failure.path.push(index)
      throw failure
    }
    if (converted !== value) {
      if (out === array) out = array.slice()
      out[index] = converted
    }
  }
  return out
}

/** A Map with string keys is an object (as a Python Mapping is). */
function jsonMap(map, depth) {
  const object = {}
  for (const [key, value] of map) {
    if (typeof key !== 'string') {
      const failure = new NoJsonForm(describe(key), 'as a key: claims keys must be strings')
      throw failure
    }
    if (value !== undefined) put(object, key, value)
  }
  return jsonObject(object, depth)
}

/** `claims["meta"]["tags"][0]`, from a path innermost first. */
function pathText(path) {
  let text = ''
  for (let i = path.length - 1; i >= 0; i -= 1) {
    text += typeof path[i] === 'number' ? `[${path[i]}]` : `[${JSON.stringify(path[i])}]`
  }
  return text
}

/** The claims as JSON text for the core, or TOO_DEEP_TEXT (the core then refuses them in its words). */
function claimsText(claims) {
  let value = claims
  try {
    if (claims !== null && typeof claims === 'object') {
      const proto = Object.getPrototypeOf(claims)
      if (proto === Object.prototype || proto === null) value = jsonObject(claims, 1)
      else if (Array.isArray(claims)) value = jsonArray(claims, 1)
      else if (claims instanceof Map) value = jsonMap(claims, 1)
      else throw new NoJsonForm(describe(claims), 'claims must be a plain object (or a Map)')
    } else if (claims === undefined) {
      throw new NoJsonForm('undefined', 'claims must be a plain object (or a Map)')
    } else if (claims !== null) {
      // Not an object: the core refuses what JSON can carry, in its words.
      value = jsonValue(claims, 1, false)
    }
  } catch (failure) {
    if (failure === TOO_DEEP) return TOO_DEEP_TEXT
    if (failure instanceof NoJsonForm) throw invalidClaims(failure)
    throw failure
  }
  return JSON.stringify(value)
}

/** `invalid_claims` naming the claim and the path, as the Python binding raises it. */
function invalidClaims(failure) {
  const path = pathText(failure.path)
  const top = failure.path.length > 0 ? failure.path[failure.path.length - 1] : null
  const claim = typeof top === 'string' ? top : null
  let subject = `claims${path}`
  if (claim !== null) subject = failure.path.length === 1 ? `claim ${JSON.stringify(claim)}` : `claim ${JSON.stringify(claim)} (at claims${path})`
  const message =
    failure.path.length === 0 && failure.problem.startsWith('claims must')
      ? `${failure.problem}, found ${failure.found}`
      : `${subject} holds ${failure.found}, ${failure.problem}`
  return new JwtAccordError('invalid_claims', message, { claim, path, found: failure.found })
}

// ---------------------------------------------------------------- sizes

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

function freeze(value) {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) freeze(value[key])
    Object.freeze(value)
  }
  return value
}

function withoutNow(options) {
  if (!isObject(options) || !Object.hasOwn(options, 'now')) return options
  const { now: _, ...rest } = options
  return rest
}

/**
 * The API over one engine (the contract of docs/bindings.md). `host` adapts it:
 * - `defaultEnv()`: the variables when `resolveSecret` gets no `env` (Node:
 *   `process.env`); absent, `env` is required and `missingEnvHint` says why;
 * - `ready()`: whether the engine can be called (the web build instantiates later);
 * - `foreign(error)`: what to throw for an error not in the wire format (the
 *   WASM adapter re-instantiates the module there: a trap);
 * - `generation()`: bumped when the engine was re-instantiated, so that every
 *   live object rebuilds its engine handle from the inputs it was made from.
 */
function createApi(engine, host = {}) {
  const generation = host.generation || (() => 0)
  const foreign = host.foreign || ((error) => error)
  const ready = host.ready || (() => true)

  /** The one place an engine error becomes what callers catch. */
  function fromEngine(error) {
    const text = error !== null && typeof error === 'object' ? error.message : undefined
    if (typeof text === 'string' && text.startsWith(WIRE)) {
      const { code, message, details } = JSON.parse(text)
      if (code === 'type_error') return new TypeError(message)
      const converted = new JwtAccordError(code, message, details)
      if (Error.captureStackTrace) Error.captureStackTrace(converted, fromEngine)
      return converted
    }
    return foreign(error)
  }

  /** Runs `fn` against the engine, converting what it throws. */
  function call(fn) {
    try {
      return fn()
    } catch (error) {
      throw fromEngine(error)
    }
  }

  function checkReady() {
    if (!ready()) throw new Error('jwt-accord-wasm is not initialised: await init() first (see web.mjs)')
  }

  /** An engine object made by `build()`, rebuilt when the engine was re-instantiated since. */
  class Handle {
    #build
    #generation = -1
    #value

    constructor(build) {
      this.#build = build
      this.get()
    }

    get() {
      const current = generation()
      if (this.#generation !== current) {
        this.#value = call(this.#build)
        this.#generation = current
      }
      return this.#value
    }
  }

  // -------------------------------------------------------------- resolution

  const BUILD = Symbol('jwt-accord.Resolution')
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
      this.keys = freeze(form.keys)
      this.warnings = freeze(form.warnings)
      this.candidates = freeze(form.candidates)
      Object.freeze(this)
    }

    static {
      handleOf = (resolution) => resolution.#handle.get()
      isResolution = (value) => isInstance(value) && #handle in value
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

  /**
   * The variables the core reads, and only those, as a flat array of name/value
   * strings: `env` is read one name at a time (the engine's `variableNames`
   * says which), so no other variable crosses into the engine (docs/decisions.md).
   * A Worker's `env` is taken as it is: an object (not an array) or a function
   * under a name is a binding (a KV namespace, a service), not a variable, and
   * counts as unset, as `null` does; another non-string is a TypeError.
   */
  function variablesRead(env, environment) {
    if (!isObject(env)) {
      const hint = env === undefined && host.missingEnvHint ? host.missingEnvHint : ''
      throw new TypeError(`env must be an object of strings, found ${describe(env)}${hint}`)
    }
    const flat = []
    const read = (name) => {
      const value = env instanceof Map ? env.get(name) : Object.hasOwn(env, name) ? env[name] : undefined
      if (value === undefined || value === null || typeof value === 'function') return undefined
      if (typeof value === 'object' && !Array.isArray(value)) return undefined
      if (typeof value !== 'string') throw typeError(`env.${name}`, 'a string', value)
      flat.push(name, value)
      return value
    }
    let names = call(() => engine.variableNames(environment, undefined))
    if (names.includes('ENVIRONMENT')) {
      const value = read('ENVIRONMENT')
      names = call(() => engine.variableNames(environment, value))
    }
    for (const name of names) if (name !== 'ENVIRONMENT') read(name)
    return flat
  }

  /** Reads the store entries the core names for the selected environment, and only those. */
  function storeEntries(store, variables, environment) {
    if (store === undefined || store === null) return undefined
    let read
    if (typeof store === 'function') read = store
    else if (store instanceof Map) read = (name) => store.get(name)
    else if (isObject(store)) read = (name) => (Object.hasOwn(store, name) ? store[name] : undefined)
    else throw typeError('secretStore', 'an object or a function (name) => string | undefined', store)
    const names = call(() => engine.storeEntryNames(variables, environment))
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

  /**
   * The files the engine will read (its `filePaths`), read up front with the
   * caller's `readFile(path)`: as the engines take them, flat `[path, "content",
   * hex, path, "failed", reason, ...]` (docs/bindings.md, "The engine contract").
   * A string is its UTF-8 bytes; `undefined`, `null` or a thrown error with code
   * `ENOENT` is a missing file; any other error is a failed read, its message the reason.
   */
  function readFiles(readFile, paths) {
    const flat = []
    for (const path of new Set(paths)) {
      let content
      try {
        content = readFile(path)
      } catch (error) {
        if (error !== null && typeof error === 'object' && error.code === 'ENOENT') continue
        const reason = error instanceof Error ? error.message || error.name : String(error)
        flat.push(path, 'failed', reason)
        continue
      }
      if (content === undefined || content === null) continue
      let bytes
      if (typeof content === 'string') bytes = new TextEncoder().encode(content)
      else if (content instanceof Uint8Array) bytes = content
      else {
        const hint =
          typeof content.then === 'function' ? ': resolveSecret is synchronous, so pass a synchronous readFile' : ''
        throw new TypeError(`readFile(${JSON.stringify(path)}) must return a string or a Uint8Array, found ${describe(content)}${hint}`)
      }
      let hex = ''
      for (const byte of bytes) hex += HEX[byte]
      if (bytes !== content) bytes.fill(0)
      flat.push(path, 'content', hex)
    }
    return flat
  }

  const RESOLVE_OPTIONS = ['env', 'environment', 'secretStore', 'secretDirectory', 'readFile']

  /**
   * Resolves the JWT secret (docs/spec.md §3, §14, §15): `env` (Node's default:
   * `process.env`), an optional explicit `environment`, an optional
   * `secretStore` (an object, or a function called only for the store-entry
   * names of the selected environment) or `secretDirectory` (a directory store;
   * with neither, `CREDENTIALS_DIRECTORY` applies), and `readFile(path)` for
   * `_FILE` variables and directory stores (Node reads files itself without
   * one; WebAssembly reads none).
   */
  function resolveSecret(options) {
    checkReady()
    const given = options === undefined ? {} : options
    if (!isObject(given)) throw typeError('resolveSecret options', `an object { ${RESOLVE_OPTIONS.join(', ')} }`, options)
    for (const name of Object.keys(given)) {
      if (!RESOLVE_OPTIONS.includes(name)) {
        throw new TypeError(`unknown resolveSecret option ${JSON.stringify(name)}: expected ${RESOLVE_OPTIONS.join(', ')}`)
      }
    }
    const environment = given.environment === null ? undefined : given.environment
    if (environment !== undefined && typeof environment !== 'string') {
      throw typeError('environment', 'a string', environment)
    }
    const directory = given.secretDirectory === null ? undefined : given.secretDirectory
    if (directory !== undefined && typeof directory !== 'string') {
      throw typeError('secretDirectory', 'a string (a folder path)', directory)
    }
    if (directory !== undefined && given.secretStore !== undefined && given.secretStore !== null) {
      throw new TypeError('pass secretStore or secretDirectory, not both')
    }
    const readFile = given.readFile === null ? undefined : given.readFile
    if (readFile !== undefined && typeof readFile !== 'function') {
      throw typeError('readFile', 'a function (path) => string | Uint8Array', readFile)
    }
    const env = given.env === undefined && host.defaultEnv ? host.defaultEnv() : given.env
    const variables = variablesRead(env, environment)
    const store = storeEntries(given.secretStore, variables, environment)
    const files =
      readFile === undefined
        ? undefined
        : readFiles(readFile, call(() => engine.filePaths(variables, store, directory, environment)))
    // Deterministic, so a re-instantiated engine gets the same resolution back.
    const copy = (flat) => flat && flat.slice()
    return new Resolution(
      BUILD,
      new Handle(() => engine.resolve(variables.slice(), copy(store), directory, environment, copy(files))),
    )
  }

  // -------------------------------------------------------------- tokens

  const KEY_TYPES = 'a string, a Uint8Array, a Resolution or an array of these'
  /** A Signer's or Verifier's engine object, for a Service to watch (`undefined`: not one). */
  let signerHandleOf
  let verifierHandleOf

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

  /** Builds an engine object from a key list (freed afterwards); runs inside `call`. */
  function withKeyList(items, build) {
    const list = new engine.KeyList()
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
      const text = optionsJson('sign', SIGN_OPTIONS, options)
      this.#handle = new Handle(() => withKeyList(items, (list) => new engine.Signer(list, text)))
    }

    static {
      signerHandleOf = (value) => (isInstance(value) && #handle in value ? value.#handle.get() : undefined)
    }

    /** Signs a claims object at `now` (seconds since the epoch; default: the clock). */
    sign(claims, now) {
      const text = claimsText(claims)
      const seconds = clock(now)
      const handle = this.#handle.get()
      try {
        return handle.sign(text, seconds)
      } catch (error) {
        throw fromEngine(error)
      }
    }

    /** The signing key's fingerprint: 16 lower-case hex characters (the default `kid`). */
    get fingerprint() {
      return this.#handle.get().fingerprint
    }
  }

  /**
   * The core checks a token's size before decoding anything (docs/spec.md §8.2, step 1),
   * but crossing into the engine would copy the whole string first (into
   * WebAssembly linear memory, which never shrinks). A string longer than the
   * limit in UTF-16 units is longer still in UTF-8 bytes, so it is refused
   * here, with the core's own error, and never copied.
   */
  function refuseOversized(token, max) {
    if (token.length <= max) return
    call(() => engine.checkTokenSize(utf8Length(token), max))
  }

  /** A reusable verifier: the key or keyring and options are taken once. */
  class Verifier {
    #handle
    #maxTokenBytes

    constructor(keyOrKeys, options) {
      checkReady()
      const items = keys(keyOrKeys)
      const text = optionsJson('verify', VERIFY_OPTIONS, options)
      this.#handle = new Handle(() => withKeyList(items, (list) => new engine.Verifier(list, text)))
      this.#maxTokenBytes = this.#handle.get().maxTokenBytes
    }

    static {
      verifierHandleOf = (value) => (isInstance(value) && #handle in value ? value.#handle.get() : undefined)
    }

    /** Verifies `token` at `now` and returns its claims. */
    verify(token, now) {
      return JSON.parse(this.#engineVerify('verify', token, now))
    }

    /** The engine's `method` (verify or verifyFull) on `token` at `now`: its JSON text. */
    #engineVerify(method, token, now) {
      checkToken(token)
      refuseOversized(token, this.#maxTokenBytes)
      const seconds = clock(now)
      const handle = this.#handle.get()
      try {
        return handle[method](token, seconds)
      } catch (error) {
        throw fromEngine(error)
      }
    }

    /** Verifies `token` at `now` and returns `{ claims, header, keyFingerprint }`. */
    verifyFull(token, now) {
      const full = JSON.parse(this.#engineVerify('verifyFull', token, now))
      return { claims: full.claims, header: full.header, keyFingerprint: full.key_fingerprint, keySlot: full.key_slot }
    }

    /** The held keys' fingerprints, current first (a new array each time). */
    get fingerprints() {
      return this.#handle.get().fingerprints
    }
  }

  // -------------------------------------------------------------- publishing (docs/spec.md §16)

  const SERVICE_OPTIONS = ['role', 'verifiers', 'signers']

  /** The Verifiers or Signers of a Service option, as their engine objects' getters. */
  function watched(given, name, kind, engineObjectOf) {
    if (given === undefined || given === null) return []
    if (!Array.isArray(given)) throw typeError(`options.${name}`, `an array of ${kind} objects`, given)
    return given.map((item, index) => {
      if (engineObjectOf(item) === undefined) throw typeError(`options.${name}[${index}]`, `a ${kind}`, item)
      return () => engineObjectOf(item)
    })
  }

  /** prom-client's label object for one sample: absent labels left out, as the core writes them. */
  function sampleLabels(names, values) {
    const labels = {}
    values.forEach((value, index) => put(labels, names[index], value))
    return labels
  }

  /**
   * A running service as it publishes itself (docs/spec.md §16): its report,
   * served at `REPORT_PATH` for `checkConsistency`, and its Prometheus metrics,
   * which count what the watched verifiers and signers do. Neither ever holds a
   * secret: fingerprints only.
   */
  class Service {
    #handle
    #fingerprint

    constructor(name, resolution, options) {
      checkReady()
      if (!isString(name)) throw typeError('name', 'a string', name)
      if (!isResolution(resolution)) throw typeError('resolution', 'a Resolution (from resolveSecret)', resolution)
      const given = options === undefined || options === null ? {} : options
      if (!isObject(given)) throw typeError('Service options', `an object { ${SERVICE_OPTIONS.join(', ')} }`, options)
      for (const option of Object.keys(given)) {
        if (!SERVICE_OPTIONS.includes(option)) {
          throw new TypeError(`unknown Service option ${JSON.stringify(option)}: expected ${SERVICE_OPTIONS.join(', ')}`)
        }
      }
      const role = given.role === null ? undefined : given.role
      if (role !== undefined && !isString(role)) {
        throw typeError('options.role', "'issuer', 'verifier', or absent (both)", role)
      }
      const verifiers = watched(given.verifiers, 'verifiers', 'Verifier', verifierHandleOf)
      const signers = watched(given.signers, 'signers', 'Signer', signerHandleOf)
      // Rebuilt after a re-instantiation from the same resolution and the
      // watched objects' new engine objects (whose counts start again at 0).
      this.#handle = new Handle(() => {
        const service = new engine.Service(name, role, handleOf(resolution))
        for (const verifier of verifiers) service.watchVerifier(verifier())
        for (const signer of signers) service.watchSigner(signer())
        return service
      })
      this.#fingerprint = resolution.fingerprint
      this.name = name
      this.role = role === undefined ? null : role
      Object.freeze(this)
    }

    /** The published report as compact JSON text, identical from every build: serve it at `REPORT_PATH`. */
    reportJson() {
      const handle = this.#handle.get()
      return call(() => handle.reportJson())
    }

    /** The published report: a resolution's JSON form plus `service` and, when declared, `role`. */
    report() {
      return JSON.parse(this.reportJson())
    }

    /** The Prometheus text exposition (format 0.0.4), identical from every build. */
    metrics() {
      const handle = this.#handle.get()
      return call(() => handle.metricsText())
    }

    /** The metric families (`{name, help, type, labels, samples}`), read at each scrape. */
    #families() {
      const handle = this.#handle.get()
      return JSON.parse(call(() => handle.metricFamiliesJson()))
    }

    /**
     * Registers this service's metrics with prom-client: `client` is the
     * prom-client module (this package does not depend on it), `registry` one
     * of its Registry objects (default: `client.register`, the global one).
     * Each family becomes a Gauge or Counter whose series are read from the
     * service at every scrape (`collect`), so `await registry.metrics()` shows
     * what `metrics()` shows.
     */
    register(client, registry) {
      const prom = isInstance(client) || typeof client === 'function' ? client : undefined
      if (prom === undefined || typeof prom.Gauge !== 'function' || typeof prom.Counter !== 'function') {
        throw typeError('client', "the prom-client module (require('prom-client'))", client)
      }
      const target = registry === undefined ? prom.register : registry
      if (!isInstance(target) || typeof target.registerMetric !== 'function') {
        throw typeError('registry', 'a prom-client Registry', target)
      }
      const families = () => this.#families()
      for (const family of families()) {
        const Metric = family.type === 'counter' ? prom.Counter : prom.Gauge
        new Metric({
          name: family.name,
          help: family.help,
          labelNames: family.labels,
          registers: [target],
          collect() {
            const current = families().find((f) => f.name === family.name)
            this.reset()
            for (const [values, value] of current.samples) this.inc(sampleLabels(current.labels, values), value)
          },
        })
      }
    }

    /** The report: `JSON.stringify(service)` is `reportJson()`. */
    toJSON() {
      return this.report()
    }

    toString() {
      return `Service <name=${JSON.stringify(this.name)} role=${this.role || 'both'} fingerprint=sha256:${this.#fingerprint}>`
    }

    [Symbol.for('nodejs.util.inspect.custom')]() {
      return this.toString()
    }
  }

  // -------------------------------------------------------------- HTTP and WebSocket (docs/spec.md §17)

  /**
   * A header's values as the engines take them, one per header line: absent
   * (`undefined`, `null`: Fetch's `headers.get`) is none, a string is one
   * (Node's `req.headers`), an array is each (Node's `req.headersDistinct`).
   */
  function headerValues(what, given) {
    if (given === undefined || given === null) return []
    if (isString(given)) return [given]
    if (!Array.isArray(given)) throw typeError(what, 'a string, an array of strings, undefined or null', given)
    given.forEach((value, index) => {
      if (!isString(value)) throw typeError(`${what}[${index}]`, 'a string', value)
    })
    return given.slice()
  }

  /**
   * The bearer token of a request's `Authorization` header: `missing_token`
   * when there is none, `invalid_request` when it is malformed (another
   * scheme, two tokens, characters a token cannot hold).
   */
  function bearerToken(authorization) {
    checkReady()
    const values = headerValues('authorization', authorization)
    return call(() => engine.bearerToken(values))
  }

  /**
   * The token of a WebSocket handshake's `Sec-WebSocket-Protocol` header
   * (`WEBSOCKET_SUBPROTOCOL`, then the token): `missing_token` when the
   * subprotocol is not offered, `invalid_request` when it is malformed.
   */
  function websocketToken(protocols) {
    checkReady()
    const values = headerValues('protocols', protocols)
    return call(() => engine.websocketToken(values))
  }

  /** The cookie `name` of a request's `Cookie` header: the token, or `null`; `invalid_request` when it is not a token. */
  function cookieToken(cookies, name) {
    checkReady()
    const values = headerValues('cookies', cookies)
    if (!isString(name)) throw typeError('name', 'a string (the cookie name)', name)
    return call(() => engine.cookieToken(values, name))
  }

  const CHALLENGE_OPTIONS = ['environment', 'exposeMessages']

  /**
   * How a service answers refused requests (docs/spec.md §17): the status,
   * `WWW-Authenticate` header, JSON body and WebSocket close of every
   * refusal. Messages go into bodies in `development` and `test` only, unless
   * `exposeMessages` says otherwise.
   */
  class Challenge {
    #handle

    constructor(realm, options) {
      checkReady()
      if (!isString(realm)) throw typeError('realm', 'a string', realm)
      if (!isObject(options)) throw typeError('Challenge options', `an object { ${CHALLENGE_OPTIONS.join(', ')} }`, options)
      for (const option of Object.keys(options)) {
        if (!CHALLENGE_OPTIONS.includes(option)) {
          throw new TypeError(`unknown Challenge option ${JSON.stringify(option)}: expected ${CHALLENGE_OPTIONS.join(', ')}`)
        }
      }
      const { environment } = options
      if (!isString(environment)) {
        throw typeError('options.environment', "the environment's name (e.g. resolution.environment)", environment)
      }
      const expose = options.exposeMessages === undefined ? null : options.exposeMessages
      if (expose !== null && typeof expose !== 'boolean') {
        throw typeError('options.exposeMessages', 'a boolean, or absent (by environment)', expose)
      }
      this.#handle = new Handle(() => new engine.Challenge(realm, expose, environment))
      this.realm = realm
      Object.freeze(this)
    }

    /**
     * The answer to `error` (a JwtAccordError, or any error with a string
     * `.code` and `.message`): `{ status, wwwAuthenticate, body, closeCode,
     * closeReason }`; an unknown code is a 500 with no header.
     */
    refusal(error) {
      if (!isInstance(error) || !isString(error.code) || !isString(error.message)) {
        throw typeError('error', 'a JwtAccordError (an error with a string code and message)', error)
      }
      const handle = this.#handle.get()
      const r = JSON.parse(call(() => handle.refusalJson(error.code, error.message)))
      return {
        status: r.status,
        wwwAuthenticate: r.www_authenticate,
        body: r.body,
        closeCode: r.close_code,
        closeReason: r.close_reason,
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

  /** The header and claims of a well-formed token, checking nothing else: never for access decisions. */
  function decodeUnverified(token) {
    checkReady()
    checkToken(token)
    refuseOversized(token, CONSTANTS.default_max_token_bytes)
    return JSON.parse(call(() => engine.decodeUnverified(token)))
  }

  /** The fingerprint of a secret (text: its UTF-8 bytes): 16 lower-case hex characters. */
  function fingerprint(secret) {
    checkReady()
    if (secret instanceof Uint8Array) return call(() => engine.fingerprintBytes(secret))
    if (typeof secret !== 'string') throw typeError('secret', 'a string or a Uint8Array', secret)
    // Text is its UTF-8 bytes (one engine export for both): this copy is wiped after the call.
    const bytes = new TextEncoder().encode(secret)
    try {
      return call(() => engine.fingerprintBytes(bytes))
    } finally {
      bytes.fill(0)
    }
  }

  /** Compares several services' reports (a resolution's JSON form plus `service` and `role`). */
  function checkConsistency(reports) {
    checkReady()
    if (!Array.isArray(reports)) throw typeError('reports', 'an array of report objects', reports)
    const text = jsonText('reports', reports)
    return JSON.parse(call(() => engine.checkConsistency(text)))
  }

  return {
    Challenge,
    JwtAccordError,
    Resolution,
    Service,
    Signer,
    Verifier,
    bearerToken,
    checkConsistency,
    cookieToken,
    decodeUnverified,
    fingerprint,
    resolveSecret,
    sign,
    verify,
    websocketToken,
    MAX_JSON_DEPTH,
    MAX_KEYS: CONSTANTS.max_keys,
    DEFAULT_MAX_TOKEN_BYTES: CONSTANTS.default_max_token_bytes,
    ERROR_CODES: Object.freeze(CONSTANTS.error_codes.slice()),
    WARNING_CODES: Object.freeze(CONSTANTS.warning_codes.slice()),
    REPORT_PATH: CONSTANTS.report_path,
    WEBSOCKET_SUBPROTOCOL: CONSTANTS.websocket_subprotocol,
    WEBSOCKET_CLOSE_CODE: CONSTANTS.websocket_close_code,
  }
}

export { createApi, JwtAccordError }
