// jwt-accord/ws: WebSocket handshakes for node:http and ws 8.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

import type { Challenge, JwtAccordError } from 'jwt-accord'
import type { Auth, AuthOptions } from './authenticate.js'

export type { Auth, AuthOptions } from './authenticate.js'
export { WEBSOCKET_SUBPROTOCOL } from 'jwt-accord'

/** The part of ws's WebSocket the helper uses. */
export interface Socket {
  close(code?: number, reason?: string): void
  once(event: 'close', listener: () => void): unknown
}

/** The part of ws's WebSocketServer the helper uses (`new WebSocketServer({ noServer: true, handleProtocols })`). */
export interface Server<S extends Socket> {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, callback: (ws: S, req: IncomingMessage) => void): void
}

export interface WebSocketAuth {
  /**
   * For `new WebSocketServer({ handleProtocols })`: selects `jwt-accord.bearer`
   * when offered; otherwise (a refused handshake, closed at once) the client's
   * first subprotocol, so that a browser sees the close code.
   */
  handleProtocols(protocols: Set<string>, req: IncomingMessage): string | false
  /**
   * From the HTTP server's `upgrade` event: a verified handshake is accepted
   * and `onConnection(ws, auth, req)` runs, the connection closed with 4401
   * `expired` when the token stops verifying; a refused one is accepted and
   * closed at once with 4401 (1011 for a server error) and the error code.
   */
  upgrade<S extends Socket>(
    wss: Server<S>,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    onConnection: (ws: S, auth: Auth, req: IncomingMessage) => void,
  ): void
  /** The challenge refusals are written with. */
  readonly challenge: Challenge
}

/**
 * WebSocket authentication (no `cookie`: the subprotocol list is the only
 * place read). `onRefused(error, req)` receives each refused handshake's
 * error for your log. Throws a TypeError for a refused realm or environment.
 */
export declare function websocketAuth(
  options: Omit<AuthOptions, 'cookie'>,
  onRefused?: (error: JwtAccordError, req: IncomingMessage) => void,
): WebSocketAuth
