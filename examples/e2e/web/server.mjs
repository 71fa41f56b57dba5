// The page server of the end-to-end example (examples/e2e): node:http, no
// other dependency. It serves
//   /                          public/index.html (the page), public/app.mjs
//   /config.json               the three services' URLs, from its environment
//   /vendor/jwt-accord-wasm/   the tokens entry of jwt-accord-wasm (tokens.mjs,
//                              bind.mjs, api.mjs, pkg-tokens/: the tokens-only
//                              module a front end loads), which the page's import
//                              map names `jwt-accord-wasm/tokens`
//   /healthz                   { "status": "ok" }
// and nothing else. The page calls the services directly, on their own
// origins: each service allows this page's origin (ALLOWED_ORIGIN) for CORS.
//
// Configured only through its environment: PORT (it listens on 127.0.0.1
// only), AUTH_URL, THREADS_URL and PROFILE_URL.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const PUBLIC = fileURLToPath(new URL('public/', import.meta.url))
const WASM_PACKAGE = path.dirname(createRequire(import.meta.url).resolve('jwt-accord-wasm/package.json'))

/** URL path -> file. Only these are served. */
const FILES = new Map([
  ['/', path.join(PUBLIC, 'index.html')],
  ['/app.mjs', path.join(PUBLIC, 'app.mjs')],
  ['/style.css', path.join(PUBLIC, 'style.css')],
  ...['tokens.mjs', 'bind.mjs', 'api.mjs', 'pkg-tokens/jwt_accord.js', 'pkg-tokens/jwt_accord_bg.wasm'].map((file) => [
    `/vendor/jwt-accord-wasm/${file}`,
    path.join(WASM_PACKAGE, file),
  ]),
])
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
}

const config = JSON.stringify({
  authUrl: required('AUTH_URL'),
  threadsUrl: required('THREADS_URL'),
  profileUrl: required('PROFILE_URL'),
})

function required(name) {
  const value = process.env[name]
  if (!value) {
    console.error(`page-server: ${name} must be set`)
    process.exit(2)
  }
  return value
}

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url, 'http://localhost')
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }
  if (request.method !== 'GET') {
    response.writeHead(405, { ...headers, allow: 'GET' }).end()
    return
  }
  if (pathname === '/config.json' || pathname === '/healthz') {
    const body = pathname === '/healthz' ? '{"status":"ok","service":"page"}' : config
    response.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(body)
    return
  }
  const file = FILES.get(pathname)
  const body = file && (await readFile(file).catch(() => null))
  if (!body) {
    response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found')
    return
  }
  response.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] }).end(body)
})

const port = Number(process.env.PORT)
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('page-server: PORT must be set to a port number')
  process.exit(2)
}
server.listen(port, '127.0.0.1', () => {
  console.log(`page-server listening on http://127.0.0.1:${port}`)
})

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  })
}
