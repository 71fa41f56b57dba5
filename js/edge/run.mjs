#!/usr/bin/env node
// The edge test (`make test-edge`, scripts/test-edge.sh): jwt-accord-wasm in
// each runtime and bundle an edge or front-end author uses, through the
// package's public entry (its `exports` map picks the file):
//
//   node, deno, bun       run app/main.mjs as it is (Deno with no permission)
//   workerd               app/worker.mjs bundled as wrangler bundles a Worker
//                         (esbuild, conditions workerd/worker/browser, the
//                         .wasm a separate module), run by `workerd test` with
//                         the Worker's own env (text, and a KV namespace and a
//                         service bound under names the core reads)
//   esbuild node          a self-contained bundle of main.mjs, run by Node
//   bun build             bundles of main.mjs for Bun and for Node, and a
//                         `bun build --compile` executable
//   vite, esbuild browser pages built from app/page.mjs, served on 127.0.0.1
//                         and loaded in headless Chromium (Debian's)
//   vite tokens entry     app/tokens/page.mjs: `jwt-accord-wasm/tokens` (the
//                         tokens-only module) built by Vite, in Chromium: the
//                         addon's token, claims and decoded token, and every
//                         token vector it can run (TOKEN_FILES, tokenVectors)
//
// Each runs js/edge/checks.mjs: resolve the secret from an env holding
// non-string bindings too, sign, verify, decodeUnverified, three verification
// failures (class, .code, details), then every conformance vector. The record
// must equal, byte for byte, the one the napi addon gives in this process, and
// the vector tokens the vectors' own. Bundles run from a directory with no
// node_modules, so they pass only if they carry everything they need; the
// package is installed from its `npm pack` tarball, so it passes only if the
// tarball holds every file an entry needs.
//
// Prints a line per target and `edge: N passed, M failed`; exits 1 on any
// failure. Every child runs in its own process group, killed at its time
// limit; the server and the browser are closed, the temporary directory removed.
//
// Usage: node js/edge/run.mjs [TARGET...]   (after scripts/build.sh wasm node)
// Env:   JWT_ACCORD_EDGE_TIMEOUT_MS (per target, default 120000), CHROMIUM
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'

import { EXECUTABLE, launch, pageResult, serveDirectory, stopServer } from '../browser/chromium.mjs'
import { MARK, observe, withBindings } from './checks.mjs'
import { bundleWorker } from './workerd.mjs'
import { FILES, TOKEN_FILES, tokenVectors } from '../test/conformance.mjs'
import { loadVectors } from '../test/vectors.mjs'

const JS = fileURLToPath(new URL('..', import.meta.url))
const BIN = path.join(JS, 'node_modules/.bin')
const WASM_PACKAGE = path.join(JS, 'wasm')
const TIMEOUT_MS = Number(process.env.JWT_ACCORD_EDGE_TIMEOUT_MS || 120_000)
const require = createRequire(import.meta.url)

/** What every runtime signs and verifies. The secret is a test value, nothing real. */
const INPUTS = {
  env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: 'edge-test-secret-5f0c2a9e71d84b36a0e9c1d7f2b4' },
  claims: { sub: 'user-1', scope: ['read', 'write'], meta: { n: 1.5, ok: true, none: null, text: 'é ✓' } },
  now: 1_700_000_000,
  signOptions: { expiresIn: 900, issuer: 'auth', audience: 'api' },
  verifyOptions: { issuer: 'auth', audience: 'api' },
}
/** What the record must hold whatever the addon says (so that two equal mistakes cannot pass). */
const FAILURE_CODES = { tampered_signature: 'invalid_signature', expired: 'expired', wrong_audience: 'invalid_audience' }

// ------------------------------------------------------------------ processes

const children = new Set()
let workDir

function killAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll()
    if (workDir) rmSync(workDir, { recursive: true, force: true })
    process.exit(130)
  })
}

/** Runs a program in its own process group; resolves with its output (never rejects). */
function exec(command, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    children.add(child)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }, TIMEOUT_MS)
    const done = (code, error) => {
      clearTimeout(timer)
      children.delete(child)
      resolve({ code, stdout, stderr: error ? String(error) : stderr, timedOut })
    }
    child.on('error', (error) => done(null, error))
    child.on('close', (code) => done(code))
  })
}

/** The record a program printed after MARK, or an error naming what went wrong. */
async function program(command, args, cwd) {
  const out = await exec(command, args, cwd)
  const line = out.stdout.split('\n').find((l) => l.startsWith(MARK))
  if (out.code === 0 && line) return JSON.parse(line.slice(MARK.length))
  const why = out.timedOut ? `timed out after ${TIMEOUT_MS} ms` : `exit ${out.code}`
  return { error: `${path.basename(command)} ${args.join(' ')}: ${why}\n${(out.stderr || out.stdout).trim().slice(-2000)}` }
}

async function version(command, args = ['--version']) {
  const out = await exec(command, args, JS)
  return out.stdout.trim().split('\n')[0]
}

// ------------------------------------------------------------------ the project

/**
 * An author's project: the app files, the inputs, and node_modules/jwt-accord-wasm
 * as npm installs it from the package's tarball (`npm pack`: only the files the
 * package lists, so a file missing from `files` fails here).
 */
function makeProject(root, vectors) {
  const project = path.join(root, 'project')
  cpSync(new URL('./app/', import.meta.url), project, { recursive: true })
  copyFileSync(new URL('./checks.mjs', import.meta.url), path.join(project, 'checks.mjs'))
  copyFileSync(new URL('../test/conformance.mjs', import.meta.url), path.join(project, 'conformance.mjs'))
  writeFileSync(path.join(project, 'inputs.mjs'), `export default ${JSON.stringify({ ...INPUTS, vectors })}\n`)
  const installed = path.join(project, 'node_modules/jwt-accord-wasm')
  mkdirSync(installed, { recursive: true })
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root, WASM_PACKAGE], { cwd: root, encoding: 'utf8' }),
  )
  execFileSync('tar', ['xzf', path.join(root, packed[0].filename), '-C', installed, '--strip-components=1'])
  const manifest = { name: 'edge-app', private: true, type: 'module', dependencies: { 'jwt-accord-wasm': packed[0].version } }
  writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest)}\n`)
  return project
}

/** A directory for one bundle, outside the project (no node_modules to fall back on). */
function bundleDir(root, name) {
  const dir = path.join(root, 'bundles', name)
  mkdirSync(dir, { recursive: true })
  return dir
}

// ------------------------------------------------------------------ targets

const esbuild = () => require('esbuild')

async function workerd(project, root) {
  const dir = bundleDir(root, 'workerd')
  const wasm = await bundleWorker(path.join(project, 'worker.mjs'), dir)
  if (wasm.length !== 1) return { error: `the Worker bundle imports ${wasm.length} .wasm modules, expected 1` }
  const text = (value) => JSON.stringify(value)
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edge),
    (name = "store", worker = .store),
  ],
);
const edge :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = ${text(wasm[0])}, wasm = embed ${text(wasm[0])}),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
${Object.entries(INPUTS.env).map(([name, value]) => `    (name = ${text(name)}, text = ${text(value)}),`).join('\n')}
    (name = "JWT_SECRET", kvNamespace = "store"),
    (name = "JWT_SECRET_PRODUCTION", service = "store"),
  ],
);
const store :Workerd.Worker = (
  modules = [(name = "store.mjs", esModule = "export default { fetch() { return new Response('') } }")],
  compatibilityDate = "2025-09-01",
);
`
  writeFileSync(path.join(dir, 'config.capnp'), config)
  return program(path.join(BIN, 'workerd'), ['test', 'config.capnp'], dir)
}

async function esbuildNode(project, root) {
  const dir = bundleDir(root, 'esbuild-node')
  await esbuild().build({
    entryPoints: [path.join(project, 'main.mjs')],
    outfile: path.join(dir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
  })
  return program(process.execPath, ['main.mjs'], dir)
}

async function bunBuild(project, root, target) {
  const dir = bundleDir(root, `bun-build-${target}`)
  const built = await exec(path.join(BIN, 'bun'), ['build', path.join(project, 'main.mjs'), `--target=${target}`, '--outfile', path.join(dir, 'main.mjs')], project)
  if (built.code !== 0) return { error: `bun build --target=${target}: ${built.stderr || built.stdout}` }
  return program(target === 'node' ? process.execPath : path.join(BIN, 'bun'), ['main.mjs'], dir)
}

async function bunCompile(project, root) {
  const dir = bundleDir(root, 'bun-compile')
  const executable = path.join(dir, 'edge-app')
  const built = await exec(path.join(BIN, 'bun'), ['build', '--compile', path.join(project, 'main.mjs'), '--outfile', executable], project)
  if (built.code !== 0) return { error: `bun build --compile: ${built.stderr || built.stdout}` }
  return program(executable, [], dir)
}

/** The page built by Vite (production build): Vite emits the .wasm as an asset. */
async function viteBuild(project, root, name = 'vite') {
  const dir = bundleDir(root, name)
  const { build } = await import('vite')
  await build({ root: project, configFile: false, logLevel: 'error', build: { outDir: dir, emptyOutDir: true, target: 'es2022' } })
  return dir
}

/** The page bundled by esbuild for browsers; the .wasm copied next to the bundle, as esbuild users do. */
async function esbuildBrowser(project, root) {
  const dir = bundleDir(root, 'esbuild-browser')
  await esbuild().build({
    entryPoints: [path.join(project, 'page.mjs')],
    outfile: path.join(dir, 'page.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    logLevel: 'error',
  })
  copyFileSync(path.join(project, 'node_modules/jwt-accord-wasm/pkg-web/jwt_accord_bg.wasm'), path.join(dir, 'jwt_accord_bg.wasm'))
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./page.js"></script>\n')
  return dir
}

/** Loads each built page in one Chromium; resolves to a record per page. */
async function inChromium(pages) {
  const browser = await launch()
  const records = {}
  try {
    for (const [name, dir] of Object.entries(pages)) {
      const server = await serveDirectory(dir)
      try {
        const { value, problems } = await pageResult(browser, `http://127.0.0.1:${server.address().port}/`, '__jwtAccordEdge', TIMEOUT_MS)
        records[name] = problems.length > 0 ? { error: problems.join('\n'), ...value } : value
      } catch (error) {
        records[name] = { error: String((error && error.message) || error) }
      } finally {
        await stopServer(server)
      }
    }
    return { records, version: browser.version() }
  } finally {
    await browser.close()
  }
}

// ------------------------------------------------------------------ checks

/** Why a record differs from the expected one (empty: it does not). */
function compare(record, expected, vectorTokens, total) {
  if (!record || record.error) return [String(record ? record.error : 'no record')]
  const errors = []
  for (const key of Object.keys(expected)) {
    if (!isDeepStrictEqual(record.observed?.[key], expected[key])) {
      errors.push(`${key}: got ${JSON.stringify(record.observed?.[key]).slice(0, 400)}, the addon gives ${JSON.stringify(expected[key]).slice(0, 400)}`)
    }
  }
  const v = record.vectors
  if (!v) errors.push('no vectors ran')
  else {
    for (const failure of v.failures) errors.push(`vector ${failure.file}/${failure.name}: ${failure.message}`)
    if (v.passed + v.failed !== total || v.failed !== 0) errors.push(`vectors: ${v.passed} passed, ${v.failed} failed of ${total}`)
    for (const [name, token] of Object.entries(vectorTokens)) {
      if (v.tokens[name] !== token) errors.push(`vector token ${name}: got ${JSON.stringify(v.tokens[name])}, the vector holds ${JSON.stringify(token)}`)
    }
  }
  return errors
}

/** What jwt-accord-wasm/tokens exports: the token API, its constants, init (default) and initSync. */
const TOKENS_ENTRY_EXPORTS = ['DEFAULT_MAX_TOKEN_BYTES', 'ERROR_CODES', 'JwtAccordError', 'MAX_JSON_DEPTH', 'MAX_KEYS', 'Signer', 'Verifier', 'decodeUnverified', 'default', 'fingerprint', 'initSync', 'sign', 'verify']

/** The tokens page's errors: the addon's token, claims and decoded token; the token vectors; the exports. */
function compareTokens(record, expected, vectorTokens, total) {
  if (!record || record.error) return [String(record ? record.error : 'no record')]
  const errors = compare(record, { token: expected.token, claims: expected.claims, decoded: expected.decoded }, vectorTokens, total)
  if (!isDeepStrictEqual(record.exports, TOKENS_ENTRY_EXPORTS)) errors.push(`exports ${JSON.stringify(record.exports)}, not ${JSON.stringify(TOKENS_ENTRY_EXPORTS)}`)
  return errors
}

/** The addon's own record, checked against what must hold whatever it says. */
function expectedRecord() {
  const napi = require('../node/index.js')
  const expected = observe(napi, INPUTS, withBindings(INPUTS.env))
  const errors = []
  if (expected.resolution.source?.name !== 'JWT_SECRET_STAGING') errors.push(`the addon resolved ${JSON.stringify(expected.resolution.source)}`)
  if (expected.claims.sub !== INPUTS.claims.sub) errors.push('the addon did not verify its token')
  for (const [name, code] of Object.entries(FAILURE_CODES)) {
    const got = expected.failures[name]
    if (!got.threw || !got.jwtAccordError || got.code !== code) errors.push(`${name}: the addon gave ${JSON.stringify(got)}, expected a JwtAccordError ${code}`)
  }
  if (errors.length > 0) throw new Error(`the expected record is wrong:\n  ${errors.join('\n  ')}`)
  return expected
}

async function main() {
  const vectors = loadVectors()
  const total = FILES.reduce((n, file) => n + vectors[file].cases.length, 0)
  const tokenCases = tokenVectors(vectors).vectors
  const tokenTotal = TOKEN_FILES.reduce((n, file) => n + tokenCases[file].cases.length, 0)
  const vectorTokens = Object.fromEntries(vectors.sign.cases.filter((c) => c.result?.token).map((c) => [c.name, c.result.token]))
  const expected = expectedRecord()
  workDir = mkdtempSync(path.join(tmpdir(), 'jwt-accord-edge-'))
  const project = makeProject(workDir, vectors)

  const deno = path.join(BIN, 'deno')
  const bun = path.join(BIN, 'bun')
  const targets = {
    node: { version: async () => `node ${process.version}`, run: () => program(process.execPath, ['main.mjs'], project) },
    deno: { version: () => version(deno), run: () => program(deno, ['run', '--no-prompt', 'main.mjs'], project) },
    bun: { version: async () => `bun ${await version(bun)}`, run: () => program(bun, ['main.mjs'], project) },
    workerd: { version: () => version(path.join(BIN, 'workerd')), run: () => workerd(project, workDir) },
    'esbuild --platform=node': { version: async () => `esbuild ${esbuild().version}`, run: () => esbuildNode(project, workDir) },
    'bun build --target=bun': { version: async () => `bun ${await version(bun)}`, run: () => bunBuild(project, workDir, 'bun') },
    'bun build --target=node': { version: async () => `bun ${await version(bun)}, node ${process.version}`, run: () => bunBuild(project, workDir, 'node') },
    'bun build --compile': { version: async () => `bun ${await version(bun)}`, run: () => bunCompile(project, workDir) },
  }
  const pages = {
    'vite (chromium)': { version: async () => `vite ${(await import('vite')).version}`, build: () => viteBuild(project, workDir) },
    'esbuild --platform=browser (chromium)': { version: async () => `esbuild ${esbuild().version}`, build: () => esbuildBrowser(project, workDir) },
    'vite tokens entry (chromium)': {
      version: async () => `vite ${(await import('vite')).version}`,
      build: () => viteBuild(path.join(project, 'tokens'), workDir, 'vite-tokens'),
      compare: (record) => compareTokens(record, expected, vectorTokens, tokenTotal),
    },
  }
  const only = process.argv.slice(2)
  const wanted = (name) => only.length === 0 || only.some((o) => name.startsWith(o))

  let passed = 0
  let failed = 0
  const report = (name, about, ms, record) => {
    const errors = pages[name]?.compare ? pages[name].compare(record) : compare(record, expected, vectorTokens, total)
    if (errors.length === 0) {
      passed += 1
      console.log(`ok   ${name} (${about}): ${ms} ms, the addon's record and ${record.vectors.passed} vectors`)
    } else {
      failed += 1
      console.log(`FAIL ${name} (${about}): ${ms} ms`)
      for (const error of errors.slice(0, 20)) console.log(`     ${error.replace(/\n/g, '\n     ')}`)
    }
  }

  for (const [name, target] of Object.entries(targets)) {
    if (!wanted(name)) continue
    const started = performance.now()
    let record
    try {
      record = await target.run()
    } catch (error) {
      record = { error: String((error && error.stack) || error) }
    }
    report(name, await target.version(), Math.round(performance.now() - started), record)
  }

  const built = {}
  const buildMs = {}
  for (const [name, page] of Object.entries(pages)) {
    if (!wanted(name)) continue
    const started = performance.now()
    try {
      built[name] = await page.build()
    } catch (error) {
      report(name, await page.version(), Math.round(performance.now() - started), { error: `build: ${(error && error.message) || error}` })
    }
    buildMs[name] = performance.now() - started
  }
  if (Object.keys(built).length > 0) {
    const started = performance.now()
    const { records, version: chromiumVersion } = await inChromium(built)
    const each = (performance.now() - started) / Object.keys(built).length
    for (const name of Object.keys(built)) {
      report(name, `${await pages[name].version()}, chromium ${chromiumVersion} at ${EXECUTABLE}`, Math.round(buildMs[name] + each), records[name])
    }
  }
  console.log(`edge: ${passed} passed, ${failed} failed`)
  return failed === 0 && passed > 0 ? 0 : 1
}

main()
  .then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`edge test failed: ${(error && error.stack) || error}`)
      process.exitCode = 1
    },
  )
  .finally(() => {
    killAll()
    if (workDir) rmSync(workDir, { recursive: true, force: true })
  })
