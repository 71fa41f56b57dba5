// Publishing (docs/spec.md §16): a Service's report and metrics, and its
// registration with a real prom-client Registry, scraped as Prometheus would.
// The exact texts are pinned by tests/vectors/publish.json (conformance.mjs);
// this file checks what only the JavaScript API adds.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'
import util from 'node:util'

import lib, { IMPL } from './impl.mjs'

const promClient = createRequire(import.meta.url)('prom-client')

const SECRET = 'publish-test-secret-MARKER4e2b-0123456789abcdef'
const NEXT = 'publish-test-next-secret-MARKER4e2b-fedcba987654'
const NOW = 1_700_000_000

function resolution() {
  return lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET, JWT_SECRET_STAGING_NEXT: NEXT } })
}

/** A service watching one verifier and one signer over a staging resolution. */
function watchedService(role = 'verifier') {
  const r = resolution()
  const verifier = new lib.Verifier(r)
  const signer = new lib.Signer(r, { expiresIn: 60 })
  const service = new lib.Service('api', r, { role, verifiers: [verifier], signers: [signer] })
  return { resolution: r, verifier, signer, service }
}

/** Exposition text as `{ 'name{labels}': value }`, comments and blank lines left out. */
function samples(text) {
  const out = {}
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    out[line.slice(0, at)] = Number(line.slice(at + 1))
  }
  return out
}

const OK_CURRENT = 'jwt_accord_verifications_total{service="api",result="ok",slot="current"}'
const OK_NEXT = 'jwt_accord_verifications_total{service="api",result="ok",slot="next"}'
const EXPIRED = 'jwt_accord_verifications_total{service="api",result="expired"}'
const SIGNED = 'jwt_accord_signatures_total{service="api"}'

describe(`Service (${IMPL})`, () => {
  test('REPORT_PATH is the core constant', () => {
    assert.equal(lib.REPORT_PATH, '/.well-known/jwt-accord')
  })

  test('the report is the resolution JSON form plus service and role', () => {
    const { resolution: r, service } = watchedService()
    assert.deepEqual(service.report(), { ...r.toJSON(), service: 'api', role: 'verifier' })
    assert.equal(service.reportJson(), JSON.stringify(service.report()))
    assert.equal(JSON.stringify(service), service.reportJson())
    assert.equal(service.name, 'api')
    assert.equal(service.role, 'verifier')
    const both = new lib.Service('worker', r)
    assert.equal(both.role, null)
    assert.equal(Object.hasOwn(both.report(), 'role'), false)
    // The report is what checkConsistency reads.
    assert.equal(lib.checkConsistency([service.report(), both.report()]).status, 'consistent')
  })

  test('counts move as the watched verifier and signer work', () => {
    const { verifier, signer, service } = watchedService()
    const before = samples(service.metrics())
    assert.equal(before[OK_CURRENT], 0)
    assert.equal(before[SIGNED], 0)
    verifier.verify(signer.sign({ sub: 'u' }, NOW), NOW)
    verifier.verifyFull(lib.sign({ exp: NOW + 60 }, NEXT, { now: NOW }), NOW)
    assert.throws(() => verifier.verify(signer.sign({}, NOW), NOW + 120), { code: 'expired' })
    const after = samples(service.metrics())
    assert.equal(after[OK_CURRENT], 1)
    assert.equal(after[OK_NEXT], 1)
    assert.equal(after[EXPIRED], 1)
    assert.equal(after[SIGNED], 2)
    // Argument errors are not verifications: nothing more is counted.
    assert.throws(() => verifier.verify(5), TypeError)
    assert.deepEqual(samples(service.metrics()), after)
  })

  test('every watched verifier and signer is summed', () => {
    const r = resolution()
    const verifiers = [new lib.Verifier(r), new lib.Verifier(SECRET)]
    const signers = [new lib.Signer(r), new lib.Signer(SECRET)]
    const service = new lib.Service('api', r, { verifiers, signers })
    const token = signers[0].sign({ exp: NOW + 60 }, NOW)
    for (const verifier of verifiers) verifier.verify(token, NOW)
    signers[1].sign({}, NOW)
    const counts = samples(service.metrics())
    assert.equal(counts[OK_CURRENT], 2)
    assert.equal(counts[SIGNED], 2)
  })

  test('register: a prom-client Registry scrapes the same series, read at scrape time', async () => {
    const { verifier, signer, service } = watchedService()
    const registry = new promClient.Registry()
    service.register(promClient, registry)
    const first = await registry.metrics()
    assert.deepEqual(samples(first), samples(service.metrics()))
    // prom-client separates families with a blank line; otherwise the text is the core's.
    assert.equal(first.replaceAll('\n\n', '\n'), service.metrics())
    verifier.verify(signer.sign({}, NOW), NOW)
    const second = samples(await registry.metrics())
    assert.equal(second[OK_CURRENT], 1)
    assert.equal(second[SIGNED], 1)
    assert.deepEqual(second, samples(service.metrics()))
    const types = Object.fromEntries((await registry.getMetricsAsJSON()).map((m) => [m.name, m.type]))
    assert.deepEqual(types, {
      jwt_accord_key_info: 'gauge',
      jwt_accord_verifications_total: 'counter',
      jwt_accord_signatures_total: 'counter',
    })
    // A second registration of the same names is prom-client's error.
    assert.throws(() => service.register(promClient, registry), /already been registered/)
  })

  test('register: the default registry is client.register; OpenMetrics registries work too', async () => {
    const { service } = watchedService()
    service.register(promClient)
    try {
      assert.deepEqual(samples(await promClient.register.metrics()), samples(service.metrics()))
    } finally {
      promClient.register.clear()
    }
    const open = new promClient.Registry(promClient.Registry.OPENMETRICS_CONTENT_TYPE)
    service.register(promClient, open)
    const text = await open.metrics()
    assert.match(text, /^# TYPE jwt_accord_verifications counter$/m)
    assert.match(text, /^jwt_accord_signatures_total\{service="api"\} 0$/m)
    assert.match(text, /# EOF\n$/)
  })

  test('register refuses what is not prom-client', () => {
    const { service } = watchedService()
    assert.throws(() => service.register(new promClient.Registry()), {
      name: 'TypeError',
      message: "client must be the prom-client module (require('prom-client')), found an instance of Registry",
    })
    assert.throws(() => service.register(undefined), TypeError)
    assert.throws(() => service.register(promClient, {}), {
      name: 'TypeError',
      message: 'registry must be a prom-client Registry, found an object',
    })
  })

  test('no secret in the report, the metrics, toString, inspect or JSON', async () => {
    const { service, verifier, signer } = watchedService()
    verifier.verify(signer.sign({}, NOW), NOW)
    const registry = new promClient.Registry()
    service.register(promClient, registry)
    const outputs = [
      service.reportJson(),
      service.metrics(),
      String(service),
      util.inspect(service, { showHidden: true, depth: Infinity }),
      JSON.stringify(service),
      await registry.metrics(),
      JSON.stringify(await registry.getMetricsAsJSON()),
    ]
    for (const output of outputs) {
      assert.equal(output.includes('MARKER4e2b'), false, output)
    }
    assert.match(String(service), /^Service <name="api" role=verifier fingerprint=sha256:[0-9a-f]{16}>$/)
  })

  test('a refused name or role is a TypeError with the core message', () => {
    const r = resolution()
    const cases = [
      [() => new lib.Service('', r), 'the service name must be 1 to 200 bytes, found 0'],
      [() => new lib.Service('x'.repeat(201), r), 'the service name must be 1 to 200 bytes, found 201'],
      [() => new lib.Service('a\tb', r), 'the service name must not hold control characters'],
      [() => new lib.Service('api', r, { role: 'admin' }), 'role must be "issuer" or "verifier" (or absent: both), found "admin"'],
    ]
    for (const [make, message] of cases) assert.throws(make, { name: 'TypeError', message })
  })

  test('arguments and options are checked like the rest of the API', () => {
    const r = resolution()
    const verifier = new lib.Verifier(r)
    const signer = new lib.Signer(r)
    const refused = [
      [() => new lib.Service(5, r), 'name must be a string, found a number'],
      [() => new lib.Service('api', SECRET), 'resolution must be a Resolution (from resolveSecret), found a string'],
      [() => new lib.Service('api', r, []), 'Service options must be an object { role, verifiers, signers }, found an array'],
      [() => new lib.Service('api', r, { verifier }), 'unknown Service option "verifier": expected role, verifiers, signers'],
      [() => new lib.Service('api', r, { role: 1 }), "options.role must be 'issuer', 'verifier', or absent (both), found a number"],
      [() => new lib.Service('api', r, { verifiers: verifier }), 'options.verifiers must be an array of Verifier objects, found an instance of Verifier'],
      [() => new lib.Service('api', r, { verifiers: [signer] }), 'options.verifiers[0] must be a Verifier, found an instance of Signer'],
      [() => new lib.Service('api', r, { signers: [signer, {}] }), 'options.signers[1] must be a Signer, found an object'],
    ]
    for (const [make, message] of refused) assert.throws(make, { name: 'TypeError', message })
    const service = new lib.Service('api', r, { role: null, verifiers: null, signers: undefined })
    assert.equal(service.role, null)
    assert.throws(() => {
      service.name = 'other'
    }, TypeError)
  })
})
