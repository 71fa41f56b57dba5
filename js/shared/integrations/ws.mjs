// jwt-accord for `node:http` + `ws` (`jwt-accord/ws`): WebSocket handshakes
// carry the token in `Sec-WebSocket-Protocol` as `jwt-accord.bearer, <token>`
// (browsers cannot set an Authorization header on a WebSocket). A verified
// handshake is accepted with the subprotocol `jwt-accord.bearer` and closed
// with 4401 `expired` when its token stops verifying; a refused one is
// accepted and closed at once with 4401 and the error code, so the browser
// sees why (docs/spec.md §17). `ws` itself is not imported: pass your
// WebSocketServer.
import { WEBSOCKET_SUBPROTOCOL } from 'jwt-accord'

import { authenticator } from './authenticate.mjs'

/** setTimeout's longest delay (about 24.8 days); a later expiry is checked again then. */
const LONGEST_DELAY_MS = 2 ** 31 - 1
/** How soon a token that still verifies at its `exp` (the verifier's leeway) is checked again. */
const RECHECK_MS = 1000

/** RFC 7230 `token` characters: what `ws` accepts in a subprotocol. */
const SUBPROTOCOL = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Whether `ws` can parse this `Sec-WebSocket-Protocol` value (it answers a bare 400 otherwise). */
function wsAccepts(value) {
  if (value === undefined) return true
  const list = value.split(',').map((entry) => entry.replace(/^[ \t]+|[ \t]+$/g, ''))
  return list.every((entry) => SUBPROTOCOL.test(entry)) && new Set(list).size === list.length
}

/** `req` as `ws` should see it: without a subprotocol list it would refuse (the core has judged it already). */
function forWs(req) {
  if (wsAccepts(req.headers['sec-websocket-protocol'])) return req
  return Object.create(req, { headers: { value: { ...req.headers, 'sec-websocket-protocol': undefined } } })
}

/**
 * WebSocket authentication with the options of the Express middleware
 * (`verifier`, `realm`, `environment`, `exposeMessages`, `clock`; no cookie:
 * the handshake's subprotocol list is the only place read).
 *
 * - `handleProtocols`: give it to `new WebSocketServer({ noServer: true, handleProtocols })`;
 *   it selects `jwt-accord.bearer` when offered.
 * - `upgrade(wss, req, socket, head, onConnection)`: call it from the
 *   server's `upgrade` event. `onConnection(ws, auth, req)` runs for a verified
 *   handshake (`auth`: `{ claims, header, keySlot }`); `onRefused(error, req)`,
 *   when given, receives each refusal's error for the service's log.
 */
function websocketAuth(options, onRefused) {
  if (options !== null && typeof options === 'object' && options.cookie !== undefined) {
    throw new TypeError('options.cookie: a WebSocket handshake is authenticated by its subprotocol list only')
  }
  const auth = authenticator(options)

  /**
   * `jwt-accord.bearer` when offered. Otherwise the handshake is refused
   * (`missing_token`) and closed at once: the client's first subprotocol is
   * echoed so that a browser completes the handshake and sees the close code,
   * instead of failing the connection with no reason.
   */
  function handleProtocols(protocols) {
    if (protocols.has(WEBSOCKET_SUBPROTOCOL)) return WEBSOCKET_SUBPROTOCOL
    return protocols.size > 0 ? protocols.values().next().value : false
  }

  /** Closes `ws` with 4401 and the code once the handshake's token stops verifying. */
  function closeOnExpiry(ws, token, claims) {
    if (typeof claims.exp !== 'number') return
    let timer
    const schedule = (delayMs) => {
      timer = setTimeout(check, Math.min(Math.max(delayMs, 0), LONGEST_DELAY_MS))
      if (typeof timer.unref === 'function') timer.unref()
    }
    const check = () => {
      const outcome = auth.again(token)
      if (outcome.refusal) ws.close(outcome.refusal.closeCode, outcome.refusal.closeReason)
      else schedule(Math.max((claims.exp - auth.clock()) * 1000, RECHECK_MS))
    }
    ws.once('close', () => clearTimeout(timer))
    schedule((claims.exp - auth.clock()) * 1000)
  }

  function upgrade(wss, req, socket, head, onConnection) {
    const protocols = req.headersDistinct ? req.headersDistinct['sec-websocket-protocol'] : req.headers['sec-websocket-protocol']
    const outcome = auth.websocket(protocols)
    if (outcome.refusal && onRefused) onRefused(outcome.error, req)
    wss.handleUpgrade(forWs(req), socket, head, (ws) => {
      if (outcome.refusal) {
        ws.close(outcome.refusal.closeCode, outcome.refusal.closeReason)
        return
      }
      closeOnExpiry(ws, outcome.token, outcome.auth.claims)
      onConnection(ws, outcome.auth, req)
    })
  }

  return { handleProtocols, upgrade, challenge: auth.challenge }
}

export { WEBSOCKET_SUBPROTOCOL, websocketAuth }
