// The fleet at a glance (issue 22): `jwt-accord check --prometheus` against a
// real Prometheus scraping the three back ends (prometheus.mjs, 1 s scrapes),
// and `check --html` against their live report URLs, the page then loaded in
// headless Debian Chromium: its text and structure from --dump-dom, and a
// screenshot of each state (consistent, a rotation in progress, drift) into
// target/glance-screenshots/ (never committed; paths and sizes printed).
//
// The states are made by restarting the Node API (threads): on its own env
// file, on it plus a JWT_SECRET_STAGING_NEXT (pre-seeded there only: the
// rotation waits for the others), on the drifted env file. Each wait is for
// the next scrape only (a few seconds).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'

import { CLI, ENV, ROOT, fingerprintOf, secretOf } from './helpers.mjs'
import { instances, startService, stopInstance } from './instances.mjs'
import { startPrometheus } from './prometheus.mjs'

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const SHOTS = process.env.GLANCE_SCREENSHOTS || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'glance-screenshots')
const authFingerprint = fingerprintOf(secretOf(ENV.auth))
const driftFingerprint = fingerprintOf(secretOf(ENV.drift))
// A next key for the rotation (a demo value, made for this test only).
const NEXT_SECRET = 'glance-test-next-staging-secret-0123456789abcdef'
const nextFingerprint = fingerprintOf(NEXT_SECRET)

function run(file, args, timeout = 60_000) {
  return new Promise((resolve, reject) => {
    const options = { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', COLUMNS: '120' }, timeout, maxBuffer: 64 << 20 }
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error)
      resolve({ code: error ? error.code : 0, stdout, stderr })
    })
  })
}

/** Headless Chromium on `html`: its DOM (--dump-dom) and a screenshot at `png`. */
async function chromium(html, png) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'jwt-accord-glance-chromium-'))
  const common = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--window-size=1200,900']
  try {
    const dom = await run(CHROMIUM, [...common, '--dump-dom', `file://${html}`])
    assert.equal(dom.code, 0, dom.stderr)
    const shot = await run(CHROMIUM, [...common, `--screenshot=${png}`, `file://${html}`])
    assert.equal(shot.code, 0, shot.stderr)
    return dom.stdout
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}

const count = (text, re) => (text.match(re) || []).length

describe('the fleet at a glance: check --prometheus and check --html on the running system', { timeout: 300_000 }, () => {
  const live = {}
  let prometheus = null
  let tmp = null
  const urls = () => Object.fromEntries(Object.entries(live).map(([service, instance]) => [service, instance.url]))
  const timings = []
  const shots = []

  before(async () => {
    mkdirSync(SHOTS, { recursive: true })
    tmp = mkdtempSync(path.join(os.tmpdir(), 'jwt-accord-glance-'))
    for (const service of ['auth', 'threads', 'profile']) live[service] = await startService(service, ENV[service])
    prometheus = await startPrometheus(urls())
  })

  after(async () => {
    await Promise.all([...instances].map(stopInstance))
    await prometheus?.stop()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
    if (timings.length) console.log(`check --prometheus timings (3 services): ${timings.map((ms) => `${ms} ms`).join(', ')}`)
    for (const shot of shots) console.log(`screenshot ${shot} (${statSync(shot).size} bytes)`)
  })

  /** Prometheus holds threads' series with `fingerprint` in `slot` (the first scrape after a restart). */
  const scraped = (slot, fingerprint) =>
    prometheus.waitFor(`threads ${slot} ${fingerprint} scraped`, async () => {
      const series = await prometheus.query(`jwt_accord_key_info{service="threads",slot="${slot}",fingerprint="${fingerprint}",instance="${new URL(live.threads.url).host}"}`)
      return series.length > 0
    }, 30_000)

  async function restartThreads(envFile) {
    const next = await startService('threads', envFile)
    const old = live.threads
    live.threads = next
    await prometheus.setTargets(urls())
    await stopInstance(old)
    // Prometheus writes the staleness markers of a dropped target's series
    // (its `up` among them) a couple of scrape intervals later: until then the
    // old instance still counts as a target that is down.
    const host = new URL(old.url).host
    await prometheus.waitFor(`the old threads target ${host} gone`, async () =>
      (await prometheus.query(`up{instance="${host}"}`)).length === 0, 30_000)
  }

  /** check --prometheus --json, timed. */
  async function fromPrometheus() {
    const started = performance.now()
    const answer = await run(CLI, ['check', '--prometheus', prometheus.url, '--environment', 'staging', '--json'])
    timings.push(Math.round(performance.now() - started))
    return { ...answer, result: JSON.parse(answer.stdout) }
  }

  /** check --html over the live URLs: the exit status, the human output and the DOM Chromium builds. */
  async function page(name) {
    const html = path.join(SHOTS, `${name}.html`)
    const png = path.join(SHOTS, `${name}.png`)
    const answer = await run(CLI, ['check', `auth:issuer=${live.auth.url}`, `threads:verifier=${live.threads.url}`, `profile:verifier=${live.profile.url}`, '--html', html])
    const dom = await chromium(html, png)
    shots.push(png)
    // The page as Chromium parsed it: the matrix, one cell per service and key.
    assert.equal(count(dom, /<tr id="service-\d+"/g), 3)
    for (const [, target] of dom.matchAll(/href="#([^"]+)"/g)) assert.match(dom, new RegExp(`id="${target}"`))
    assert.doesNotMatch(dom, /<script/)
    return { ...answer, dom }
  }

  test('consistent', async () => {
    await prometheus.waitFor('the three services scraped', async () => (await prometheus.query('jwt_accord_key_info')).length === 3, 30_000)
    const { code, result, stderr } = await fromPrometheus()
    assert.equal(code, 0, stderr)
    assert.equal(result.status, 'consistent')
    assert.deepEqual(result.groups.map((g) => g.services.map((m) => `${m.service}:${m.role ?? 'both'}`)), [['auth:issuer', 'profile:verifier', 'threads:verifier']])
    assert.equal(result.groups[0].fingerprint, authFingerprint)

    const { code: status, stdout, dom } = await page('consistent')
    assert.equal(status, 0)
    assert.match(stdout, /^ {2}auth +issuer +● current$/m)
    assert.match(dom, /id="verdict"[^>]*>✔ consistent · info</)
    assert.equal(count(dom, /class="cell current"/g), 3)
    assert.equal(count(dom, /class="cell missing"/g), 0)
  })

  test('a rotation in progress: threads pre-seeded with a next key the others lack', async () => {
    const env = path.join(tmp, 'threads-next.env')
    writeFileSync(env, `${readFileSync(ENV.threads, 'utf8')}\nJWT_SECRET_STAGING_NEXT=${NEXT_SECRET}\n`)
    await restartThreads(env)
    await scraped('next', nextFingerprint)
    const { code, result, stderr } = await fromPrometheus()
    assert.equal(code, 0, stderr)
    assert.equal(result.status, 'rotating')
    assert.equal(result.rotation.step, 'pre_seed_next')
    assert.deepEqual(result.rotation.waiting_for, ['auth', 'profile'])

    const { code: status, dom } = await page('rotation')
    assert.equal(status, 0)
    assert.match(dom, /id="verdict"[^>]*>◐ rotating · info</)
    assert.match(dom, /id="rotation-step"><strong>pre_seed_next</)
    assert.equal(count(dom, /class="cell next"/g), 1)
    assert.equal(count(dom, /class="cell missing"/g), 0)
  })

  test('drift: threads on another secret; the missing cell is red and the finding points at it', async () => {
    await restartThreads(ENV.drift)
    await scraped('current', driftFingerprint)
    const { code, result, stderr } = await fromPrometheus()
    assert.equal(code, 1, stderr)
    assert.equal(result.status, 'drift')
    assert.equal(result.level, 'critical')
    assert.match(result.findings[0], new RegExp(`^threads resolves JWT_SECRET_STAGING \\(${driftFingerprint}\\) but auth`))

    const { code: status, stdout, dom } = await page('drift')
    assert.equal(status, 1)
    assert.match(stdout, /^ {2}threads +verifier +✖ missing +● current$/m)
    assert.match(dom, /id="verdict"[^>]*>✖ drift · critical</)
    const missing = [...dom.matchAll(/<td id="(cell-\d+-\d+)" class="cell missing">✖ missing/g)]
    assert.equal(missing.length, 1)
    assert.match(dom, new RegExp(`<li id="finding-1">threads resolves[^]*?href="#${missing[0][1]}"`))
  })

  test('a stopped service: an unreachable failure naming its instance', async () => {
    const { host } = new URL(live.profile.url)
    await stopInstance(live.profile)
    await prometheus.waitFor('the profile target down', async () => (await prometheus.targets()).some((t) => t.labels.e2e_service === 'profile' && t.health === 'down'), 30_000)
    const { code, result } = await fromPrometheus()
    assert.equal(code, 1)
    const failure = result.failures.find((f) => f.service === 'profile')
    assert.ok(failure, JSON.stringify(result.failures))
    assert.equal(failure.code, 'unreachable')
    assert.match(failure.message, new RegExp(`target ${host} \\(job jwt-accord-e2e\\): up == 0`))
  })
})
