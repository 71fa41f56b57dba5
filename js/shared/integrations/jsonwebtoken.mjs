// jwt-accord as the npm `jsonwebtoken` (`jwt-accord/jsonwebtoken`): the HS256
// part of its API (sign, verify, decode, its error classes, the callback forms)
// over jwt-accord's Signer and Verifier, so that migrating is one import line
// (docs/coming-from/jsonwebtoken.md). Thin: options are translated, the core
// does every check it has; the shim itself compares only `sub`, `jti` and
// `nonce` (jsonwebtoken's options with no core counterpart) after the core
// verified the token. Messages are jsonwebtoken's, so code that compares them
// keeps working; `.code` and `.details` are jwt-accord's, and `.inner` holds
// the JwtAccordError with the core's message (the diagnosis: which key, how
// long ago). Any algorithm but HS256 is refused (`unsupported_algorithm`).
import { JwtAccordError, Signer, Verifier, decodeUnverified } from 'jwt-accord'

/** jsonwebtoken's base error: `name`, `message`, and `inner` (the cause); plus jwt-accord's `code` and `details`. */
class JsonWebTokenError extends Error {
  constructor(message, error) {
    super(message)
    this.name = 'JsonWebTokenError'
    if (error) this.inner = error
    this.code = error instanceof JwtAccordError ? error.code : undefined
    this.details = error instanceof JwtAccordError ? error.details : {}
  }
}

/** An expired token (`exp`, or `maxAge` since `iat`): `expiredAt` is when. */
class TokenExpiredError extends JsonWebTokenError {
  constructor(message, expiredAt, error) {
    super(message, error)
    this.name = 'TokenExpiredError'
    this.expiredAt = expiredAt
  }
}

/** A token used before its `nbf` (or, jwt-accord only, with an `iat` in the future): `date` is when it becomes valid. */
class NotBeforeError extends JsonWebTokenError {
  constructor(message, date, error) {
    super(message, error)
    this.name = 'NotBeforeError'
    this.date = date
  }
}

/** An error of the shim's own (a check of sub, jti, nonce; a missing argument) with jwt-accord's code. */
function refusal(code, message, details = {}) {
  return new JsonWebTokenError(message, new JwtAccordError(code, message, details))
}

const dateOf = (seconds) => new Date(seconds * 1000)

/** A jwt-accord error as jsonwebtoken words it; other errors (TypeError: a wrong argument) unchanged. */
function translated(error) {
  if (!(error instanceof JwtAccordError)) return error
  const d = error.details
  switch (error.code) {
    case 'expired':
      if (d.claim === 'iat') return new TokenExpiredError('maxAge exceeded', dateOf(d.iat + d.max_age), error)
      return new TokenExpiredError('jwt expired', dateOf(d.exp), error)
    case 'not_yet_valid':
      return new NotBeforeError('jwt not active', dateOf(d.claim === 'iat' ? d.iat : d.nbf), error)
    case 'malformed':
      return new JsonWebTokenError('jwt malformed', error)
    case 'unsupported_algorithm':
      return new JsonWebTokenError('invalid algorithm', error)
    case 'invalid_signature':
    case 'unknown_key':
      return new JsonWebTokenError('invalid signature', error)
    case 'invalid_claim_type':
      return new JsonWebTokenError(`invalid ${d.claim} value`, error)
    case 'invalid_audience':
      return new JsonWebTokenError(`jwt audience invalid. expected: ${[].concat(d.expected ?? []).join(' or ')}`, error)
    case 'invalid_issuer':
      return new JsonWebTokenError(`jwt issuer invalid. expected: ${d.expected}`, error)
    default:
      return new JsonWebTokenError(error.message, error)
  }
}

/** `secretOrPrivateKey` / `secretOrPublicKey`: a string, a Buffer (any Uint8Array), or a KeyObject of type `secret`. */
function secretBytes(secret, what) {
  if (typeof secret === 'string' || secret instanceof Uint8Array) {
    if (secret.length === 0) throw refusal('invalid_key', `${what} must have a value`, { reason: 'empty' })
    return secret
  }
  // A node:crypto KeyObject, recognised by its shape so that no build imports node:crypto.
  if (secret !== null && typeof secret === 'object' && typeof secret.export === 'function' && typeof secret.type === 'string') {
    if (secret.type !== 'secret') throw refusal('invalid_key', `${what} must be a symmetric key when using HS256`, { reason: 'public_key' })
    return new Uint8Array(secret.export())
  }
  if (!secret) throw refusal('invalid_key', `${what} must have a value`, { reason: 'empty' })
  throw new TypeError(`${what} must be a string, a Buffer or a secret KeyObject`)
}

/** Whole seconds for the core, as jsonwebtoken floors `iat + expiresIn`; a duration string is the core's to parse. */
const seconds = (value) => (typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : value)

/** Options jsonwebtoken's `sign` knows, and what each becomes: a Signer option, or `null` (handled here). */
const SIGN_OPTIONS = {
  algorithm: 'algorithm',
  expiresIn: 'expiresIn',
  notBefore: 'notBefore',
  audience: 'audience',
  issuer: 'issuer',
  subject: 'subject',
  jwtid: 'jti',
  keyid: 'kid',
  noTimestamp: null,
  header: null,
  encoding: null,
  mutatePayload: null,
  allowInsecureKeySizes: null,
  allowInvalidAsymmetricKeyTypes: null,
}
/** The header parameters a token of jwt-accord can carry. */
const HEADER = { alg: 'HS256', typ: 'JWT' }

function signerOptions(options) {
  const out = {}
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue
    if (!Object.hasOwn(SIGN_OPTIONS, name)) throw new TypeError(`"${name}" is not allowed in "options"`)
    if (SIGN_OPTIONS[name]) out[SIGN_OPTIONS[name]] = name === 'expiresIn' || name === 'notBefore' ? seconds(value) : value
  }
  if (options.noTimestamp) out.setIssuedAt = false
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (name === 'kid' && out.kid === undefined) out.kid = value
    else if (name === 'alg') out.algorithm = value
    else if (HEADER[name] !== value) {
      throw new TypeError(`options.header.${name} is not supported: jwt-accord writes the header {"typ":"JWT","alg":"HS256","kid":...}`)
    }
  }
  if (options.encoding !== undefined && !/^utf-?8$/i.test(options.encoding)) {
    throw new TypeError(`options.encoding ${JSON.stringify(options.encoding)} is not supported: secrets are text (UTF-8) or bytes`)
  }
  return out
}

/** The token, or throws: `sign` without its callback. */
function signNow(payload, secret, options) {
  if (payload === undefined) throw refusal('invalid_claims', 'payload is required')
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || payload instanceof Uint8Array) {
    throw refusal('invalid_claims', 'payload must be a plain object: jwt-accord signs JSON claims only')
  }
  const key = secretBytes(secret, 'secretOrPrivateKey')
  if (options === null || typeof options !== 'object') throw new TypeError('Expected "options" to be a plain object.')
  const signerOpts = signerOptions(options)
  // jsonwebtoken counts expiresIn and notBefore from the payload's iat when it has one.
  const now = typeof payload.iat === 'number' && payload.iat ? payload.iat : undefined
  let claims = payload
  if (options.noTimestamp && payload.iat !== undefined) {
    const { iat: _, ...rest } = payload
    claims = rest
  }
  let token
  try {
    token = new Signer(key, signerOpts).sign(claims, now)
  } catch (error) {
    throw translated(error)
  }
  if (options.mutatePayload) Object.assign(payload, decodeUnverified(token).claims)
  return token
}

/**
 * `sign(payload, secretOrPrivateKey, [options, callback])`: the token; with a
 * callback, `callback(null, token)` on a later microtask (`callback(error)` at
 * once), as jsonwebtoken does.
 */
function sign(payload, secretOrPrivateKey, options, callback) {
  if (typeof options === 'function' && callback === undefined) {
    callback = options
    options = {}
  }
  options = options ?? {}
  if (typeof callback !== 'function') return signNow(payload, secretOrPrivateKey, options)
  let token
  try {
    token = signNow(payload, secretOrPrivateKey, options)
  } catch (error) {
    callback(error)
    return undefined
  }
  queueMicrotask(() => callback(null, token))
  return undefined
}

/** Options jsonwebtoken's `sign` takes: `verify` ignores them, as jsonwebtoken does (one options object often serves both). */
const SIGN_ONLY = ['expiresIn', 'notBefore', 'keyid', 'noTimestamp', 'header', 'encoding', 'mutatePayload', 'allowInsecureKeySizes']
const VERIFY_OPTIONS = [
  'algorithms', 'algorithm', 'audience', 'issuer', 'subject', 'jwtid', 'nonce', 'clockTolerance', 'clockTimestamp',
  'maxAge', 'ignoreExpiration', 'ignoreNotBefore', 'complete', 'allowInvalidAsymmetricKeyTypes',
]

/** jsonwebtoken's verify options as the Verifier's, and the clock. */
function verifierOptions(options) {
  for (const name of Object.keys(options)) {
    if (options[name] !== undefined && !VERIFY_OPTIONS.includes(name) && !SIGN_ONLY.includes(name)) {
      throw new TypeError(`unknown verify option ${JSON.stringify(name)}: expected one of ${VERIFY_OPTIONS.join(', ')}`)
    }
  }
  const { algorithms, algorithm, audience, issuer, clockTolerance, clockTimestamp, maxAge, ignoreNotBefore } = options
  if (ignoreNotBefore) {
    throw new TypeError('options.ignoreNotBefore is not supported: jwt-accord always checks nbf; use clockTolerance (seconds) for clock skew')
  }
  if ([].concat(audience ?? []).some((a) => a instanceof RegExp)) {
    throw new TypeError('options.audience as a RegExp is not supported: list the accepted audiences as strings')
  }
  if (clockTimestamp && typeof clockTimestamp !== 'number') throw refusal('invalid_request', 'clockTimestamp must be a number')
  const out = {
    algorithms: algorithm === undefined ? algorithms : [].concat(algorithms ?? [], algorithm),
    audience: audience || undefined,
    issuer: issuer || undefined,
    leeway: clockTolerance === undefined ? undefined : seconds(clockTolerance),
    maxAge: maxAge ? seconds(maxAge) : undefined,
  }
  return { verifierOpts: out, now: clockTimestamp || undefined }
}

/** The claims jsonwebtoken compares and the core does not: `sub`, `jti`, `nonce` (after the core verified the token). */
function checkClaims(claims, options) {
  const pairs = [['subject', 'sub'], ['jwtid', 'jti'], ['nonce', 'nonce']]
  for (const [option, claim] of pairs) {
    if (options[option] && claims[claim] !== options[option]) {
      const message = `jwt ${option} invalid. expected: ${options[option]}`
      throw refusal('invalid_claims', message, { claim, expected: options[option], found: claims[claim] ?? null })
    }
  }
}

/** The verified token, or throws: `verify` with a key in hand. */
function verifyNow(token, secret, options) {
  if (!token) throw refusal('missing_token', 'jwt must be provided')
  if (typeof token !== 'string') throw refusal('malformed', 'jwt must be a string')
  const key = secretBytes(secret, 'secret or public key')
  const { verifierOpts, now } = verifierOptions(options)
  let full
  try {
    const verifier = new Verifier(key, verifierOpts)
    try {
      full = verifier.verifyFull(token, now)
    } catch (error) {
      // ignoreExpiration: verified again at the last second `exp` allowed; maxAge is still checked at `now`.
      if (!options.ignoreExpiration || !(error instanceof JwtAccordError) || error.code !== 'expired' || error.details.claim !== 'exp') throw error
      full = verifier.verifyFull(token, Math.ceil(error.details.exp + error.details.leeway) - 1)
      if (verifierOpts.maxAge !== undefined) checkAge(full.claims, verifierOpts, error.details.now)
    }
  } catch (error) {
    throw translated(error)
  }
  checkClaims(full.claims, options)
  if (options.complete) return { header: full.header, payload: full.claims, signature: token.slice(token.lastIndexOf('.') + 1) }
  return full.claims
}

/** maxAge at the real clock, when ignoreExpiration moved the core's (its rule: `now - iat <= maxAge + leeway`). */
function checkAge(claims, opts, now) {
  const leeway = opts.leeway ?? 0
  if (now - claims.iat > opts.maxAge + leeway) {
    const details = { claim: 'iat', iat: claims.iat, max_age: opts.maxAge, leeway, now, age: now - claims.iat }
    throw new JwtAccordError('expired', `token is older than maxAge (${opts.maxAge}s)`, details)
  }
}

/**
 * `verify(token, secretOrPublicKey, [options, callback])`: the payload (or
 * `{ header, payload, signature }` with `complete`); with a callback,
 * `callback(error, payload)` at once. `secretOrPublicKey` may be a function
 * `(header, done)` that finds the key, with the callback form only.
 */
function verify(token, secretOrPublicKey, options, callback) {
  if (typeof options === 'function' && callback === undefined) {
    callback = options
    options = {}
  }
  options = options ?? {}
  if (typeof secretOrPublicKey === 'function') {
    if (typeof callback !== 'function') {
      throw refusal('invalid_request', 'verify must be called asynchronous if secret or public key is provided as a callback')
    }
    let header
    try {
      header = decode(token, { complete: true })?.header
      if (!header) throw refusal('malformed', 'jwt malformed')
    } catch (error) {
      return callback(error)
    }
    return secretOrPublicKey(header, (error, secret) => {
      if (error) return callback(refusal('invalid_key', `error in secret or public key callback: ${error.message}`))
      return verify(token, secret, options, callback)
    })
  }
  if (typeof callback !== 'function') return verifyNow(token, secretOrPublicKey, options)
  let result
  try {
    result = verifyNow(token, secretOrPublicKey, options)
  } catch (error) {
    return callback(error)
  }
  return callback(null, result)
}

/**
 * `decode(token, [options])`: the payload, checking nothing (not the
 * signature, not the expiry); `{ header, payload, signature }` with
 * `complete: true`; `null` for anything that is not a well-formed token.
 */
function decode(token, options) {
  let decoded
  try {
    decoded = decodeUnverified(token)
  } catch (error) {
    if (error instanceof JwtAccordError || error instanceof TypeError) return null
    throw error
  }
  if (options && options.complete === true) {
    return { header: decoded.header, payload: decoded.claims, signature: token.slice(token.lastIndexOf('.') + 1) }
  }
  return decoded.claims
}

export { JsonWebTokenError, NotBeforeError, TokenExpiredError, decode, sign, verify }
