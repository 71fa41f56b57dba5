// jwt-accord/hono and jwt-accord-wasm/hono (js/shared/integrations/hono.mjs)
// in Node, on whichever build the stage tests (JWT_ACCORD_IMPL): every case of
// tests/vectors/http.json through `app.request()` and through a real server on
// 127.0.0.1, byte for byte; the report and metrics routes; no 500 from a
// non-ASCII alg; no token from a query parameter. (workerd: hono-workerd.test.mjs.)
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'

import { Hono } from 'hono'

import { CASES, IMPL, assertAccepted, assertRefusal, expected, freshToken, get, headerLines, isWebSocket, lib, optionsOf, serve } from './cases.mjs'

const integration = await import(IMPL === 'node' ? 'jwt-accord/hono' : 'jwt-accord-wasm/hono')

const SECRET = 'hono-test-secret-MARKER5b2f-0123456789abcdef01'
const HTTP_CASES = CASES.filter((c) => !isWebSocket(c) && c.result.error === undefined)

/** Serves a Hono app from node:http (what @hono/node-server does: header lines appended into one Headers). */
function nodeListener(app) {
  return async (req, res) => {
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1])
    const response = await app.fetch(new Request(`http://${req.headers.host}${req.url}`, { headers }))
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  }
}

/** `app.request()`'s answer as `{ status, headers, body }`. */
async function request(app, path, lines = []) {
  const response = await app.request(path, { headers: new Headers(lines) })
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
}

describe(`jwt-accord${IMPL === 'node' ? '' : '-wasm'}/hono`, () => {
  let app
  let site
  let service
  before(async () => {
    app = new Hono()
    for (const c of HTTP_CASES) app.get(`/case/${c.name}`, integration.jwtAuth(optionsOf(c)), (c) => c.json(c.get('auth')))
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'production', JWT_SECRET_PRODUCTION: SECRET } })
    const verifier = new lib.Verifier(resolution, { issuer: 'auth', audience: 'api' })
    service = new lib.Service('api', resolution, { role: 'verifier', verifiers: [verifier] })
    app.get('/me', integration.jwtAuth({ verifier, realm: 'api', environment: resolution.environment }), (c) => c.json(c.get('auth')))
    app.get('/dev', integration.jwtAuth({ verifier, realm: 'api', environment: 'development' }), (c) => c.json(c.get('auth')))
    app.get(integration.REPORT_PATH, integration.reportHandler(service))
    app.get(integration.METRICS_PATH, integration.metricsHandler(service))
    site = await serve(nodeListener(app))
  })
  after(() => site && site.close())

  for (const [how, ask] of [
    ['app.request()', (path, lines) => request(app, path, lines)],
    ['a real server', (path, lines) => get(site.url, path, lines)],
  ]) {
    test(`every HTTP case of tests/vectors/http.json (${HTTP_CASES.length}) through ${how}, byte for byte`, async () => {
      for (const c of HTTP_CASES) {
        const answer = await ask(`/case/${c.name}`, headerLines(c))
        if (expected(c).claims) assertAccepted(c, answer)
        else assertRefusal(c, answer)
      }
    })

    test(`a non-ASCII alg through ${how}: 401 with an ASCII header, never a 500`, async () => {
      const lines = headerLines(CASES.find((x) => x.name === 'non_ascii_algorithm_keeps_the_header_ascii'))
      for (const path of ['/me', '/dev']) {
        const answer = await ask(path, lines)
        assert.equal(answer.status, 401, answer.body)
        assert.match(answer.headers['www-authenticate'], /^[\x20-\x7e]+$/)
        assert.equal(JSON.parse(answer.body).code, 'unsupported_algorithm')
      }
    })

    test(`no token is read from a query parameter (${how})`, async () => {
      const token = freshToken(SECRET, 60)
      for (const name of ['access_token', 'token', 'jwt']) {
        const answer = await ask(`/me?${name}=${token}`, [])
        assert.equal(answer.status, 401)
        assert.equal(answer.body, '{"code":"missing_token"}')
      }
      const ok = await ask('/me', [['Authorization', `Bearer ${token}`]])
      assert.equal(ok.status, 200)
      assert.equal(JSON.parse(ok.body).keySlot, 'current')
    })
  }

  test('a refused realm is a TypeError with the core message, when the middleware is made', () => {
    for (const c of CASES.filter((x) => x.result.error !== undefined)) {
      assert.throws(() => integration.jwtAuth(optionsOf(c)), { name: 'TypeError', message: c.result.error.message })
    }
  })

  test('the report and the metrics routes', async () => {
    const report = await request(app, integration.REPORT_PATH)
    assert.equal(report.status, 200)
    assert.equal(report.headers['content-type'], 'application/json')
    assert.equal(report.headers['cache-control'], 'no-store')
    assert.equal(report.body, service.reportJson())
    const metrics = await get(site.url, '/metrics')
    assert.equal(metrics.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
    assert.equal(metrics.body, service.metrics())
    assert.match(metrics.body, /jwt_accord_verifications_total\{service="api",result="ok",slot="current"\} [1-9]/)
  })
})
