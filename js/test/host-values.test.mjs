// The host-value table (tests/host-values.json), shared with the Python suite
// (py/tests/test_host_values.py): NaN, the infinities, undefined, functions,
// Date, bigint, holes, Map, Set, bytes, class instances and cycles, in claims
// and in arguments, each with the one outcome docs/bindings.md ("Host values")
// decides for every language.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'

import lib, { IMPL } from './impl.mjs'

const TABLE = JSON.parse(readFileSync(new URL('../../tests/host-values.json', import.meta.url), 'utf8'))
const KEY = 'host-values-secret-0123456789abcdef0123456789'
const NOW = 1700000000

class Instance {
  constructor() {
    this.field = 1
  }
}

/** The JavaScript value for an abstract one; plain JSON is taken as it is. */
function host(value) {
  if (Array.isArray(value)) return value.map(host)
  if (value === null || typeof value !== 'object') return value
  if (!Object.hasOwn(value, '$host')) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, host(v)]))
  switch (value.$host) {
    case 'nan':
      return NaN
    case 'inf':
      return Infinity
    case '-inf':
      return -Infinity
    case 'undefined':
    case 'absent':
      return undefined
    case 'function':
      return () => 1
    case 'bigint':
      return BigInt(value.value)
    case 'sparse_array': {
      const array = new Array(value.length)
      for (const [index, item] of Object.entries(value.items)) array[Number(index)] = host(item)
      return array
    }
    case 'date':
      return new Date(value.iso)
    case 'map':
      return new Map(value.entries.map(([k, v]) => [k, host(v)]))
    case 'set':
      return new Set(value.items)
    case 'bytes':
      return Uint8Array.from(Buffer.from(value.hex, 'hex'))
    case 'instance':
      return new Instance()
    case 'cycle': {
      const cycle = { a: 1 }
      cycle.self = cycle
      return cycle
    }
    default:
      throw new Error(`tests/host-values.json: unknown host value ${value.$host}`)
  }
}

const runsHere = (c) => !c.hosts || c.hosts.includes('js')

describe(`host values in claims (${IMPL})`, () => {
  for (const c of TABLE.claims) {
    test(c.name, { skip: !runsHere(c) && 'no such value in JavaScript' }, () => {
      const attempt = () => lib.sign(host(c.claims), KEY, { now: NOW, setIssuedAt: false })
      if (c.expect.error === undefined) {
        assert.deepEqual(lib.decodeUnverified(attempt()).claims, c.expect.claims)
        return
      }
      assert.throws(attempt, (error) => {
        assert.ok(error instanceof lib.JwtAccordError, `${error.name}: ${error.message}`)
        assert.equal(error.code, c.expect.error)
        if (c.expect.claim !== undefined) assert.equal(error.details.claim, c.expect.claim)
        if (c.expect.path !== undefined) assert.equal(error.details.path, c.expect.path)
        return true
      })
    })
  }
})

describe(`host values in arguments (${IMPL})`, () => {
  const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
  for (const c of TABLE.arguments) {
    test(c.name, { skip: !runsHere(c) && 'no such value in JavaScript' }, () => {
      const value = host(c.value)
      const options = c.option === 'now' ? { now: value } : { now: NOW, [camel(c.option)]: value }
      const attempt =
        c.kind === 'sign'
          ? () => lib.sign({ sub: 'a' }, KEY, options)
          : () => lib.verify(lib.sign({ sub: 'a' }, KEY, { now: NOW, expiresIn: 60 }), KEY, options)
      if (c.expect === 'absent') {
        assert.equal(attempt(), lib.sign({ sub: 'a' }, KEY, { now: NOW }))
        return
      }
      assert.equal(c.expect, 'argument_error')
      assert.throws(attempt, TypeError)
    })
  }
})
