// Every conformance vector, one test per case, then the whole run through
// runVectors (the function the browser runner uses) must agree.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { cases, FILES, runVectors } from './conformance.mjs'
import lib, { IMPL } from './impl.mjs'
import { loadVectors } from './vectors.mjs'

const vectors = loadVectors()

for (const file of FILES) {
  describe(`vectors: ${file}.json (${IMPL})`, () => {
    for (const c of cases(lib, { ...Object.fromEntries(FILES.map((f) => [f, { cases: [] }])), [file]: vectors[file] })) {
      test(c.name, () => {
        c.run()
      })
    }
  })
}

test(`runVectors: every case passes and every sign case yields a token (${IMPL})`, () => {
  const outcome = runVectors(lib, vectors)
  assert.deepEqual(outcome.failures, [])
  const total = FILES.reduce((n, f) => n + vectors[f].cases.length, 0)
  assert.equal(outcome.passed, total)
  const signedCases = vectors.sign.cases.filter((c) => c.result && c.result.token)
  assert.equal(Object.keys(outcome.tokens).length, signedCases.length)
  for (const c of signedCases) assert.equal(outcome.tokens[c.name], c.result.token, c.name)
})
