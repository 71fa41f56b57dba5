// What the framework integrations share (docs/spec.md §17): find a request's
// token where the core says, verify it, and turn a refusal into the core's
// (status, WWW-Authenticate, body, close code, reason). No framework here:
// express.mjs, ws.mjs and hono.mjs connect this to theirs. js/scripts/build-api.mjs
// copies these files into each package (CommonJS for jwt-accord, ES modules for
// jwt-accord-wasm), importing the package's own API.
import { Challenge, JwtAccordError, bearerToken, cookieToken, websocketToken } from 'jwt-accord'

/** The system clock, in seconds since the epoch (what `Verifier` uses when given no `now`). */
const systemClock = () => Date.now() / 1000

const OPTIONS = ['verifier', 'realm', 'environment', 'cookie', 'exposeMessages', 'clock']

/**
 * The authentication of one integration: `options.verifier` (its issuer,
 * audience and token type are the checks), the challenge (`realm`,
 * `environment`, `exposeMessages`), an optional `cookie` name and a `clock`
 * (seconds since the epoch; default the system clock). A refused realm or
 * environment throws here, when the integration is set up.
 */
function authenticator(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object { verifier, realm, environment, ... }')
  for (const option of Object.keys(options)) {
    if (!OPTIONS.includes(option)) throw new TypeError(`unknown option ${JSON.stringify(option)}: expected ${OPTIONS.join(', ')}`)
  }
  const { verifier, realm, environment, cookie, exposeMessages, clock = systemClock } = options
  if (verifier === null || typeof verifier !== 'object' || typeof verifier.verifyFull !== 'function') {
    throw new TypeError('options.verifier must be a Verifier')
  }
  if (cookie !== undefined && cookie !== null && typeof cookie !== 'string') throw new TypeError('options.cookie must be a cookie name (a string)')
  if (typeof clock !== 'function') throw new TypeError('options.clock must be a function returning seconds since the epoch')
  const challenge = new Challenge(realm, { environment, exposeMessages })

  /** `{ auth }` for `token`, or `{ refusal, error }`: an error the core did not raise is thrown on. */
  function verify(find) {
    let token
    try {
      token = find()
      const { claims, header, keySlot } = verifier.verifyFull(token, Math.floor(clock()))
      return { auth: { claims, header, keySlot }, token }
    } catch (error) {
      if (!(error instanceof JwtAccordError)) throw error
      return { refusal: challenge.refusal(error), error, token }
    }
  }

  return {
    challenge,
    verifier,
    clock,
    /**
     * An HTTP request's token: the `Authorization` header's values, then (only
     * when there is none and a cookie is named) that cookie. Header values as
     * Node gives them (`req.headersDistinct`) or Fetch does (`headers.get`).
     */
    http(authorization, cookies) {
      return verify(() => {
        try {
          return bearerToken(authorization)
        } catch (error) {
          if (!cookie || !(error instanceof JwtAccordError) || error.code !== 'missing_token') throw error
          const found = cookieToken(cookies, cookie)
          if (found === null) throw error
          return found
        }
      })
    },
    /** A WebSocket handshake's token: the `Sec-WebSocket-Protocol` values only. */
    websocket(protocols) {
      return verify(() => websocketToken(protocols))
    },
    /** Verifies `token` again at the clock's time (a WebSocket's token while it is open). */
    again(token) {
      return verify(() => token)
    },
  }
}

/** The headers of a refusal: exactly these, with the core's body. */
function refusalHeaders(refusal) {
  const headers = { 'content-type': 'application/json' }
  if (refusal.wwwAuthenticate !== null) headers['www-authenticate'] = refusal.wwwAuthenticate
  return headers
}

/** Where the metrics are served, and their content type (Prometheus text format 0.0.4). */
const METRICS_PATH = '/metrics'
const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
/** The published report's headers. */
const REPORT_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' }

export { METRICS_CONTENT_TYPE, METRICS_PATH, REPORT_HEADERS, authenticator, refusalHeaders }
