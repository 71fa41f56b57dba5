// The conformance vectors against an npm package as a user installs it
// (scripts/test-dist.sh): copied into a fresh npm project next to
// js/test/conformance.mjs, js/test/vectors.mjs and tests/vectors/, it loads the
// installed package both ways (`require` and `import`), says which engine and
// which file each one loaded, and runs every vector through each.
//
//   node installed-vectors.mjs jwt-accord native   # the addon from its platform package
//   node installed-vectors.mjs jwt-accord wasm     # the main package's WebAssembly fallback
//   node installed-vectors.mjs jwt-accord-wasm wasm  # and its tokens entry, jwt-accord-wasm/tokens
//
// Prints one line per way with the count, then `tokens sha256:...` (a digest
// of every signed token, so runs can be compared byte for byte); exits 1 on any
// failure.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { FILES, runVectors, TOKEN_FILES, tokenVectors } from './js/test/conformance.mjs'
import { loadVectors } from './js/test/vectors.mjs'

const [name, engine] = process.argv.slice(2)
assert.ok(['native', 'wasm'].includes(engine), 'usage: installed-vectors.mjs PACKAGE native|wasm')
const require = createRequire(import.meta.url)
const project = dirname(new URL(import.meta.url).pathname)

const required = require(name)
const imported = await import(name)
for (const [way, lib] of [['require', required], ['import', imported]]) {
  assert.equal(typeof lib.Signer, 'function', `${way}('${name}') has no Signer`)
}
assert.equal(imported.Signer, required.Signer, 'require and import give different modules')

// Which file the engine came from: a .node is a shared object the process has loaded.
const addons = process.report.getReport().sharedObjects.filter((file) => file.endsWith('.node'))
if (engine === 'native') {
  assert.equal(addons.length, 1, `expected one addon loaded, found ${JSON.stringify(addons)}`)
  assert.ok(addons[0].startsWith(join(project, 'node_modules/')), `the addon ${addons[0]} is not the installed one`)
  console.log(`${name}: engine native, loaded ${addons[0]}`)
} else {
  assert.deepEqual(addons, [], 'an addon was loaded')
  // The WebAssembly package the API came from: the one installed, its module's
  // bytes (embedded as base64 for Node) those of its .wasm file.
  const wasmEntry = createRequire(require.resolve(name)).resolve('jwt-accord-wasm')
  const wasm = await import(wasmEntry)
  assert.equal(required.Signer, wasm.Signer, `${name}'s Signer is not jwt-accord-wasm's`)
  const root = dirname(createRequire(wasmEntry).resolve('jwt-accord-wasm/package.json'))
  const module = join(root, 'pkg-web/jwt_accord_bg.wasm')
  const embedded = (await import(join(root, 'pkg-web/jwt_accord_bg.wasm.base64.mjs'))).default
  assert.ok(Buffer.from(embedded, 'base64').equals(readFileSync(module)), 'the embedded module differs from the .wasm')
  console.log(`${name}: engine wasm, loaded ${wasmEntry} (module ${module}, ${readFileSync(module).length} bytes, embedded)`)
}

const vectors = loadVectors()
const total = FILES.reduce((n, file) => n + vectors[file].cases.length, 0)
const digests = new Set()
for (const [way, lib] of [['require', required], ['import', imported]]) {
  const outcome = runVectors(lib, vectors)
  for (const failure of outcome.failures) console.log(`  FAILED ${failure.file}: ${failure.name}: ${failure.message}`)
  console.log(`${way}('${name}'): ${outcome.passed} of ${total} vectors passed`)
  assert.deepEqual(outcome.failures, [])
  assert.equal(outcome.passed, total)
  for (const c of vectors.sign.cases.filter((c) => c.result && c.result.token)) {
    assert.equal(outcome.tokens[c.name], c.result.token, c.name)
  }
  const names = Object.keys(outcome.tokens).sort()
  digests.add(createHash('sha256').update(names.map((n) => `${n} ${outcome.tokens[n]}\n`).join('')).digest('hex'))
}
assert.equal(digests.size, 1, 'require and import signed different tokens')

// jwt-accord-wasm's tokens entry (`jwt-accord-wasm/tokens`, its own module),
// as a front end imports it: instantiated from the installed .wasm, it runs
// every token vector it can (no resolveSecret) and signs the same tokens.
if (name === 'jwt-accord-wasm') {
  const tokens = await import('jwt-accord-wasm/tokens')
  const module = require.resolve('jwt-accord-wasm/jwt_accord_tokens_bg.wasm')
  tokens.initSync(readFileSync(module))
  const { vectors: tokenCases } = tokenVectors(vectors)
  const tokenTotal = TOKEN_FILES.reduce((n, file) => n + tokenCases[file].cases.length, 0)
  const outcome = runVectors(tokens, tokenCases, TOKEN_FILES)
  for (const failure of outcome.failures) console.log(`  FAILED ${failure.file}: ${failure.name}: ${failure.message}`)
  console.log(`import('jwt-accord-wasm/tokens') (module ${module}, ${readFileSync(module).length} bytes): ${outcome.passed} of ${tokenTotal} token vectors passed`)
  assert.deepEqual(outcome.failures, [])
  assert.equal(outcome.passed, tokenTotal)
  for (const c of vectors.sign.cases.filter((c) => c.result && c.result.token)) {
    assert.equal(outcome.tokens[c.name], c.result.token, c.name)
  }
}

// The main package's Node defaults, whichever engine: `env` is process.env and
// `_FILE` variables are read from the file system when no readFile is given.
if (name === 'jwt-accord') {
  const secret = 'an installed package reads its secret file 0123456789'
  const folder = mkdtempSync(join(tmpdir(), 'jwt-accord-'))
  try {
    writeFileSync(join(folder, 'secret'), secret)
    process.env.ENVIRONMENT = 'staging'
    process.env.JWT_SECRET_STAGING_FILE = join(folder, 'secret')
    const resolution = required.resolveSecret()
    assert.deepEqual({ ...resolution.source }, { kind: 'file', name: 'JWT_SECRET_STAGING', path: join(folder, 'secret') })
    assert.equal(resolution.fingerprint, required.fingerprint(secret))
    process.env.JWT_SECRET_STAGING_FILE = join(folder, 'absent')
    assert.throws(() => required.resolveSecret(), (error) => error.code === 'secret_file_unreadable')
    console.log(`resolveSecret() with process.env and a _FILE variable: ${resolution.summary()}`)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
console.log(`tokens sha256:${[...digests][0]}`)
