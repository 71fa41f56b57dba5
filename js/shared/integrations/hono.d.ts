// jwt-accord/hono, jwt-accord-wasm/hono: middleware and handlers for Hono 4.
import type { MiddlewareHandler } from 'hono'

import type { JwtAccordError, Service } from 'jwt-accord'
import type { Auth, AuthOptions } from './authenticate.js'

export type { Auth, AuthOptions } from './authenticate.js'
export { METRICS_CONTENT_TYPE, METRICS_PATH } from './authenticate.js'
export { REPORT_PATH } from 'jwt-accord'

/** The variables the middleware sets: `c.get('auth')`, and for a refusal `c.get('jwtAccordError')`. */
export interface AuthVariables {
  auth: Auth
  jwtAccordError: JwtAccordError
}

/**
 * Sets `c.get('auth')` to `{ claims, header, keySlot }` for a verified token,
 * or returns the refusal as a Response: the core's status, `WWW-Authenticate`
 * and JSON body. Throws a TypeError for a refused realm or environment.
 */
export declare function jwtAuth(options: AuthOptions): MiddlewareHandler<{ Variables: AuthVariables }>

/** `GET REPORT_PATH`: the published report (JSON, `Cache-Control: no-store`). */
export declare function reportHandler(service: Service): () => Response

/** `GET /metrics`: the Prometheus text. */
export declare function metricsHandler(service: Service): () => Response
