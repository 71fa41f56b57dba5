// jwt-accord/express (js/shared/integrations/express.mjs) in a real Express
// app on 127.0.0.1: every case of tests/vectors/http.json answered byte for
// byte as the core says, the report and metrics routes, and what a stranger
// cannot do (a 500 from a non-ASCII alg, a token in a query parameter).
// The napi package only (express is for Node); the wasm stage skips it.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'

import express from 'express'

import { CASES, IMPL, assertAccepted, assertRefusal, expected, freshToken, get, headerLines, isWebSocket, lib, optionsOf, serve } from './cases.mjs'

const skip = IMPL !== 'node' && 'express is wired to the napi package (jwt-accord/express)'
const integration = skip ? null : await import('jwt-accord/express')

const SECRET = 'express-test-secret-MARKER3a9e-0123456789abcdef'
const HTTP_CASES = CASES.filter((c) => !isWebSocket(c) && c.result.error === undefined)

describe('jwt-accord/express', { skip }, () => {
  let site
  let service
  let verifier
  before(async () => {
    const app = express()
    for (const c of HTTP_CASES) app.get(`/case/${c.name}`, integration.jwtAuth(optionsOf(c)), (req, res) => res.json(req.auth))
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'production', JWT_SECRET_PRODUCTION: SECRET } })
    verifier = new lib.Verifier(resolution, { issuer: 'auth', audience: 'api' })
    service = new lib.Service('api', resolution, { role: 'verifier', verifiers: [verifier] })
    const auth = integration.jwtAuth({ verifier, realm: 'api', environment: resolution.environment })
    app.get('/me', auth, (req, res) => res.json(req.auth))
    const dev = integration.jwtAuth({ verifier, realm: 'api', environment: 'development' })
    app.get('/dev', dev, (req, res) => res.json(req.auth))
    app.get(integration.REPORT_PATH, integration.reportHandler(service))
    app.get(integration.METRICS_PATH, integration.metricsHandler(service))
    site = await serve(app)
  })
  after(() => site && site.close())

  test(`every HTTP case of tests/vectors/http.json (${HTTP_CASES.length}), byte for byte`, async () => {
    for (const c of HTTP_CASES) {
      const answer = await get(site.url, `/case/${c.name}`, headerLines(c))
      if (expected(c).claims) assertAccepted(c, answer)
      else assertRefusal(c, answer)
    }
  })

  test('a refused realm is a TypeError with the core message, when the middleware is made', () => {
    const refused = CASES.filter((c) => c.result.error !== undefined)
    assert.ok(refused.length >= 2)
    for (const c of refused) assert.throws(() => integration.jwtAuth(optionsOf(c)), { name: 'TypeError', message: c.result.error.message })
  })

  test('req.auth: claims, header and the key slot of a resolution', async () => {
    const token = freshToken(SECRET, 60)
    const answer = await get(site.url, '/me', [['Authorization', `Bearer ${token}`]])
    assert.equal(answer.status, 200)
    const auth = JSON.parse(answer.body)
    assert.equal(auth.claims.sub, 'u1')
    assert.equal(auth.header.kid, lib.fingerprint(SECRET))
    assert.equal(auth.keySlot, 'current')
  })

  test('a non-ASCII alg is a 401 with an ASCII header, never a 500, even with the message in the body', async () => {
    const c = CASES.find((x) => x.name === 'non_ascii_algorithm_keeps_the_header_ascii')
    const lines = headerLines(c)
    for (const path of ['/me', '/dev']) {
      const answer = await get(site.url, path, lines)
      assert.equal(answer.status, 401, answer.body)
      assert.match(answer.headers['www-authenticate'], /^[\x20-\x7e]+$/)
      assert.equal(JSON.parse(answer.body).code, 'unsupported_algorithm')
    }
    const dev = JSON.parse((await get(site.url, '/dev', lines)).body)
    assert.ok(/[^\x00-\x7f]/.test(dev.message), 'development bodies carry the message, non-ASCII included')
  })

  test('no token is read from a query parameter', async () => {
    const token = freshToken(SECRET, 60)
    for (const name of ['access_token', 'token', 'jwt', 'authorization']) {
      const answer = await get(site.url, `/me?${name}=${token}`)
      assert.equal(answer.status, 401)
      assert.equal(answer.body, '{"code":"missing_token"}')
    }
  })

  test('the report and the metrics routes', async () => {
    await get(site.url, '/me', [['Authorization', `Bearer ${freshToken(SECRET, 60)}`]])
    const report = await get(site.url, integration.REPORT_PATH)
    assert.equal(report.status, 200)
    assert.equal(report.headers['content-type'], 'application/json')
    assert.equal(report.headers['cache-control'], 'no-store')
    assert.equal(report.body, service.reportJson())
    assert.ok(!report.body.includes(SECRET))
    const metrics = await get(site.url, '/metrics')
    assert.equal(metrics.status, 200)
    assert.equal(metrics.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
    assert.equal(metrics.body, service.metrics())
    assert.match(metrics.body, /jwt_accord_verifications_total\{service="api",result="ok",slot="current"\} [1-9]/)
  })
})
