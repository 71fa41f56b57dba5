// examples/jsonwebtoken-migration (issue 20, "Done when"), node stage: the
// Express app written against jsonwebtoken passes its own tests as written,
// and again with only its import line changed to jwt-accord/jsonwebtoken (a
// copy beside it, checked to differ from app.js in that one line); and the
// code blocks of docs/coming-from/jsonwebtoken.md.
// express, jsonwebtoken and jwt-accord resolve from js/node_modules (NODE_PATH).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

import { IMPL } from './impl.mjs'

const EXAMPLE = fileURLToPath(new URL('../../examples/jsonwebtoken-migration/', import.meta.url))
const MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))
const IMPORT = "const jwt = require('jsonwebtoken')"
const MIGRATED = "const jwt = require('jwt-accord/jsonwebtoken')"

/** Runs the example's tests against `app`; resolves their TAP output, rejects with it (60 s at most). */
function runTests(app) {
  const env = { PATH: process.env.PATH, NODE_PATH: MODULES, APP: app }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--test', '--test-reporter=tap', 'app.test.js'], { cwd: EXAMPLE, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${app}: ${error.message}\n${stdout}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

/** docs/coming-from/jsonwebtoken.md's `js` blocks, in order, as one module beside this file (30 s at most). */
function runDocs() {
  const page = readFileSync(new URL('../../docs/coming-from/jsonwebtoken.md', import.meta.url), 'utf8')
  const code = [...page.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map(([, block]) => block).join('\n')
  const file = new URL(`./.coming-from-jsonwebtoken-${process.pid}.mjs`, import.meta.url)
  writeFileSync(file, code)
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(file)], { env: { PATH: process.env.PATH }, timeout: 30_000 }, (error, stdout, stderr) => {
      rmSync(file, { force: true })
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`))
      else resolve(code)
    })
  })
}

if (IMPL === 'node') {
  test('every js block of docs/coming-from/jsonwebtoken.md runs', async () => {
    const code = await runDocs()
    assert.equal((code.match(/assert\./g) || []).length >= 10, true)
  })

  test('the example passes its tests with jsonwebtoken', async () => {
    const output = await runTests('app.js')
    assert.match(output, /^# pass 9$/m)
    assert.match(output, /^# fail 0$/m)
  })

  test('the example passes the same tests with only its import line changed to jwt-accord/jsonwebtoken', async () => {
    const original = readFileSync(`${EXAMPLE}app.js`, 'utf8')
    const lines = original.split('\n')
    assert.equal(lines.filter((line) => line === IMPORT).length, 1)
    const migrated = lines.map((line) => (line === IMPORT ? MIGRATED : line))
    assert.equal(migrated.filter((line, i) => line !== lines[i]).length, 1)
    const copy = `.app-migrated-${process.pid}.js`
    writeFileSync(`${EXAMPLE}${copy}`, migrated.join('\n'))
    try {
      const output = await runTests(copy)
      assert.match(output, /^# pass 9$/m)
      assert.match(output, /^# fail 0$/m)
    } finally {
      rmSync(`${EXAMPLE}${copy}`, { force: true })
    }
  })
}
