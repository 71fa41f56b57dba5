// jwt-accord-wasm/hono in workerd (Cloudflare's runtime): a Worker with a Hono
// app, bundled as wrangler bundles one (esbuild, conditions workerd/worker/
// browser, the .wasm a separate module) and run by `workerd test`, answers
// every HTTP case of tests/vectors/http.json through app.request() with the
// status, WWW-Authenticate, Content-Type and body the core gives, byte for
// byte. The wasm stage only (it needs the WASM build).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { bundleWorker } from '../../edge/workerd.mjs'
import { CASES, IMPL, expected, headerLines, isWebSocket } from './cases.mjs'

const JS = fileURLToPath(new URL('../../', import.meta.url))
const MARK = 'HONO-WORKERD-RESULT '
const HTTP_CASES = CASES.filter((c) => !isWebSocket(c) && c.result.error === undefined)

/** The Worker: each case's middleware on its own route, every request answered inside workerd. */
const WORKER = `
import { Hono } from 'hono'
import { Verifier } from 'jwt-accord-wasm'
import { jwtAuth } from 'jwt-accord-wasm/hono'
import cases from './cases.json'

export default {
  async test() {
    const app = new Hono()
    for (const c of cases) {
      const options = { verifier: new Verifier(c.keys, c.options), realm: c.realm, environment: c.environment, clock: () => c.now }
      if (c.exposeMessages !== undefined) options.exposeMessages = c.exposeMessages
      if (c.cookie !== undefined) options.cookie = c.cookie
      app.get('/' + c.name, jwtAuth(options), (ctx) => ctx.json(ctx.get('auth')))
    }
    const answers = {}
    for (const c of cases) {
      const response = await app.request('/' + c.name, { headers: new Headers(c.lines) })
      answers[c.name] = { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
    }
    console.log(${JSON.stringify(MARK)} + JSON.stringify(answers))
  },
}
`

function run(command, args, cwd) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => resolve({ error, stdout, stderr }))
  })
}

test('jwt-accord-wasm/hono in workerd: every HTTP case of tests/vectors/http.json', { skip: IMPL !== 'wasm' && 'runs in the wasm stage' }, async () => {
  const { camel } = await import('../conformance.mjs')
  const dir = mkdtempSync(path.join(tmpdir(), 'hono-workerd-'))
  try {
    const cases = HTTP_CASES.map((c) => ({
      name: c.name,
      keys: c.keys,
      options: camel(c.options),
      realm: c.realm,
      environment: c.environment,
      now: c.now,
      exposeMessages: c.expose_messages,
      cookie: c.cookie_name,
      lines: headerLines(c),
    }))
    writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(cases))
    writeFileSync(path.join(dir, 'entry.mjs'), WORKER)
    const modules = await bundleWorker(path.join(dir, 'entry.mjs'), dir, { nodePaths: [path.join(JS, 'node_modules')] })
    assert.equal(modules.length, 1, 'the Worker imports one .wasm module')
    const wasm = modules[0]
    writeFileSync(
      path.join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (services = [(name = "main", worker = .main)]);
const main :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = ${JSON.stringify(wasm)}, wasm = embed ${JSON.stringify(wasm)}),
  ],
  compatibilityDate = "2025-09-01",
);
`,
    )
    const out = await run(path.join(JS, 'node_modules/.bin/workerd'), ['test', 'config.capnp'], dir)
    const line = out.stdout.split('\n').concat(out.stderr.split('\n')).find((l) => l.includes(MARK))
    assert.ok(line, `workerd printed no result: ${out.error || ''}\n${out.stderr.slice(-2000)}`)
    const answers = JSON.parse(line.slice(line.indexOf(MARK) + MARK.length))
    assert.deepEqual(Object.keys(answers), HTTP_CASES.map((c) => c.name), 'every case answered in workerd')
    for (const c of HTTP_CASES) {
      const answer = answers[c.name]
      const want = expected(c)
      if (want.claims) {
        assert.equal(answer.status, 200, `${c.name}: ${answer.body}`)
        assert.deepEqual(JSON.parse(answer.body).claims, want.claims, c.name)
        continue
      }
      assert.equal(answer.status, want.status, `${c.name}: status`)
      assert.equal(answer.headers['www-authenticate'], want.wwwAuthenticate ?? undefined, `${c.name}: WWW-Authenticate`)
      assert.equal(answer.headers['content-type'], 'application/json', `${c.name}: Content-Type`)
      assert.equal(answer.body, want.body, `${c.name}: body`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
