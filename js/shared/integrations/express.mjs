// jwt-accord for Express (`jwt-accord/express`): middleware that verifies a
// request's bearer token and sets `req.auth`, or answers the core's refusal
// (docs/spec.md §17); handlers for the published report and the metrics.
// Express itself is not imported: these are plain (req, res, next) functions.
import { REPORT_PATH } from 'jwt-accord'

import { METRICS_CONTENT_TYPE, METRICS_PATH, REPORT_HEADERS, authenticator, refusalHeaders } from './authenticate.mjs'

/** A header's values, one per header line where Node keeps them apart (`headersDistinct`, Node >= 18.3). */
function headerValues(req, name) {
  return req.headersDistinct ? req.headersDistinct[name] : req.headers[name]
}

/** Writes `body` with exactly `headers` (no charset or ETag added, as Express's `res.send` would). */
function answer(res, status, headers, body) {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/**
 * Middleware: `req.auth = { claims, header, keySlot }` for a verified token,
 * or the refusal (status, `WWW-Authenticate`, `application/json` body), with
 * `res.locals.jwtAccordError` holding the error for the service's log.
 */
function jwtAuth(options) {
  const auth = authenticator(options)
  return function jwtAccordAuth(req, res, next) {
    const outcome = auth.http(headerValues(req, 'authorization'), headerValues(req, 'cookie'))
    if (outcome.auth) {
      req.auth = outcome.auth
      next()
      return
    }
    if (res.locals) res.locals.jwtAccordError = outcome.error
    answer(res, outcome.refusal.status, refusalHeaders(outcome.refusal), outcome.refusal.body)
  }
}

/** `GET REPORT_PATH`: the service's published report (JSON, `Cache-Control: no-store`). */
function reportHandler(service) {
  return function jwtAccordReport(req, res) {
    answer(res, 200, REPORT_HEADERS, service.reportJson())
  }
}

/** `GET /metrics`: the service's Prometheus text. */
function metricsHandler(service) {
  return function jwtAccordMetrics(req, res) {
    answer(res, 200, { 'content-type': METRICS_CONTENT_TYPE }, service.metrics())
  }
}

export { METRICS_CONTENT_TYPE, METRICS_PATH, REPORT_PATH, jwtAuth, metricsHandler, reportHandler }
