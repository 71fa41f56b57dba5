// What resolveSecret reads from `env` (docs/decisions.md, issue 14 item 2):
// only the names the resolver reads, one at a time, so no other variable
// crosses into native code or WebAssembly; a value read that holds U+FFFD
// (what process.env puts in place of bytes that are not UTF-8) is refused with
// invalid_value, as in the Python build and the CLI.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import lib from './impl.mjs'
import { IMPL } from './impl.mjs'

const STAGING = 'staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e'

/** `values` behind a Proxy that records every property touched, by any trap. */
function recording(values) {
  const touched = []
  const proxy = new Proxy(values, {
    get(target, name, receiver) {
      touched.push(String(name))
      return Reflect.get(target, name, receiver)
    },
    has(target, name) {
      touched.push(String(name))
      return Reflect.has(target, name)
    },
    getOwnPropertyDescriptor(target, name) {
      touched.push(String(name))
      return Reflect.getOwnPropertyDescriptor(target, name)
    },
    ownKeys(target) {
      touched.push('<listed>')
      return Reflect.ownKeys(target)
    },
  })
  return { proxy, touched }
}

describe(`resolveSecret reads only what the resolver reads (${IMPL})`, () => {
  for (const environment of [undefined, 'staging']) {
    test(`an unrelated variable is never touched (environment ${environment})`, () => {
      const { proxy, touched } = recording({
        ENVIRONMENT: 'staging',
        JWT_SECRET_STAGING: STAGING,
        UNRELATED_SECRET: 'an-unrelated-secret-that-stays-in-javascript',
      })
      const resolution = lib.resolveSecret({ env: proxy, environment })
      assert.equal(resolution.source.name, 'JWT_SECRET_STAGING')
      assert.ok(!touched.includes('UNRELATED_SECRET'), touched.join(' '))
      assert.ok(!touched.includes('<listed>'), touched.join(' '))
      assert.equal(touched.includes('ENVIRONMENT'), environment === undefined)
      assert.ok(touched.includes('JWT_SECRET_PROD'), 'the reuse check reads the other environments')
    })
  }

  test('a Map is read with get, one name at a time', () => {
    const env = new Map([
      ['ENVIRONMENT', 'staging'],
      ['JWT_SECRET_STAGING', STAGING],
      ['UNRELATED_SECRET', 'x'],
    ])
    const asked = []
    const get = env.get.bind(env)
    env.get = (name) => (asked.push(name), get(name))
    env.entries = () => assert.fail('the Map is listed')
    assert.equal(lib.resolveSecret({ env }).source.name, 'JWT_SECRET_STAGING')
    assert.ok(!asked.includes('UNRELATED_SECRET'))
  })

  test('a value read that holds U+FFFD is invalid_value, naming the variable', () => {
    const env = { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: `${STAGING}\ufffd` }
    assert.throws(
      () => lib.resolveSecret({ env }),
      (error) =>
        error.code === 'invalid_value' &&
        error.details.name === 'JWT_SECRET_STAGING' &&
        !error.message.includes(STAGING),
    )
  })

  test('a lone surrogate (no UTF-8 form) is invalid_value too', () => {
    const env = { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: `${STAGING}\udcff` }
    assert.throws(() => lib.resolveSecret({ env }), (error) => error.code === 'invalid_value')
  })

  test('a variable not read may hold anything', () => {
    const env = { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: STAGING, OTHER: '\ufffd', UNRELATED: 7 }
    assert.equal(lib.resolveSecret({ env }).source.name, 'JWT_SECRET_STAGING')
  })
})

// A real process environment holding bytes that are not UTF-8: Node cannot
// spawn one itself (its env values are strings), so Python builds it.
const CHILD = `
const lib = require(${JSON.stringify(fileURLToPath(new URL('../node/index.js', import.meta.url)))})
try {
  console.log(JSON.stringify({ source: lib.resolveSecret().source.name }))
} catch (error) {
  console.log(JSON.stringify({ code: error.code, details: error.details }))
}
`
const SPAWN = `
import os, subprocess, sys
env = {b"PATH": os.environb.get(b"PATH", b"/usr/bin:/bin")}
for pair in sys.argv[2:]:
    name, _, value = os.fsencode(pair).partition(b"=")
    env[name] = value.replace(b"<FF>", b"\\xff")
sys.exit(subprocess.run([os.environ["NODE"], "-e", sys.argv[1]], env=env).returncode)
`

function resolveInProcess(...pairs) {
  const out = spawnSync('python3', ['-c', SPAWN, CHILD, ...pairs], {
    env: { ...process.env, NODE: process.execPath },
    encoding: 'utf8',
  })
  assert.equal(out.status, 0, out.stderr)
  return JSON.parse(out.stdout)
}

describe('a non-UTF-8 process environment (node)', { skip: IMPL !== 'node' && 'the WASM build has no process environment' }, () => {
  test('a value read holding a non-UTF-8 byte is invalid_value, as in Python', () => {
    const result = resolveInProcess('ENVIRONMENT=staging', 'JWT_SECRET_STAGING=staging-secret-<FF>-7f3a9c2e5b8d1f4a6c0e9b2d7a5f')
    assert.deepEqual(result, { code: 'invalid_value', details: { kind: 'variable', name: 'JWT_SECRET_STAGING' } })
  })

  test('a non-UTF-8 ENVIRONMENT is invalid_value', () => {
    const result = resolveInProcess('ENVIRONMENT=stag<FF>ing', `JWT_SECRET_STAGING=${STAGING}`)
    assert.deepEqual(result, { code: 'invalid_value', details: { kind: 'variable', name: 'ENVIRONMENT' } })
  })

  test('a non-UTF-8 value the resolver does not read is ignored', () => {
    const result = resolveInProcess('ENVIRONMENT=staging', `JWT_SECRET_STAGING=${STAGING}`, 'UNRELATED=<FF><FF>')
    assert.deepEqual(result, { source: 'JWT_SECRET_STAGING' })
  })
})
