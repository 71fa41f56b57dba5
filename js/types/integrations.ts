// Type-checks the integrations' declarations (jwt-accord/express, /ws, /hono:
// js/shared/integrations/*.d.ts as the package exports them) as a user's code
// would use them. Never run.
import { createServer } from 'node:http'

import { Hono } from 'hono'
import { Service, Verifier, resolveSecret } from 'jwt-accord'
import { jwtAuth, metricsHandler, reportHandler, REPORT_PATH, type AuthenticatedRequest } from 'jwt-accord/express'
import { jwtAuth as honoAuth, METRICS_PATH } from 'jwt-accord/hono'
import { websocketAuth, WEBSOCKET_SUBPROTOCOL } from 'jwt-accord/ws'

const resolution = resolveSecret()
const verifier = new Verifier(resolution, { issuer: 'auth' })
const service = new Service('api', resolution, { verifiers: [verifier] })

const auth = jwtAuth({ verifier, realm: 'api', environment: resolution.environment, cookie: 'session', clock: () => 0 })
const report = reportHandler(service)
const metrics = metricsHandler(service)
createServer((req, res) => {
  if (req.url === REPORT_PATH) return report(req, res)
  if (req.url === '/metrics') return metrics(req, res)
  auth(req, res, () => res.end(String((req as AuthenticatedRequest).auth.claims.sub)))
})

const app = new Hono()
app.get('/me', honoAuth({ verifier, realm: 'api', environment: 'production', exposeMessages: false }), (c) => {
  const slot: 'current' | 'next' | 'previous' | null = c.get('auth').keySlot
  return c.json({ sub: c.get('auth').claims.sub, slot })
})
const path: '/metrics' = METRICS_PATH

const live = websocketAuth({ verifier, realm: 'api', environment: 'production' }, (error) => console.log(error.code))
const chosen: string | false = live.handleProtocols(new Set([WEBSOCKET_SUBPROTOCOL]), undefined as never)
console.log(path, chosen, live.challenge.realm)
