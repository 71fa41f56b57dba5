#!/usr/bin/env node
// The browser leg of the WASM tests: serves js/ and tests/vectors/ from this
// repository on a free localhost port, drives Debian's Chromium (never a
// downloaded browser) headless through playwright-core, loads index.html
// (page.mjs: the web build runs every conformance vector inside the page), and
// reads the counts and signed tokens back. Then it checks:
//   - no vector failed, every vector ran, and the browser-only checks passed;
//   - the tokens signed in the browser are byte-identical to those signed by
//     the napi addon and by the WASM build in Node (and to the vectors);
//   - the tokens entry (jwt-accord-wasm/tokens, its own module, fetched by
//     init() in the page) passed every token vector it can run, exports the
//     token API only, and signed the same tokens, byte for byte.
// Prints `browser: N passed, 0 failed` and exits 0, or exits 1. The server and
// the browser are shut down whatever happens.
//
// Usage: node js/browser/run.mjs   (after js/wasm/build.sh and the napi build)
// Env:   CHROMIUM (default /usr/bin/chromium), JWT_ACCORD_BROWSER_TIMEOUT_MS (default 120000)
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

import { EXECUTABLE, launch, pageResult, serveDirectory, stopServer } from './chromium.mjs'
import { FILES, runVectors, TOKEN_FILES, tokenVectors } from '../test/conformance.mjs'
import { loadVectors } from '../test/vectors.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SERVED = ['js/', 'tests/vectors/']
const TIMEOUT_MS = Number(process.env.JWT_ACCORD_BROWSER_TIMEOUT_MS || 120_000)
/** What tokens.mjs exports: the token API, its constants, init (default) and initSync. */
const TOKENS_ENTRY_EXPORTS = ['DEFAULT_MAX_TOKEN_BYTES', 'ERROR_CODES', 'JwtAccordError', 'MAX_JSON_DEPTH', 'MAX_KEYS', 'Signer', 'Verifier', 'decodeUnverified', 'default', 'fingerprint', 'initSync', 'sign', 'verify']

/** Shut-down steps for what is running (the server, the browser), last first. */
const cleanups = []

async function cleanup() {
  while (cleanups.length > 0) {
    const step = cleanups.pop()
    await Promise.race([step().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))])
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(128 + 2))
  })
}

/** Runs the vectors in the page; returns what page.mjs reported. */
async function inBrowser(port) {
  const browser = await launch()
  const close = () => browser.close()
  cleanups.push(close)
  try {
    // pageResult opens a new context: a fresh, empty profile; launch() also
    // gives the browser its own temporary user-data directory, removed on close.
    const { value, problems } = await pageResult(browser, `http://127.0.0.1:${port}/js/browser/index.html`, '__jwtAccord', TIMEOUT_MS)
    return { ...value, problems, version: browser.version() }
  } finally {
    cleanups.splice(cleanups.indexOf(close), 1)
    await close()
  }
}

function main() {
  return withTimeout(async () => {
    const vectors = loadVectors()
    const total = FILES.reduce((n, file) => n + vectors[file].cases.length, 0)
    const require = createRequire(import.meta.url)
    const napi = require('../node/index.js')
    const wasmNode = await import('../wasm/node.mjs')
    const inNode = { napi: runVectors(napi, vectors), 'wasm-node': runVectors(wasmNode, vectors) }

    const server = await serveDirectory(ROOT, SERVED)
    const stop = () => stopServer(server)
    cleanups.push(stop)
    let browser
    try {
      browser = await inBrowser(server.address().port)
    } finally {
      cleanups.splice(cleanups.indexOf(stop), 1)
      await stop()
    }

    const errors = []
    if (browser.error) errors.push(`the page failed: ${browser.error}`)
    for (const problem of browser.problems) errors.push(problem)
    for (const failure of browser.failures || []) errors.push(`browser: ${failure.file}/${failure.name}: ${failure.message}`)
    for (const failure of browser.checks?.failures || []) errors.push(`browser check: ${failure.name}: ${failure.message}`)
    if (!browser.error && browser.passed + browser.failed !== total) {
      errors.push(`browser ran ${browser.passed + browser.failed} cases, the vectors hold ${total}`)
    }
    for (const [name, outcome] of Object.entries(inNode)) {
      for (const failure of outcome.failures) errors.push(`${name}: ${failure.file}/${failure.name}: ${failure.message}`)
    }

    // The tokens entry in the page: every token vector it can run (tokenVectors), and its exports.
    const tokensEntry = browser.tokensEntry || { failures: [], tokens: {} }
    const tokenCases = tokenVectors(vectors)
    const tokenTotal = TOKEN_FILES.reduce((n, file) => n + tokenCases.vectors[file].cases.length, 0)
    for (const failure of tokensEntry.failures || []) errors.push(`browser tokens entry: ${failure.file}/${failure.name}: ${failure.message}`)
    if (!browser.error && (tokensEntry.passed !== tokenTotal || tokensEntry.total !== tokenTotal)) {
      errors.push(`browser tokens entry passed ${tokensEntry.passed} of ${tokensEntry.total} cases, the token vectors hold ${tokenTotal}`)
    }
    if (!browser.error && JSON.stringify(tokensEntry.exports) !== JSON.stringify(TOKENS_ENTRY_EXPORTS)) {
      errors.push(`browser tokens entry exports ${JSON.stringify(tokensEntry.exports)}, not ${JSON.stringify(TOKENS_ENTRY_EXPORTS)}`)
    }

    // Tokens: byte-identical across the napi addon, WASM in Node, WASM in Chromium and its tokens entry.
    const expected = Object.fromEntries(vectors.sign.cases.filter((c) => c.result?.token).map((c) => [c.name, c.result.token]))
    const sources = { ...inNode, browser, 'browser tokens entry': tokensEntry }
    let compared = 0
    for (const [name, token] of Object.entries(expected)) {
      for (const [source, outcome] of Object.entries(sources)) {
        const got = outcome.tokens?.[name]
        if (got !== token) errors.push(`token ${name}: ${source} gave ${JSON.stringify(got)}, the vector holds ${JSON.stringify(token)}`)
      }
      compared += 1
    }

    console.log(`chromium ${browser.version} (${EXECUTABLE}): ${browser.userAgent || '?'}`)
    console.log(`napi addon: ${inNode.napi.passed} passed, ${inNode.napi.failed} failed`)
    console.log(`wasm in node: ${inNode['wasm-node'].passed} passed, ${inNode['wasm-node'].failed} failed`)
    console.log(`browser-only checks: ${browser.checks?.passed ?? 0} passed, ${browser.checks?.failures.length ?? 0} failed`)
    console.log(`browser tokens entry: ${tokensEntry.passed ?? 0} passed, ${tokensEntry.failed ?? 0} failed of ${tokenTotal} token vectors (the ${tokenCases.left.length} with a resolution as key need resolveSecret)`)
    console.log(`tokens: ${compared} sign vectors, byte-identical across napi, wasm-node, browser and the browser's tokens entry: ${errors.some((e) => e.startsWith('token ')) ? 'NO' : 'yes'}`)
    for (const error of errors) console.error(`  x ${error}`)
    console.log(`browser: ${browser.passed ?? 0} passed, ${browser.failed ?? 0} failed`)
    return errors.length === 0 ? 0 : 1
  })
}

async function withTimeout(fn) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS + 30_000)
  })
  try {
    return await Promise.race([fn(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  async (error) => {
    console.error(`browser test failed: ${(error && error.stack) || error}`)
    await cleanup()
    process.exit(1)
  },
)
