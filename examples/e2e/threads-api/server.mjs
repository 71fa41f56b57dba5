// The Node API of the end-to-end example (examples/e2e): Express and ws on the
// jwt-accord addon, through its integrations jwt-accord/express and
// jwt-accord/ws (docs/integrations/express.md).
//
// - GET /api/threads answers the caller's threads for a valid access token
//   (issued by the Python auth service); GET /ws is a WebSocket authenticated
//   by `Sec-WebSocket-Protocol: jwt-accord.bearer, <token>` that greets the
//   caller and echoes, closed with 4401 `expired` when the token expires.
//   Every refusal is the core's (docs/spec.md §17): the same bytes the Python
//   and Rust services send;
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

import express from 'express'
import { WebSocketServer } from 'ws'

import { resolveSecret, Verifier } from 'jwt-accord'
// The published view (docs/spec.md §16); apart, the setup's imports are the README's.
import { Service } from 'jwt-accord'
import { METRICS_PATH, REPORT_PATH, jwtAuth, metricsHandler, reportHandler } from 'jwt-accord/express'
import { websocketAuth } from 'jwt-accord/ws'

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

// The realm of WWW-Authenticate: the same in the three back ends, so that their
// refusals are the same bytes. The example shows the core's message in refusal
// bodies (it names both fingerprints on drift); a production service keeps the
// default, which shows them only in development and test.
const options = { verifier, realm: 'e2e', environment: resolution.environment, exposeMessages: true }
const auth = jwtAuth(options)
const live = websocketAuth(options, (error, req) => log(`GET ${req.url} 401 ${error.code} (closed 4401)`))

const app = express()
app.disable('x-powered-by')
app.use((req, res, next) => {
  if (allowedOrigin) {
    res.setHeader('access-control-allow-origin', allowedOrigin)
    res.setHeader('vary', 'origin')
  }
  if (req.method === 'OPTIONS' && allowedOrigin) {
    res.writeHead(204, {
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'authorization',
      'access-control-max-age': '600',
    })
    return res.end()
  }
  next()
})

app.get('/api/threads', logged, auth, (req, res) => {
  res.json({ service: 'threads', sub: req.auth.claims.sub, threads: THREADS })
})
app.get('/healthz', (req, res) => {
  res.json({ status: 'ok', service: 'threads', fingerprint: resolution.fingerprint })
})
// docs/spec.md §16: the published report, and the metrics.
app.get(REPORT_PATH, reportHandler(service))
app.get(METRICS_PATH, metricsHandler(service))
app.use((req, res) => {
  res.status(404).json({ code: 'not_found', message: `no route for ${req.method} ${req.path}` })
})
app.use((error, req, res, next) => {
  console.error(error)
  if (res.headersSent) return next(error)
  res.status(500).json({ code: 'internal_error', message: 'internal error' })
})

/** Logs each request's status, and the code of a refusal (its message stays in the body). */
function logged(req, res, next) {
  res.once('finish', () => {
    const refused = res.locals.jwtAccordError
    log(`${req.method} ${req.path} ${res.statusCode}${refused ? ` ${refused.code}` : ''}`)
  })
  next()
}

function log(line) {
  console.log(`threads-api: ${line}`)
}

const port = Number(process.env.PORT)
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('threads-api: PORT must be set to a port number')
  process.exit(2)
}
// Headers up to 32 KiB (Node's default is 16 KiB): a token as long as the core
// accepts (16 KiB) reaches it, and a longer one is refused by the core
// (token_too_large), not by Node with a bare 431.
const server = createServer({ maxHeaderSize: 32 * 1024 }, app)
server.listen(port, '127.0.0.1', () => {
  console.log(`threads-api listening on http://127.0.0.1:${port}`)
})
// GET /ws: greets the caller, then echoes its messages until it closes or its token expires.
const wss = new WebSocketServer({ noServer: true, handleProtocols: live.handleProtocols })
server.on('upgrade', (req, socket, head) => {
  if (new URL(req.url, 'http://localhost').pathname !== '/ws') return socket.destroy()
  live.upgrade(wss, req, socket, head, (ws, user) => {
    log('GET /ws 101')
    ws.send(JSON.stringify({ service: 'threads', sub: user.claims.sub, hello: true }))
    ws.on('message', (data, binary) => ws.send(data, { binary }))
  })
})

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
    for (const ws of wss.clients) ws.terminate()
  })
}
