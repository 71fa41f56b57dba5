// docs/integrations/express.md and hono.md: their `js` blocks, in order, as one
// module, run by Node from this folder (so that 'jwt-accord/express',
// 'jwt-accord-wasm/hono', express, ws and hono resolve from js/node_modules)
// with a test secret in its environment. The blocks assert what a client sees.
// express.md in the node stage (napi build), hono.md in the wasm stage.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'

import { IMPL } from './cases.mjs'

const DOCS = new URL('../../../docs/integrations/', import.meta.url)
const SECRET = 'docs-test-secret-MARKER1e7c-0123456789abcdef01'

/** The `js` blocks of a page, in order. */
function blocks(page) {
  const text = readFileSync(new URL(page, DOCS), 'utf8')
  return [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map(([, code]) => code)
}

/** Runs code as a module beside this file; resolves its output, or rejects with it (30 s at most). */
function run(name, code) {
  const file = new URL(`./.${name}-${process.pid}.mjs`, import.meta.url)
  writeFileSync(file, code)
  const env = { PATH: process.env.PATH, ENVIRONMENT: 'production', JWT_SECRET_PRODUCTION: SECRET, PORT: '0' }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file.pathname], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      rmSync(file, { force: true })
      if (error) reject(new Error(`${name}: ${error.message}\n${stdout}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

for (const [page, impl] of [
  ['express.md', 'node'],
  ['hono.md', 'wasm'],
]) {
  test(`docs/integrations/${page}: its js blocks run`, { skip: IMPL !== impl && `runs in the ${impl} stage` }, async () => {
    const code = blocks(page)
    assert.ok(code.length >= 2, `${page} has its setup and client blocks`)
    const out = await run(page.replace('.md', ''), code.join('\n'))
    assert.match(out, /^jwt-accord environment=production source=JWT_SECRET_PRODUCTION fingerprint=sha256:[0-9a-f]{16} warnings=0$/m)
    assert.ok(!out.includes(SECRET), 'the secret is never printed')
  })
}
