// jwt-accord/express: middleware and handlers for Express (4 or 5).
import type { IncomingMessage, ServerResponse } from 'node:http'

import type { JwtAccordError, Service } from 'jwt-accord'
import type { Auth, AuthOptions } from './authenticate.js'

export type { Auth, AuthOptions } from './authenticate.js'
export { METRICS_CONTENT_TYPE, METRICS_PATH } from './authenticate.js'
export { REPORT_PATH } from 'jwt-accord'

/** A request the middleware let through. */
export interface AuthenticatedRequest extends IncomingMessage {
  auth: Auth
}

/** `(req, res, next)`: assignable to Express's RequestHandler. */
export type Handler = (req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }, next: (error?: unknown) => void) => void

/**
 * Sets `req.auth = { claims, header, keySlot }` for a verified token, or
 * answers the refusal: the core's status, `WWW-Authenticate` and JSON body
 * (`res.locals.jwtAccordError` holds the error for your log). Throws a
 * TypeError for a refused realm or environment.
 */
export declare function jwtAuth(options: AuthOptions): Handler

/** `GET REPORT_PATH`: the published report (JSON, `Cache-Control: no-store`). */
export declare function reportHandler(service: Service): (req: IncomingMessage, res: ServerResponse) => void

/** `GET /metrics`: the Prometheus text. */
export declare function metricsHandler(service: Service): (req: IncomingMessage, res: ServerResponse) => void

/** For `res.locals.jwtAccordError`. */
export type { JwtAccordError }
