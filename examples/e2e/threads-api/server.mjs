// The Node API of the end-to-end example (examples/e2e): node:http and the
// jwt-accord addon, no other dependency.
//
// - GET /api/threads answers the caller's threads for a valid access token
//   (issued by the Python auth service), and 401 with the core's
//   { "code", "message" } otherwise: the same text the Python and Rust
//   services send;
// - GET /healthz answers { "status": "ok", ... };
// - GET /.well-known/jwt-accord answers its published report and GET /metrics
//   its Prometheus metrics (docs/spec.md §16), from a jwt-accord Service named
//   threads, role verifier, that watches the verifier.
//
// Configured only through its environment: ENVIRONMENT and the JWT secret
// variables (resolved by the core, docs/spec.md §3), PORT (it listens on
// 127.0.0.1 only) and ALLOWED_ORIGIN (the page's origin, for CORS). It logs the
// resolution's one-line summary at start-up and refuses to start when the
// secret does not resolve.
import { createServer } from 'node:http'

import { resolveSecret, Verifier } from 'jwt-accord'
// The published view (docs/spec.md §16); apart, the setup's imports are the README's.
import { REPORT_PATH, Service } from 'jwt-accord'

const THREADS = [
  { id: 1, title: 'Notes on the Analytical Engine', replies: 3 },
  { id: 2, title: 'One secret, four languages', replies: 7 },
]

/**
 * Resolves the secret from process.env and makes the verifier for access
 * tokens (the setup shown in docs/e2e.md), and the Service that publishes them.
 */
function setup() {
  // [setup]
  const resolution = resolveSecret() // reads process.env
  console.log(resolution.summary())

  const verifier = new Verifier(resolution, { issuer: 'e2e-auth', audience: 'e2e-api', tokenType: 'access' })
  // [/setup]
  const service = new Service('threads', resolution, { role: 'verifier', verifiers: [verifier] })
  return { resolution, verifier, service }
}

let resolution, verifier, service
try {
  ;({ resolution, verifier, service } = setup())
} catch (error) {
  // Fail closed: a service that cannot resolve its secret does not start.
  console.error(`threads-api: ${error.code || error.name}: ${error.message}`)
  process.exit(2)
}

const allowedOrigin = process.env.ALLOWED_ORIGIN

/** The token of an `Authorization: Bearer <token>` header, or '' (which the core refuses as malformed). */
function bearerToken(request) {
  const value = request.headers.authorization || ''
  const space = value.indexOf(' ')
  if (space < 0 || value.slice(0, space).toLowerCase() !== 'bearer') return ''
  return value.slice(space + 1).trim()
}

function send(response, status, body, headers = {}) {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

function threads(request, response) {
  let claims
  try {
    claims = verifier.verify(bearerToken(request))
  } catch (error) {
    if (error.code === undefined) throw error
    log(`GET /api/threads 401 ${error.code}`)
    const challenge = { 'www-authenticate': 'Bearer error="invalid_token"' }
    return send(response, 401, { code: error.code, message: error.message }, challenge)
  }
  log('GET /api/threads 200')
  send(response, 200, { service: 'threads', sub: claims.sub, threads: THREADS })
}

const server = createServer((request, response) => {
  if (allowedOrigin) {
    response.setHeader('access-control-allow-origin', allowedOrigin)
    response.setHeader('vary', 'origin')
  }
  const { pathname } = new URL(request.url, 'http://localhost')
  if (request.method === 'OPTIONS' && allowedOrigin) {
    response.writeHead(204, {
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'authorization',
      'access-control-max-age': '600',
    })
    return response.end()
  }
  if (request.method === 'GET' && pathname === '/api/threads') {
    try {
      return threads(request, response)
    } catch (error) {
      console.error(error)
      return send(response, 500, { code: 'internal_error', message: 'internal error' })
    }
  }
  if (request.method === 'GET' && pathname === '/healthz') {
    return send(response, 200, { status: 'ok', service: 'threads', fingerprint: resolution.fingerprint })
  }
  // docs/spec.md §16: the published report, and the metrics.
  if (request.method === 'GET' && pathname === REPORT_PATH) {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    return response.end(service.reportJson())
  }
  if (request.method === 'GET' && pathname === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
    return response.end(service.metrics())
  }
  send(response, 404, { code: 'not_found', message: `no route for ${request.method} ${pathname}` })
})

function log(line) {
  console.log(`threads-api: ${line}`)
}

const port = Number(process.env.PORT)
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('threads-api: PORT must be set to a port number')
  process.exit(2)
}
server.listen(port, '127.0.0.1', () => {
  console.log(`threads-api listening on http://127.0.0.1:${port}`)
})

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  })
}
