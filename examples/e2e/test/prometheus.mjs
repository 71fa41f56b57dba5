// A real Prometheus for the end-to-end tests (issue 17): Debian's
// /usr/bin/prometheus (scripts/setup.sh prometheus) on a free port of
// 127.0.0.1, scraping the services' GET /metrics every second and evaluating
// the repository's alert rules (deploy/prometheus/jwt-accord.rules.yml, as
// shipped) every second, with its configuration and TSDB in a temporary
// directory.
//
// Targets are static_configs; a service restarted on another port is
// followed by rewriting the configuration and asking Prometheus to reload it
// (POST /-/reload, --web.enable-lifecycle). stop() kills its process group
// (SIGTERM, SIGKILL after 5 s) and removes the directory, whatever happened:
// call it from an after() hook.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Not from helpers.mjs, which loads the addon and playwright-core.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const PROMETHEUS = process.env.PROMETHEUS || '/usr/bin/prometheus'
export const RULES = path.join(ROOT, 'deploy', 'prometheus', 'jwt-accord.rules.yml')

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** A port on 127.0.0.1 that was free a moment ago (bound by the OS, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** The configuration: `targets` maps a service name to its URL (http://127.0.0.1:PORT). */
function config(targets) {
  // JSON is YAML: no YAML writer needed.
  return JSON.stringify(
    {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [RULES],
      scrape_configs: [
        {
          job_name: 'jwt-accord-e2e',
          metrics_path: '/metrics',
          static_configs: Object.entries(targets).map(([service, url]) => ({
            targets: [new URL(url).host],
            labels: { e2e_service: service },
          })),
        },
      ],
    },
    null,
    2,
  )
}

/**
 * Starts Prometheus scraping `targets` ({ service: url }); resolves once it
 * answers /-/ready (at most 30 s) with
 *   { url, query(expr), alerts(), targets(), setTargets(targets), waitFor(what, fn, ms), log(), stop() }.
 * A port taken between picking and binding is tried again (3 attempts).
 */
export async function startPrometheus(targets) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jwt-accord-prometheus-'))
  const file = path.join(dir, 'prometheus.yml')
  writeFileSync(file, config(targets))
  for (let attempt = 1; ; attempt += 1) {
    const prometheus = launch(dir, file, await freePort())
    try {
      await prometheus.ready()
      return prometheus
    } catch (error) {
      await prometheus.stop({ keepDir: true })
      if (attempt >= 3 || !/address already in use/i.test(prometheus.log())) {
        rmSync(dir, { recursive: true, force: true })
        throw error
      }
    }
  }
}

function launch(dir, file, port) {
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${file}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    // Its own process group, so that stop() reaches anything it started.
    { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exit = null
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve((exit = { code, signal })))
    child.once('error', (error) => resolve((exit = { code: null, signal: null, error })))
  })

  /** GET (or POST) path on Prometheus; the parsed JSON's `data`. */
  async function api(pathAndQuery, init = {}) {
    const response = await fetch(`${url}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(5_000) })
    const body = await response.json()
    if (body.status !== 'success') throw new Error(`prometheus ${pathAndQuery}: ${JSON.stringify(body)}`)
    return body.data
  }

  const prometheus = {
    url,
    log: () => output,

    async ready() {
      const deadline = Date.now() + 30_000
      for (;;) {
        if (exit) throw new Error(`prometheus exited (${JSON.stringify(exit)}) before it was ready:\n${output}`)
        try {
          const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })
          if (response.status === 200) return
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`prometheus not ready within 30 s:\n${output}`)
        await sleep(100)
      }
    },

    /** An instant query: the result vector ([{ metric, value: [t, "v"] }]) or matrix for a range selector. */
    query: (expr) => api(`/api/v1/query?query=${encodeURIComponent(expr)}`).then((data) => data.result),

    /** The alerts now pending or firing: [{ labels, annotations, state, activeAt, value }]. */
    alerts: () => api('/api/v1/alerts').then((data) => data.alerts),

    /** The active scrape targets: [{ labels, health, lastError, scrapeUrl, ... }]. */
    targets: () => api('/api/v1/targets?state=active').then((data) => data.activeTargets),

    /** Scrapes these targets from now on (the file rewritten, then reloaded). */
    async setTargets(next) {
      writeFileSync(file, config(next))
      const response = await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) })
      if (response.status !== 200) throw new Error(`prometheus reload: ${response.status} ${await response.text()}`)
    },

    /** Polls `fn` (async) every 250 ms until it answers a truthy value, which it returns; at most `ms`. */
    async waitFor(what, fn, ms) {
      const deadline = Date.now() + ms
      for (;;) {
        const value = await fn()
        if (value) return value
        if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`)
        await sleep(250)
      }
    },

    /** Kills its process group (SIGTERM, then SIGKILL after 5 s) and removes its directory. */
    async stop({ keepDir = false } = {}) {
      const group = (signal) => {
        try {
          process.kill(-child.pid, signal)
        } catch {
          // already gone
        }
      }
      if (child.pid && !exit) {
        group('SIGTERM')
        const timer = setTimeout(() => group('SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
      }
      if (child.pid) group('SIGKILL') // anything left in its group
      if (!keepDir) rmSync(dir, { recursive: true, force: true })
    },
  }
  return prometheus
}

/** The alerts named `name` in `state` ('firing' or 'pending'). */
export const alertsNamed = (alerts, name, state = 'firing') =>
  alerts.filter((alert) => alert.labels.alertname === name && alert.state === state)
