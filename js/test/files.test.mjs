// Secrets mounted as files (docs/spec.md §15) read from a real temporary
// folder: `_FILE` variables, directory stores and CREDENTIALS_DIRECTORY.
// Node reads them itself by default (the core's StdFiles, as Python and the
// CLI do) or through `readFile`; WebAssembly only through `readFile`.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'

import lib from './impl.mjs'
import { IMPL } from './impl.mjs'

const root = mkdtempSync(join(tmpdir(), 'jwt-accord-files-'))
after(() => rmSync(root, { recursive: true, force: true }))

const secret = () => randomBytes(24).toString('hex')
let folders = 0
/** A new folder under `root` holding `files` (name -> content). */
function folder(files) {
  const dir = join(root, `d${(folders += 1)}`)
  mkdirSync(dir)
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

function expectError(fn, code) {
  let caught
  assert.throws(fn, (error) => {
    caught = error
    return error instanceof lib.JwtAccordError && error.code === code
  })
  return caught
}

// How each build reads: Node also without readFile (its own reader).
const READERS = { readFile: (path) => readFileSync(path) }
if (IMPL === 'node') READERS['the default reader'] = undefined

for (const [how, readFile] of Object.entries(READERS)) {
  const resolve = (options) => lib.resolveSecret({ environment: 'staging', ...options, readFile })

  describe(`files on disk, ${how} (${IMPL})`, () => {
    test('JWT_SECRET_STAGING_FILE: the trailing newline goes, the source names the variable and the path', () => {
      const value = secret()
      const path = join(folder({ jwt: `${value}\n` }), 'jwt')
      const resolution = resolve({ env: { JWT_SECRET_STAGING_FILE: path } })
      assert.equal(resolution.exposeSecret(), value)
      assert.deepEqual(resolution.source, { kind: 'file', name: 'JWT_SECRET_STAGING', path })
      assert.deepEqual(resolution.warnings, [])
      assert.doesNotMatch(JSON.stringify(resolution) + resolution.summary(), new RegExp(value))
    })

    test('a directory store: each entry and its companions are files, slots and keySlot follow', () => {
      const [current, next] = [secret(), secret()]
      const dir = folder({ 'jwt-secret-staging': current, 'jwt-secret-staging-next': `${next}\n` })
      const resolution = resolve({ env: {}, secretDirectory: dir })
      assert.equal(resolution.exposeSecret(), current)
      assert.deepEqual(resolution.source, { kind: 'store', name: 'jwt-secret-staging', path: join(dir, 'jwt-secret-staging') })
      assert.deepEqual(
        resolution.keys.map((key) => [key.slot, key.fingerprint]),
        [
          ['current', lib.fingerprint(current)],
          ['next', lib.fingerprint(next)],
        ],
      )
      const token = lib.sign({ sub: 'a' }, next, { now: 1_700_000_000, expiresIn: 60 })
      assert.equal(new lib.Verifier(resolution).verifyFull(token, 1_700_000_000).keySlot, 'next')
    })

    test('CREDENTIALS_DIRECTORY is the store when no store is passed, and only then', () => {
      const value = secret()
      const dir = folder({ 'jwt-secret': value })
      const resolution = resolve({ env: { CREDENTIALS_DIRECTORY: dir } })
      assert.equal(resolution.exposeSecret(), value)
      assert.deepEqual(resolution.source, { kind: 'store', name: 'jwt-secret', path: join(dir, 'jwt-secret') })
      const other = secret()
      const passed = resolve({ env: { CREDENTIALS_DIRECTORY: dir }, secretStore: { 'jwt-secret': other } })
      assert.equal(passed.exposeSecret(), other)
    })

    test('a nonexistent path: secret_file_unreadable naming the variable and the path', () => {
      const path = join(root, 'missing', 'jwt')
      const error = expectError(() => resolve({ env: { JWT_SECRET_STAGING_FILE: ` ${path}\n` } }), 'secret_file_unreadable')
      assert.deepEqual(error.details, { name: 'JWT_SECRET_STAGING_FILE', path, reason: 'no such file' })
      assert.match(error.message, /JWT_SECRET_STAGING_FILE/)
      assert.ok(error.message.includes(path), error.message)
    })

    test('a file larger than 64 KiB: secret_file_invalid, too_large', () => {
      const path = join(folder({ big: 'a'.repeat(64 * 1024 + 1) }), 'big')
      const error = expectError(() => resolve({ env: { JWT_SECRET_STAGING_FILE: path } }), 'secret_file_invalid')
      assert.equal(error.details.reason, 'too_large')
      assert.equal(error.details.path, path)
    })

    test('a folder where a file is expected: secret_file_unreadable with the reader\'s reason', () => {
      const dir = folder({})
      const error = expectError(() => resolve({ env: { JWT_SECRET_STAGING_FILE: dir } }), 'secret_file_unreadable')
      // StdFiles words it as the Python and CLI builds do; readFileSync as Node does.
      const reason = readFile ? /^EISDIR: illegal operation on a directory/ : /^Is a directory \(os error 21\)$/
      assert.match(error.details.reason, reason)
    })
  })
}

describe(`readFile and secretDirectory arguments (${IMPL})`, () => {
  const env = { JWT_SECRET_STAGING_FILE: '/run/secrets/jwt' }
  const resolve = (options) => lib.resolveSecret({ environment: 'staging', env, ...options })

  test('readFile is called once per path the core reads; text, bytes and null', () => {
    const value = secret()
    const calls = []
    const reader = (content) => (path) => {
      calls.push(path)
      return content
    }
    assert.equal(resolve({ readFile: reader(`${value}\r\n`) }).exposeSecret(), value)
    assert.equal(resolve({ readFile: reader(new TextEncoder().encode(value)) }).exposeSecret(), value)
    assert.deepEqual(calls, ['/run/secrets/jwt', '/run/secrets/jwt'])
    const missing = expectError(() => resolve({ readFile: reader(null) }), 'secret_file_unreadable')
    assert.equal(missing.details.reason, 'no such file')
  })

  test('an error thrown by readFile is the failed read\'s reason', () => {
    const error = expectError(
      () =>
        resolve({
          readFile: () => {
            throw new Error('EACCES: permission denied')
          },
        }),
      'secret_file_unreadable',
    )
    assert.equal(error.details.reason, 'EACCES: permission denied')
  })

  test('wrong arguments are TypeErrors', () => {
    assert.throws(() => resolve({ readFile: 'fs' }), TypeError)
    assert.throws(() => resolve({ readFile: async () => 'x' }), /synchronous/)
    assert.throws(() => resolve({ readFile: () => 5 }), /must return a string or a Uint8Array/)
    assert.throws(() => resolve({ secretDirectory: 5 }), TypeError)
    assert.throws(() => resolve({ secretDirectory: '/x', secretStore: {} }), /not both/)
  })

  if (IMPL === 'wasm') {
    test('without readFile, a file to read is secret_file_unreadable: this build reads no files', () => {
      const error = expectError(() => resolve({}), 'secret_file_unreadable')
      assert.deepEqual(error.details, {
        name: 'JWT_SECRET_STAGING_FILE',
        path: '/run/secrets/jwt',
        reason: 'this build reads no files: pass readFile',
      })
    })
  }
})
