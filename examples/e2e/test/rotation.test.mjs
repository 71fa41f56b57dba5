// The rotation rehearsal under load (issue 16 item 6), and docs/rotation.md's
// `jwt-accord check` outputs compared with reality (item 7).
//
// The three back ends run in staging, each started alone with examples/e2e/run
// (`--only SERVICE --env SERVICE=FILE`) from an env file in a temporary
// directory: the auth service (Python) from variables, the threads API (Node)
// through JWT_SECRET_STAGING_FILE, the profile service (Rust) from a directory
// store (CREDENTIALS_DIRECTORY). A load generator in this process logs in and
// calls both APIs continuously (a few workers, bounded in time and count),
// counting answers by status in each phase. A service is restarted the way a
// rolling deploy does it: the new instance starts (on a new port) with the new
// env file, the load switches to it once it answers /healthz, and the old one
// is stopped after a short drain. Connection errors are counted apart
// ("unavailable"); a 401 is a refusal.
//
//   1. pre-seed the new secret as _NEXT on every service, one at a time;
//   2. switch the issuer: new secret current, old one _PREVIOUS;
//   3. once the longest token lifetime has passed, retire the old secret.
// Zero refusals throughout; `jwt-accord check` on the env files says what
// docs/rotation.md shows during and after each step (rotating while services
// differ, consistent once all hold the same keys: after step 1, with the
// rotation step switch_issuers, and after step 3). Then the wrong order: the issuer switches to another secret first:
// refusals (unknown_key naming both fingerprints) and `check` reports drift.
// A real Prometheus (prometheus.mjs) scrapes the live instances every second
// with the shipped alert rules: from the first start to the end of the correct
// rotation, no critical alert is ever pending or firing (ALERTS over that range).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'

import { CLI, ENV, ROOT, fingerprintOf, secretOf } from './helpers.mjs'
import { instances, startService as start, stopInstance } from './instances.mjs'
import { startPrometheus } from './prometheus.mjs'

// Demo values made for this rehearsal only (`jwt-accord generate`).
const OLD = secretOf(ENV.auth)
const NEW = 'EB6NhwHMWuYzyy+iTV0LJIU5dQCFJQ9ESt1vNPZkMsLAGPxz1HoMs8QxD8lSW4xA'
const WRONG = 'oE6HhQM1VvIDo0JgsrNZJwy9WowQdcmd5ooHdwHLgLPi1MGJDk81kehUdjSOmz4t'

const TOKEN_TTL = 10 // seconds: the auth service's ACCESS_TOKEN_TTL
const TOKEN_REUSE_MS = 1500 // a worker logs in again after this long
const WORKERS = 3
const PAUSE_MS = 20 // between a worker's iterations: the CI machine has 2 cores
const LOAD_MAX_MS = 180_000
const LOAD_MAX_REQUESTS = 40_000
const DRAIN_MS = 400
const USER = { username: 'ada', password: 'lovelace-1815' }

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const fp = fingerprintOf

// ------------------------------------------------------------ docs/rotation.md

const RUNBOOK = readFileSync(path.join(ROOT, 'docs', 'rotation.md'), 'utf8')

/** The fenced block right after `<!-- label -->` in docs/rotation.md. */
function runbookBlock(label) {
  const at = RUNBOOK.indexOf(`<!-- ${label} -->\n`)
  if (at < 0) throw new Error(`docs/rotation.md has no <!-- ${label} --> block`)
  return /```\w*\n([\s\S]*?)\n```/.exec(RUNBOOK.slice(at))[1]
}

// ------------------------------------------------------------ the services

const tmp = mkdtempSync(path.join(os.tmpdir(), 'jwt-accord-rotation-'))
const CREDENTIALS = path.join(tmp, 'credentials') // the profile service's directory store
mkdirSync(CREDENTIALS)
const envFile = (service) => path.join(tmp, `${service}.env`)
const secretFile = (name, value) => {
  const file = path.join(tmp, name)
  writeFileSync(file, `${value}\n`, { mode: 0o600 })
  return file
}
const storeEntry = (name, value) => {
  const file = path.join(CREDENTIALS, name)
  if (value === null) rmSync(file, { force: true })
  else writeFileSync(file, `${value}\n`, { mode: 0o600 })
}

/** Each service's configuration: its env file (and files), written before it starts. */
const configure = {
  auth({ current, next = null, previous = null }) {
    const lines = ['ENVIRONMENT=staging', `JWT_SECRET_STAGING=${current}`]
    if (next) lines.push(`JWT_SECRET_STAGING_NEXT=${next}`)
    if (previous) lines.push(`JWT_SECRET_STAGING_PREVIOUS=${previous}`)
    writeFileSync(envFile('auth'), `${lines.join('\n')}\n`)
  },
  threads({ current, next = null }) {
    const lines = ['ENVIRONMENT=staging', `JWT_SECRET_STAGING_FILE=${secretFile(`threads-${fp(current)}`, current)}`]
    if (next) lines.push(`JWT_SECRET_STAGING_NEXT_FILE=${secretFile(`threads-${fp(next)}`, next)}`)
    writeFileSync(envFile('threads'), `${lines.join('\n')}\n`)
  },
  profile({ current, next = null }) {
    storeEntry('jwt-secret-staging', current)
    storeEntry('jwt-secret-staging-next', next)
    writeFileSync(envFile('profile'), `ENVIRONMENT=staging\nCREDENTIALS_DIRECTORY=${CREDENTIALS}\n`)
  },
}

const live = {} // service -> its instance the load uses
let prometheus = null // scrapes the live instances; evaluates the alert rules

/** Starts SERVICE alone with examples/e2e/run from its env file (instances.mjs). */
const startService = (service) => start(service, envFile(service), { ACCESS_TOKEN_TTL: String(TOKEN_TTL) })

/** Prometheus scrapes the instances the load uses (not the draining ones). */
async function scrapeLive() {
  if (prometheus) await prometheus.setTargets(Object.fromEntries(Object.entries(live).map(([s, i]) => [s, i.url])))
}

/** A rolling restart of SERVICE with a new configuration: new instance up, load switched, old one drained and stopped. */
async function rollOut(service, keys) {
  configure[service](keys)
  const next = await startService(service)
  const old = live[service]
  live[service] = next
  await scrapeLive()
  await sleep(DRAIN_MS)
  if (old) await stopInstance(old)
  return next
}

// ------------------------------------------------------------ the load

const load = { phase: 'baseline', phases: new Map(), sent: 0, stop: false, deadline: Date.now() + LOAD_MAX_MS, lastOldKeyAt: 0 }

function phaseStats(name) {
  if (!load.phases.has(name)) {
    load.phases.set(name, { name, start: Date.now(), end: null, sent: 0, refused: 0, unavailable: 0, statuses: {}, slots: {}, refusals: [] })
  }
  return load.phases.get(name)
}

function enterPhase(name) {
  const now = Date.now()
  phaseStats(load.phase).end ??= now
  load.phase = name
  phaseStats(name).start = now
}

/** One request, counted in the phase it started in: { status, body } or null when the service was unavailable. */
async function call(service, url, init) {
  const stats = phaseStats(load.phase)
  stats.sent += 1
  load.sent += 1
  const key = `${service} ${init.method || 'GET'}`
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
    const text = await response.text()
    stats.statuses[`${key} ${response.status}`] = (stats.statuses[`${key} ${response.status}`] || 0) + 1
    let body = null
    try {
      body = JSON.parse(text)
    } catch {
      body = { text }
    }
    if (response.status === 401) {
      stats.refused += 1
      if (stats.refusals.length < 5) stats.refusals.push({ service, body })
    }
    if (service === 'profile' && response.status === 200) {
      stats.slots[body.key_slot] = (stats.slots[body.key_slot] || 0) + 1
      if (body.key_fingerprint === fp(OLD)) load.lastOldKeyAt = Date.now()
    }
    return { status: response.status, body }
  } catch (error) {
    stats.unavailable += 1
    stats.statuses[`${key} unavailable`] = (stats.statuses[`${key} unavailable`] || 0) + 1
    return null
  }
}

async function worker() {
  let token = null
  let tokenAt = 0
  while (!load.stop && Date.now() < load.deadline && load.sent < LOAD_MAX_REQUESTS) {
    if (token === null || Date.now() - tokenAt > TOKEN_REUSE_MS) {
      const answer = await call('auth', `${live.auth.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(USER),
      })
      if (answer?.status !== 200) {
        token = null
        await sleep(50)
        continue
      }
      token = answer.body.access_token
      tokenAt = Date.now()
    }
    const headers = { authorization: `Bearer ${token}` }
    await Promise.all([
      call('threads', `${live.threads.url}/api/threads`, { headers }),
      call('profile', `${live.profile.url}/api/profile`, { headers }),
    ])
    await sleep(PAUSE_MS)
  }
}

/** Waits until `predicate()` holds (checked every 50 ms), at most `ms`. */
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(50)
  }
}

/** Lets the load run in the current phase until it has made `count` more requests (at most 30 s). */
async function loadFor(count) {
  const target = phaseStats(load.phase).sent + count
  await until(() => phaseStats(load.phase).sent >= target, 30_000, `${count} requests in phase ${load.phase}`)
}

// ------------------------------------------------------------ check

/** `jwt-accord check` over the env files, as docs/rotation.md shows it: { code, stdout, stderr }. */
function check() {
  const [command, ...args] = runbookBlock('rotation: check command').trim().split(/\s+/)
  assert.equal(command, 'jwt-accord')
  return new Promise((resolve, reject) => {
    execFile(CLI, args, { cwd: tmp, env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error)
      resolve({ code: error ? error.code : 0, stdout, stderr })
    })
  })
}

async function assertCheck(label, code, status) {
  const result = await check()
  assert.equal(result.code, code, `check ${label}: exit ${result.code}\n${result.stdout}${result.stderr}`)
  assert.match(result.stdout, new RegExp(`^  status +${status}$`, 'm'))
  assert.equal(result.stdout.trimEnd(), runbookBlock(`rotation: check ${label}`), `docs/rotation.md shows check ${label}`)
}

// ------------------------------------------------------------ the rehearsal

let workers = []

after(async () => {
  load.stop = true
  await Promise.race([Promise.all(workers), sleep(15_000)])
  await Promise.all([...instances].map(stopInstance))
  await prometheus?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

test('rotation under load: pre-seed, switch, retire drops no request; the wrong order does', { timeout: 300_000 }, async () => {
  const started = Date.now()
  configure.auth({ current: OLD })
  configure.threads({ current: OLD })
  configure.profile({ current: OLD })
  for (const service of ['auth', 'threads', 'profile']) live[service] = await startService(service)
  assert.equal(live.threads.summary, `jwt-accord environment=staging source=JWT_SECRET_STAGING file=${path.join(tmp, `threads-${fp(OLD)}`)} fingerprint=sha256:${fp(OLD)} warnings=0`)
  assert.match(live.profile.summary, new RegExp(`source=jwt-secret-staging .*fingerprint=sha256:${fp(OLD)} warnings=0$`))
  await assertCheck('before', 0, 'consistent')
  prometheus = await startPrometheus(Object.fromEntries(Object.entries(live).map(([s, i]) => [s, i.url])))
  const watched = Date.now()
  await prometheus.waitFor('Prometheus to scrape the three services', async () => (await prometheus.query('up == 1')).length === 3, 30_000)

  workers = Array.from({ length: WORKERS }, worker)
  await loadFor(60)

  // 1. Pre-seed the new secret as next, one service at a time.
  enterPhase('1 pre-seed next')
  await rollOut('threads', { current: OLD, next: NEW })
  await assertCheck('during step 1', 0, 'rotating')
  await rollOut('profile', { current: OLD, next: NEW })
  await rollOut('auth', { current: OLD, next: NEW })
  for (const service of ['auth', 'threads', 'profile']) {
    assert.match(live[service].summary, new RegExp(`fingerprint=sha256:${fp(OLD)} next=sha256:${fp(NEW)} `))
  }
  await loadFor(30)
  await assertCheck('after step 1', 0, 'consistent') // every service alike: docs/spec.md §14

  // 2. Switch the issuer: the new secret current, the old one previous.
  enterPhase('2 switch issuer')
  await rollOut('auth', { current: NEW, previous: OLD })
  await loadFor(30)
  await assertCheck('after step 2', 0, 'rotating')

  // The longest token lifetime passes: the old key stops arriving (key_slot).
  enterPhase('wait token lifetime')
  const switched = Date.now()
  // Safe once the lifetime has passed since the switch; the runbook's signal:
  // no verification under the old key for a while (here 3 s).
  await until(
    () => Date.now() - switched > (TOKEN_TTL + 1) * 1000 && Date.now() - load.lastOldKeyAt > 3000,
    40_000,
    'the token lifetime, and no token under the old key',
  )

  // 3. Retire the old secret everywhere: verifiers promote next to current.
  enterPhase('3 retire previous')
  await rollOut('threads', { current: NEW })
  await rollOut('profile', { current: NEW })
  await rollOut('auth', { current: NEW })
  await loadFor(30)
  await assertCheck('after step 3', 0, 'consistent')

  enterPhase('after rotation')
  await loadFor(60)

  // Prometheus watched it all (the rules as shipped, evaluated every second):
  // no critical alert was ever pending or firing.
  await sleep(2_000) // two more evaluations
  const seconds = Math.ceil((Date.now() - watched) / 1000)
  const critical = await prometheus.query(`ALERTS{severity="critical"}[${seconds}s]`)
  assert.deepEqual(critical.map((s) => s.metric), [], `no critical alert in the ${seconds} s of the rotation`)
  const other = await prometheus.query(`ALERTS[${seconds}s]`)
  console.log(`  Prometheus: ${seconds} s of the rotation watched; alerts pending or firing: ${other.map((s) => JSON.stringify(s.metric)).join(', ') || 'none'}`)
  // Every service scraped (polled: a restarted instance's first scrape can
  // trail its start by a reload and an interval on a loaded machine).
  const scraped = async () =>
    (await prometheus.query('sum by (service) (jwt_accord_verifications_total{result="ok"})')).map((s) => s.metric.service).sort()
  await prometheus.waitFor('every service scraped', async () => (await scraped()).length === 3, 15_000).catch(() => {})
  assert.deepEqual(await scraped(), ['auth', 'profile', 'threads'], `every service scraped: ${JSON.stringify(await prometheus.targets())}`)

  // The wrong order: the issuer switches to another secret before any verifier holds it.
  enterPhase('wrong order')
  await rollOut('auth', { current: WRONG, previous: NEW })
  await until(() => phaseStats('wrong order').refused >= 6, 30_000, 'refusals after the wrong switch')
  await assertCheck('wrong order', 1, 'drift')
  enterPhase('end')
  load.stop = true
  await Promise.race([Promise.all(workers), sleep(15_000)])

  // The numbers.
  const rows = [...load.phases.values()].filter((p) => p.name !== 'end')
  console.log(`rotation rehearsal: ${load.sent} requests by ${WORKERS} workers in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  for (const p of rows) {
    const other = Object.entries(p.statuses).filter(([key]) => !/ 200$/.test(key))
    if (other.length) console.log(`  ${p.name}: ${other.map(([key, n]) => `${key}: ${n}`).join(', ')}`)
    const seconds = (((p.end ?? Date.now()) - p.start) / 1000).toFixed(1)
    const slots = Object.entries(p.slots).map(([slot, n]) => `${slot} ${n}`).join(', ')
    console.log(`  ${p.name.padEnd(20)} ${seconds.padStart(5)} s  sent ${String(p.sent).padStart(5)}  refused ${String(p.refused).padStart(4)}  unavailable ${p.unavailable}  profile key_slot: ${slots || '-'}`)
  }

  for (const p of rows.filter((p) => p.name !== 'wrong order')) {
    assert.ok(p.sent > 0, `phase ${p.name} sent requests`)
    assert.equal(p.refused, 0, `phase ${p.name}: no request refused; ${JSON.stringify(p.refusals)}`)
  }
  const wrong = load.phases.get('wrong order')
  assert.ok(wrong.refused > 0, 'the wrong order refuses requests')
  for (const { service, body } of wrong.refusals) {
    assert.equal(body.code, 'unknown_key', `${service}: ${JSON.stringify(body)}`)
    assert.ok(body.message.includes(fp(WRONG)), `${service} names the token's key: ${body.message}`)
    assert.ok(body.message.includes(fp(NEW)), `${service} names the key it holds: ${body.message}`)
  }
  console.log(`  wrong order: ${wrong.refusals[0].service} answered ${JSON.stringify(wrong.refusals[0].body)}`)
})
