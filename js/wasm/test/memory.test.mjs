// Secrets do not stay readable in the module's linear memory (issue 14 item
// 7): every secret that enters Rust is held in a buffer wiped when dropped, so
// once the objects that hold it are freed, a scan of the whole memory finds no
// copy. Driven through the raw wasm-bindgen module (pkg-node), whose objects
// can be freed at once with free(), instead of waiting for the garbage collector.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

const raw = createRequire(import.meta.url)('../pkg-node/jwt_accord.js')

/** The module's linear memory, as it is now (it may have grown). */
function memory() {
  const memory = raw.__memoryForTests()
  assert.ok(memory instanceof WebAssembly.Memory)
  return Buffer.from(memory.buffer)
}

let serial = 0
/** A secret with a marker found nowhere else: ASCII, so the glue copies it once. */
function secret(what) {
  serial += 1
  return `memscan-${what}-${serial}-${process.pid}-9f8e7d6c5b4a39281706f5e4d3c2b1a0`
}

function assertGone(marker) {
  assert.equal(memory().indexOf(marker), -1, `${marker} is still in linear memory`)
}

describe('no secret stays in WebAssembly memory once freed (wasm)', () => {
  test('the marker scan finds a secret while it is held', () => {
    const value = secret('held')
    const resolution = raw.resolve(['JWT_SECRET_STAGING', value], undefined, undefined, 'staging', undefined)
    assert.notEqual(memory().indexOf(value), -1, 'the scan can see a held secret')
    resolution.free()
    assertGone(value)
  })

  test('variables and store entries passed to resolve, and the resolution', () => {
    const used = secret('used')
    const shadowed = secret('shadowed')
    const stored = secret('stored')
    const resolution = raw.resolve(
      ['ENVIRONMENT', 'staging', 'JWT_SECRET_STAGING', used, 'JWT_SECRET', shadowed],
      ['jwt-secret-staging', stored],
      undefined,
      undefined,
      undefined,
    )
    assert.equal(resolution.exposeSecret(), used)
    resolution.free()
    for (const value of [used, shadowed, stored]) assertGone(value)
  })

  test('a secret file read by readFile (its hex text and its bytes)', () => {
    const value = secret('file')
    const hex = Buffer.from(`${value}\n`).toString('hex')
    const resolution = raw.resolve(
      ['JWT_SECRET_STAGING_FILE', '/run/secrets/jwt'],
      undefined,
      undefined,
      'staging',
      ['/run/secrets/jwt', 'content', hex],
    )
    assert.equal(resolution.exposeSecret(), value)
    resolution.free()
    assertGone(value)
    assertGone(hex)
  })

  test('a refused variable value', () => {
    const value = `${secret('refused')}\ufffd`
    assert.throws(() => raw.resolve(['JWT_SECRET_STAGING', value], undefined, undefined, 'staging', undefined))
    assertGone(value.slice(0, -1))
  })

  test('text and byte keys, and fingerprints', () => {
    const text = secret('text-key')
    const bytes = secret('byte-key')
    const keys = new raw.KeyList()
    keys.addText(text)
    keys.addBytes(new TextEncoder().encode(bytes))
    keys.free()
    assert.equal(raw.fingerprintBytes(new TextEncoder().encode(text)).length, 16)
    assert.equal(raw.fingerprintBytes(new TextEncoder().encode(bytes)).length, 16)
    assertGone(text)
    assertGone(bytes)
  })
})
