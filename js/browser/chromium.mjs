// Headless Chromium for the tests' pages (js/browser/run.mjs: the vectors;
// js/edge/run.mjs: the bundled pages): a static server on 127.0.0.1 (a port
// the OS picks) and Debian's Chromium, driven through playwright-core (never a
// downloaded browser).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import path from 'node:path'

import { chromium } from 'playwright-core'

export const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
}

/**
 * Serves the files under `root` (GET only; with `prefixes`, only below those
 * relative directories) on 127.0.0.1; resolves to the server once it listens.
 */
export async function serveDirectory(root, prefixes = ['']) {
  const allowed = prefixes.map((prefix) => path.join(root, prefix, path.sep))
  const server = createServer(async (request, response) => {
    try {
      const relative = decodeURIComponent(new URL(request.url, 'http://localhost').pathname).replace(/^\/+/, '')
      const file = path.resolve(root, relative || 'index.html')
      const inside = allowed.some((prefix) => file.startsWith(prefix))
      const info = inside && request.method === 'GET' ? await stat(file).catch(() => null) : null
      if (!info || !info.isFile()) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
        return
      }
      response.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
      })
      createReadStream(file).pipe(response)
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    }
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return server
}

/** Stops a server from serveDirectory, dropping open connections. */
export function stopServer(server) {
  return new Promise((resolve) => {
    server.close(resolve)
    server.closeAllConnections()
  })
}

/** Launches Chromium; the caller closes it (`browser.close()`). */
export function launch() {
  return chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ARGS })
}

/**
 * Loads `url` in a fresh context and awaits `window[name]` (a promise the page
 * sets); returns its value, with the page's errors and failed requests as `problems`.
 */
export async function pageResult(browser, url, name, timeoutMs) {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const problems = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
    })
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
    await page.goto(url, { timeout: timeoutMs })
    await page.waitForFunction((key) => window[key] !== undefined, name, { timeout: timeoutMs })
    const value = await page.evaluate((key) => window[key], name)
    return { value, problems }
  } finally {
    await context.close()
  }
}
