// The end-to-end tests (issue 7), run by scripts/test-e2e.sh after
// examples/e2e/build.sh. Each system under test is started with
// examples/e2e/run (so the script itself is tested too) and stopped with a
// signal; after each stop, every service's process must be gone, its port
// closed and run's log directory removed.
//
//   - start-up: the three back ends log the docs/spec.md §7 summary, the same line;
//   - the happy path in headless Chromium (Debian's chromium via playwright-core);
//   - the page refreshes its access token before it expires;
//   - a refresh token used as an access token: wrong_token_type;
//   - an expired token (the CLI's `sign --now`): expired, from all three;
//   - the page's WebSockets (Node API, auth service) greet it, and an expired
//     or drifted token closes with 4401 and the code in the browser;
//   - drift: the Node API on another secret answers unknown_key naming both
//     fingerprints, and `jwt-accord check` on the env files reports it;
//   - run stops everything when a service fails to start or dies, and runs a
//     command against the system (run -- COMMAND).
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'

import { CLI, ENV, ROOT, RUN, addon, chromium, docsBlock, fingerprintOf, secretOf } from './helpers.mjs'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
// The flags the WASM browser runner uses (js/browser/run.mjs).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const USER = { username: 'ada', password: 'lovelace-1815' }
const ISSUER = 'e2e-auth'
const AUDIENCE = 'e2e-api'

// ------------------------------------------------------------------ helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs the CLI; resolves to { code, stdout, stderr } whatever the exit status. */
function cli(...args) {
  return new Promise((resolve, reject) => {
    execFile(CLI, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error)
      resolve({ code: error ? error.code : 0, stdout, stderr })
    })
  })
}

/** Whether nothing listens on 127.0.0.1:port any more. */
function portClosed(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code !== 'ESRCH'
  }
}

/**
 * Starts examples/e2e/run with `args` (and extra environment); resolves once
 * it prints that everything is up, with each service's pid, port and URL, the
 * start-up summaries and the log directory.
 */
function startSystem({ args = [], env = {}, name = 'system' } = {}) {
  const child = spawn(RUN, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const system = { name, child, stdout: '', stderr: '', services: {}, summaries: {}, logs: null, exit: null }
  system.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      system.exit = { code, signal }
      resolve(system.exit)
    })
  })
  child.stderr.on('data', (chunk) => (system.stderr += chunk))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('not ready within 90 s')), 90_000)
    const fail = (error) => {
      clearTimeout(timer)
      child.kill('SIGTERM')
      error.message += `\n--- run stdout ---\n${system.stdout}\n--- run stderr ---\n${system.stderr}`
      reject(error)
    }
    const early = (code) => fail(new Error(`run exited with ${code} before it was ready`))
    child.once('exit', early)
    child.stdout.on('data', (chunk) => {
      system.stdout += chunk
      if (!system.stdout.includes('Ctrl-C stops everything')) return
      clearTimeout(timer)
      child.off('exit', early)
      for (const [, service, pid, port] of system.stdout.matchAll(/^started (\w+) +pid (\d+) +port (\d+)$/gm)) {
        system.services[service] = { pid: Number(pid), port: Number(port), url: `http://127.0.0.1:${port}` }
      }
      for (const [, service, line] of system.stdout.matchAll(/^summary +(\w+) +(.*)$/gm)) system.summaries[service] = line
      system.logs = /^logs +(.*)$/m.exec(system.stdout)[1]
      resolve(system)
    })
  })
}

/** Runs examples/e2e/run to its end: { code, stdout, stderr, system } (what it started, for assertNothingLeft). */
async function runToEnd(name, args) {
  const child = spawn(RUN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const [code] = await new Promise((resolve) => child.once('exit', (...exit) => resolve(exit)))
  const system = { name, services: {}, logs: /^logs +(.*)$/m.exec(stdout)?.[1] }
  for (const [, service, pid, port] of stdout.matchAll(/^started (\w+) +pid (\d+) +port (\d+)$/gm)) {
    system.services[service] = { pid: Number(pid), port: Number(port) }
  }
  return { code, stdout, stderr, system }
}

/** Stops a system with `signal`; checks that nothing of it is left. */
async function stopSystem(system, signal = 'SIGTERM') {
  if (!system) return
  if (system.exit === null) system.child.kill(signal)
  const exit = await system.exited
  await assertNothingLeft(system)
  return exit
}

async function assertNothingLeft(system) {
  for (const [service, { pid, port }] of Object.entries(system.services)) {
    assert.equal(alive(pid), false, `${system.name}: ${service} (pid ${pid}) is still running`)
    assert.equal(await portClosed(port), true, `${system.name}: port ${port} (${service}) is still open`)
  }
  if (system.logs) assert.equal(existsSync(system.logs), false, `${system.name}: ${system.logs} was left behind`)
}

async function login(system) {
  const response = await fetch(`${system.services.auth.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(USER),
  })
  assert.equal(response.status, 200, await response.clone().text())
  return response.json()
}

/** GET with an optional bearer token: { status, text, body, challenge }. */
async function get(url, token) {
  const headers = token === undefined ? {} : { authorization: `Bearer ${token}` }
  const response = await fetch(url, { headers })
  const text = await response.text()
  return { status: response.status, text, body: JSON.parse(text), challenge: response.headers.get('www-authenticate') }
}

/** The three back ends' endpoints that require an access token. */
const backEnds = (system) => ({
  'threads (Node)': `${system.services.threads.url}/api/threads`,
  'profile (Rust)': `${system.services.profile.url}/api/profile`,
  'auth /me (Python)': `${system.services.auth.url}/me`,
})

/**
 * Asks all three back ends at once, early in a second: messages that name
 * `now` (expired, not_yet_valid) then agree unless the requests straddle a
 * second boundary, in which case the round is asked again (at most 3 times).
 */
async function askAll(system, token) {
  let answers
  for (let round = 0; round < 3; round += 1) {
    const ms = Date.now() % 1000
    if (ms > 500) await sleep(1000 - ms + 5)
    const entries = Object.entries(backEnds(system))
    const results = await Promise.all(entries.map(([, url]) => get(url, token)))
    answers = Object.fromEntries(entries.map(([name], i) => [name, results[i]]))
    const texts = new Set(results.map((r) => r.text))
    if (texts.size === 1 || !results.some((r) => /\bnow \d+/.test(r.body.message || ''))) break
  }
  return answers
}

// ------------------------------------------------------------------ the tests

const authSecret = secretOf(ENV.auth)
const driftSecret = secretOf(ENV.drift)
const authFingerprint = fingerprintOf(authSecret)
const driftFingerprint = fingerprintOf(driftSecret)

describe('the system: Python auth, Node API, Rust service and the page on one secret', () => {
  let system
  before(async () => {
    system = await startSystem({ name: 'main' })
  })
  after(async () => {
    const exit = await stopSystem(system, 'SIGTERM')
    assert.deepEqual(exit, { code: 143, signal: null }, 'run exits 128 + SIGTERM after stopping everything')
  })

  test('every back end logs the docs/spec.md §7 one-line summary at start-up, the same line', async () => {
    assert.equal(fingerprintOf(secretOf(ENV.threads)), authFingerprint, 'the env files share one secret')
    assert.equal(fingerprintOf(secretOf(ENV.profile)), authFingerprint, 'the env files share one secret')
    const expected = `jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:${authFingerprint} warnings=0`
    assert.deepEqual(system.summaries, { auth: expected, threads: expected, profile: expected })
    // The CLI resolves the same fingerprint from the same env file.
    const { code, stdout } = await cli('resolve', '--env-file', ENV.auth, '--json')
    assert.equal(code, 0)
    assert.equal(JSON.parse(stdout).fingerprint, authFingerprint)
    for (const service of ['auth', 'threads', 'profile']) {
      const health = await get(`${system.services[service].url}/healthz`)
      assert.equal(health.status, 200)
      assert.equal(health.body.fingerprint, authFingerprint, service)
    }
  })

  test('happy path in headless Chromium: log in, both APIs answer 200, the page shows expiry and kid', async () => {
    const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'jwt-accord-e2e-chromium-'))
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    })
    try {
      const page = context.pages()[0] || (await context.newPage())
      const problems = []
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
      page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
      const modules = []
      page.on('request', (request) => request.url().endsWith('.wasm') && modules.push(new URL(request.url()).pathname))

      await page.goto(`${system.services.page.url}/`)
      await page.waitForFunction(() => window.__e2e && window.__e2e.ready, null, { timeout: 30_000 })
      // The front end loads the tokens-only module, and only it.
      assert.deepEqual(modules, ['/vendor/jwt-accord-wasm/pkg-tokens/jwt_accord_bg.wasm'])
      await page.fill('#username', USER.username)
      await page.fill('#password', USER.password)
      const before = Math.floor(Date.now() / 1000)
      await page.click('#login-button')
      await page.waitForFunction(() => window.__e2e.calls.length >= 2 || window.__e2e.errors.length > 0, null, {
        timeout: 30_000,
      })
      const state = await page.evaluate(() => window.__e2e)
      assert.deepEqual(state.errors, [])
      assert.deepEqual(problems, [])

      // Both APIs answered 200, as shown on the page.
      assert.equal(await page.textContent('#threads-status'), '200')
      assert.equal(await page.textContent('#profile-status'), '200')
      const byApi = Object.fromEntries(state.calls.map((call) => [call.api, call]))
      assert.equal(byApi.threads.body.sub, 'ada')
      assert.equal(byApi.threads.body.threads.length, 2)
      assert.deepEqual(byApi.profile.body, {
        service: 'profile',
        sub: 'ada',
        name: 'Ada Lovelace',
        key_fingerprint: authFingerprint,
        key_slot: 'current',
      })

      // kid and expiry, read in the browser by jwt-accord-wasm/tokens' decodeUnverified.
      assert.equal(await page.textContent('#kid'), authFingerprint)
      const exp = Number(await page.getAttribute('#expires', 'data-exp'))
      assert.equal(exp - state.token.iat, 900, 'access tokens live 15 minutes')
      assert.ok(state.token.iat >= before - 1 && state.token.iat <= Math.ceil(Date.now() / 1000), 'iat is now')
      assert.equal(await page.textContent('#expires'), new Date(exp * 1000).toISOString())
      // The refresh is scheduled a minute before expiry.
      assert.equal(await page.textContent('#refresh-at'), new Date((exp - 60) * 1000).toISOString())
      assert.equal(await page.textContent('#refreshes'), '0')

      // The page's WebSockets to the Node API and the auth service, opened
      // with the access token as the subprotocol: each greets the user.
      await page.waitForFunction(() => window.__e2e.sockets.filter((s) => s.greeting).length >= 2, null, { timeout: 10_000 })
      const sockets = Object.fromEntries((await page.evaluate(() => window.__e2e.sockets)).map((s) => [s.name, s]))
      for (const [name, service] of [['threads-ws', 'threads'], ['auth-ws', 'auth']]) {
        assert.deepEqual(sockets[name].greeting, { service, sub: 'ada', hello: true }, name)
        assert.equal(await page.textContent(`#${name}-status`), 'open (jwt-accord.bearer)', name)
      }
      // An expired or drifted token: the browser sees 4401 and the code (not
      // a bare failed handshake); refusals.test.mjs has the whole table.
      const expired = addon.sign({ sub: 'ada' }, authSecret, { issuer: ISSUER, audience: AUDIENCE, tokenType: 'access', expiresIn: 900, now: before - 3600 })
      const drifted = addon.sign({ sub: 'ada' }, driftSecret, { issuer: ISSUER, audience: AUDIENCE, tokenType: 'access', expiresIn: 900 })
      for (const url of [system.services.threads.url, system.services.auth.url]) {
        for (const [token, code] of [[expired, 'expired'], [drifted, 'unknown_key']]) {
          const closed = await page.evaluate(
            ([wsUrl, token]) =>
              new Promise((resolve) => {
                const socket = new WebSocket(wsUrl, ['jwt-accord.bearer', token])
                socket.onclose = (event) => resolve([event.code, event.reason])
              }),
            [`${url.replace(/^http/, 'ws')}/ws`, token],
          )
          assert.deepEqual(closed, [4401, code], `${url}: ${code}`)
        }
      }
    } finally {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
    assert.equal(existsSync(userDataDir), false)
  })

  test('a refresh token used as an access token is refused with wrong_token_type by both APIs', async () => {
    const { access_token: access, refresh_token: refresh } = await login(system)
    const apis = Object.entries(backEnds(system))
    for (const [name, url] of apis) {
      assert.equal((await get(url, access)).status, 200, `${name} accepts the access token`)
      const answer = await get(url, refresh)
      assert.equal(answer.status, 401, name)
      assert.equal(answer.body.code, 'wrong_token_type', name)
      assert.deepEqual(Object.keys(answer.body), ['code', 'message'], name)
      assert.equal(answer.challenge, 'Bearer realm="e2e", error="invalid_token", error_description="wrong_token_type"', name)
    }
    // And the other way round: an access token does not refresh (the same challenge).
    const response = await fetch(`${system.services.auth.url}/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: access }),
    })
    assert.equal(response.status, 401)
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="e2e", error="invalid_token", error_description="wrong_token_type"')
    assert.equal((await response.json()).code, 'wrong_token_type')
  })

  test('an expired token (signed with an injected now by the CLI) is refused with expired by all three', async () => {
    const now = Math.floor(Date.now() / 1000)
    const { code, stdout, stderr } = await cli(
      'sign', '--env-file', ENV.auth, '--now', String(now - 3600), '--expires-in', '900',
      '--subject', 'ada', '--issuer', ISSUER, '--audience', AUDIENCE, '--token-type', 'access',
    )
    assert.equal(code, 0, stderr)
    const token = stdout.trim()
    const answers = await askAll(system, token)
    for (const [name, answer] of Object.entries(answers)) {
      assert.equal(answer.status, 401, name)
      assert.equal(answer.body.code, 'expired', name)
      const expected = new RegExp(`^token expired 45 minutes (\\d+ seconds? )?ago \\(exp ${now - 2700}, now \\d+, leeway 0s\\)$`)
      assert.match(answer.body.message, expected, name)
    }
    assert.equal(new Set(Object.values(answers).map((a) => a.text)).size, 1, 'identical bodies')
  })

  test('drift: the Node API on another JWT_SECRET_STAGING answers unknown_key naming both fingerprints', async () => {
    assert.notEqual(driftFingerprint, authFingerprint)
    const drifted = await startSystem({
      name: 'drifted threads API',
      args: ['--only', 'threads', '--env', `threads=${ENV.drift}`],
    })
    try {
      assert.deepEqual(Object.keys(drifted.services), ['threads'])
      assert.equal(
        drifted.summaries.threads,
        `jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:${driftFingerprint} warnings=0`,
      )
      const { access_token: token } = await login(system)
      const answer = await get(`${drifted.services.threads.url}/api/threads`, token)
      assert.equal(answer.status, 401)
      assert.equal(answer.body.code, 'unknown_key')
      assert.ok(answer.body.message.includes(authFingerprint), `names the token's kid: ${answer.body.message}`)
      assert.ok(answer.body.message.includes(driftFingerprint), `names the held key: ${answer.body.message}`)
      assert.equal(answer.text, docsBlock('401 from the drifted threads API'), 'the body docs/e2e.md shows')
      // The same token is fine where the secret agrees.
      assert.equal((await get(`${system.services.threads.url}/api/threads`, token)).status, 200)
      assert.equal((await get(`${system.services.profile.url}/api/profile`, token)).status, 200)
    } finally {
      const exit = await stopSystem(drifted, 'SIGINT')
      assert.deepEqual(exit, { code: 130, signal: null }, 'run exits 128 + SIGINT after stopping everything')
    }
  })
})

test('jwt-accord check on the services env files reports the drift (exit 1), and agreement (exit 0)', async () => {
  const drift = [`auth:issuer=${ENV.auth}`, `threads:verifier=${ENV.drift}`, `profile:verifier=${ENV.profile}`]
  const human = await cli('check', ...drift)
  assert.equal(human.code, 1, human.stderr)
  assert.match(human.stdout, /status +drift/)
  assert.match(human.stdout, new RegExp(`threads resolves JWT_SECRET_STAGING \\(${driftFingerprint}\\)`))

  const json = await cli('check', ...drift, '--json')
  assert.equal(json.code, 1)
  const result = JSON.parse(json.stdout)
  assert.equal(result.status, 'drift')
  assert.equal(result.level, 'critical')
  assert.deepEqual(result.groups.map((g) => g.fingerprint).sort(), [authFingerprint, driftFingerprint].sort())
  assert.ok(result.findings.some((f) => f.includes(driftFingerprint) && f.includes(authFingerprint)), result.findings.join('\n'))

  const agreed = await cli('check', `auth:issuer=${ENV.auth}`, `threads:verifier=${ENV.threads}`, `profile:verifier=${ENV.profile}`, '--json')
  assert.equal(agreed.code, 0, agreed.stdout + agreed.stderr)
  assert.equal(JSON.parse(agreed.stdout).status, 'consistent')
})

test('the page refreshes the access token before it expires (ACCESS_TOKEN_TTL=8)', async () => {
  const system = await startSystem({ name: 'short-lived tokens', env: { ACCESS_TOKEN_TTL: '8' } })
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'jwt-accord-e2e-chromium-'))
  let context
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const page = context.pages()[0] || (await context.newPage())
    const problems = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
    await page.goto(`${system.services.page.url}/`)
    await page.waitForFunction(() => window.__e2e && window.__e2e.ready, null, { timeout: 30_000 })
    await page.fill('#username', USER.username)
    await page.fill('#password', USER.password)
    await page.click('#login-button')
    // The first token lives 8 s; its refresh is due a quarter of that (2 s) before exp.
    await page.waitForFunction(
      () => (window.__e2e.refreshes.length >= 1 && window.__e2e.calls.length >= 4) || window.__e2e.errors.length > 0,
      null,
      { timeout: 20_000 },
    )
    const state = await page.evaluate(() => window.__e2e)
    assert.deepEqual(state.errors, [])
    assert.deepEqual(problems, [])
    const [first] = state.refreshes
    assert.ok(first.at < first.oldExp * 1000, `refreshed at ${first.at}, before the old exp ${first.oldExp}`)
    assert.ok(first.newExp > first.oldExp, 'the new token expires later')
    // After the refresh, both APIs accept the new token.
    const afterRefresh = state.calls.filter((call) => call.at >= first.at)
    assert.deepEqual(afterRefresh.map((call) => `${call.api} ${call.status}`).sort().slice(0, 2), ['profile 200', 'threads 200'])
    assert.equal(await page.textContent('#kid'), authFingerprint)
    assert.ok(Number(await page.textContent('#refreshes')) >= 1)
  } finally {
    if (context) await context.close()
    rmSync(userDataDir, { recursive: true, force: true })
    await stopSystem(system, 'SIGTERM')
  }
})

test('run stops everything and exits 1 when a service fails to start', async () => {
  // The auth service gets an empty environment file: no ENVIRONMENT, so it
  // fails closed (environment_missing) while the others come up.
  const { code, stdout, stderr, system } = await runToEnd('failed start', ['--env', 'auth=/dev/null'])
  assert.equal(code, 1, stdout + stderr)
  assert.match(stderr, /auth exited during start-up/)
  assert.match(stderr, /environment_missing/)
  assert.deepEqual(Object.keys(system.services).sort(), ['auth', 'page', 'profile', 'threads'])
  await assertNothingLeft(system)
})

test('run stops everything and exits 1 when a service dies while running', async () => {
  const system = await startSystem({ name: 'a service dies', args: ['--only', 'threads,profile'] })
  process.kill(system.services.profile.pid, 'SIGKILL')
  const exit = await system.exited
  assert.deepEqual(exit, { code: 1, signal: null }, system.stderr)
  assert.match(system.stderr, /profile exited/)
  await assertNothingLeft(system)
})

test('run -- COMMAND runs it with the URLs set, exits with its status and stops everything', async () => {
  const probe = `fetch(process.env.E2E_THREADS_URL + '/healthz').then((r) => process.exit(r.status === 200 ? 7 : 1))`
  const { code, stdout, stderr, system } = await runToEnd('run -- COMMAND', ['--only', 'threads', '--', process.execPath, '-e', probe])
  assert.equal(code, 7, stdout + stderr)
  assert.deepEqual(Object.keys(system.services), ['threads'])
  await assertNothingLeft(system)
})
