// jwt-accord for Hono (`jwt-accord/hono`, `jwt-accord-wasm/hono`): middleware
// that verifies a request's bearer token and sets `c.get('auth')`, or returns
// the core's refusal as a Response (docs/spec.md §17); handlers for the
// published report and the metrics. Fetch API only (Request, Response,
// Headers): runs wherever Hono does, on either build. Hono itself is not imported.
import { REPORT_PATH } from 'jwt-accord'

import { METRICS_CONTENT_TYPE, METRICS_PATH, REPORT_HEADERS, authenticator, refusalHeaders } from './authenticate.mjs'

/**
 * Middleware: `c.set('auth', { claims, header, keySlot })` for a verified
 * token, or the refusal as a Response (status, `WWW-Authenticate`,
 * `application/json` body), with `c.get('jwtAccordError')` holding the error
 * for the service's log.
 */
function jwtAuth(options) {
  const auth = authenticator(options)
  return async function jwtAccordAuth(c, next) {
    const headers = c.req.raw.headers
    const outcome = auth.http(headers.get('authorization'), headers.get('cookie'))
    if (outcome.auth) {
      c.set('auth', outcome.auth)
      await next()
      return undefined
    }
    c.set('jwtAccordError', outcome.error)
    return new Response(outcome.refusal.body, { status: outcome.refusal.status, headers: refusalHeaders(outcome.refusal) })
  }
}

/** `GET REPORT_PATH`: the service's published report (JSON, `Cache-Control: no-store`). */
function reportHandler(service) {
  return () => new Response(service.reportJson(), { headers: REPORT_HEADERS })
}

/** `GET /metrics`: the service's Prometheus text. */
function metricsHandler(service) {
  return () => new Response(service.metrics(), { headers: { 'content-type': METRICS_CONTENT_TYPE } })
}

export { METRICS_CONTENT_TYPE, METRICS_PATH, REPORT_PATH, jwtAuth, metricsHandler, reportHandler }
