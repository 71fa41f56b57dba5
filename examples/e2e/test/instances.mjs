// One back end started alone with examples/e2e/run (`--only SERVICE --env
// SERVICE=FILE`), for the tests that restart services one at a time (the
// rotation rehearsal, the running fleet): started on a free port, stopped with
// run's own clean-up, and killed (its process groups, its log directory)
// should run not stop within 15 s.
import { execFileSync, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'

import { ROOT, RUN } from './helpers.mjs'

/** Every instance started, until it has exited. */
export const instances = new Set()

/**
 * Starts SERVICE alone with examples/e2e/run from `envFile` (extra variables
 * in `env`); resolves once it answers /healthz with
 * { service, child, pid, url, summary, stdout, stderr, exited }. run picks a
 * free port, releases it and the service binds it: another process may take
 * it in between (EADDRINUSE), and then the start is tried again, at most 3
 * times in all.
 */
export async function startService(service, envFile, env = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(service, envFile, env)
    } catch (error) {
      if (attempt >= 3 || !/Address already in use|EADDRINUSE/.test(error.message)) throw error
      console.log(`${service}: its port was taken before it could listen; starting it again`)
    }
  }
}

function startOnce(service, envFile, extra) {
  const env = { ...process.env, ...extra }
  delete env.CREDENTIALS_DIRECTORY
  const child = spawn(RUN, ['--only', service, '--env', `${service}=${envFile}`], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const instance = { service, child, stdout: '', stderr: '', pid: null, url: null, summary: null }
  instance.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  instances.add(instance)
  instance.exited.then(() => instances.delete(instance))
  child.stdout.on('data', (chunk) => (instance.stdout += chunk))
  child.stderr.on('data', (chunk) => (instance.stderr += chunk))
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer)
      clearInterval(poll)
      child.kill('SIGTERM')
      reject(new Error(`${service}: ${why}\n--- run stdout ---\n${instance.stdout}\n--- run stderr ---\n${instance.stderr}`))
    }
    const timer = setTimeout(() => fail('not ready within 90 s'), 90_000)
    instance.exited.then(({ code }) => fail(`run exited with ${code} before it was ready`))
    const poll = setInterval(() => {
      if (!instance.stdout.includes('Ctrl-C stops everything')) return
      const started = /^started \w+ +pid (\d+) +port (\d+)$/m.exec(instance.stdout)
      const summary = /^summary +\w+ +(.*)$/m.exec(instance.stdout)
      if (!started || !summary) return
      clearTimeout(timer)
      clearInterval(poll)
      instance.pid = Number(started[1])
      instance.url = `http://127.0.0.1:${started[2]}`
      instance.summary = summary[1]
      resolve(instance)
    }, 50)
  })
}

/**
 * Stops an instance: SIGTERM to run, which stops its service. Should run not
 * exit within 15 s, every process group it started (the service, its log
 * follower) and run itself are killed, and its log directory removed.
 */
export async function stopInstance(instance) {
  if (!instances.has(instance)) return
  const started = Date.now()
  instance.child.kill('SIGTERM')
  const timer = setTimeout(() => {
    console.log(`${instance.service}: run did not stop within 15 s; killing it and what it started`)
    let children = []
    try {
      children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(instance.child.pid)], { encoding: 'utf8' })
        .split(/\s+/)
        .filter(Boolean)
        .map(Number)
    } catch {
      // no child left
    }
    for (const pid of [instance.pid, ...children]) if (pid) killGroup(pid)
    instance.child.kill('SIGKILL')
    const logs = /^logs +(.*)$/m.exec(instance.stdout)?.[1]
    if (logs) rmSync(logs, { recursive: true, force: true })
  }, 15_000)
  await instance.exited
  clearTimeout(timer)
  const seconds = (Date.now() - started) / 1000
  if (seconds > 5) console.log(`${instance.service}: stopping took ${seconds.toFixed(1)} s`)
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
