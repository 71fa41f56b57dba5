// README.md's section on this example against the code and
// the core:
//   - each snippet marked `<!-- from FILE -->` is FILE's `[setup]` region
//     (dedented), preceded by import lines that FILE holds verbatim;
//   - the start-up summary is the one the services log for examples/e2e/env;
//   - the unknown_key body is what the core answers for the drift
//     (e2e.test.mjs also compares it with the drifted Node API's live answer);
//   - the `jwt-accord check` command shown reports drift (exit 1).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

import { CLI, ENV, ROOT, addon, fingerprintOf, secretOf, docsBlock, DOCS } from './helpers.mjs'

/** The lines between `[setup]` and `[/setup]` marker comments, dedented. */
function setupRegion(file) {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n')
  const start = lines.findIndex((line) => /\[setup\]/.test(line))
  const end = lines.findIndex((line) => /\[\/setup\]/.test(line))
  assert.ok(start >= 0 && end > start, `${file} has a [setup] ... [/setup] region`)
  const region = lines.slice(start + 1, end)
  const indent = Math.min(...region.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length))
  return region.map((line) => line.slice(indent)).join('\n')
}

const snippets = [...DOCS.matchAll(/<!-- from (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)]

test('the README e2e section shows a snippet from each of the four runtimes', () => {
  assert.deepEqual(
    snippets.map(([, file]) => file),
    [
      'examples/e2e/auth-service/app.py',
      'examples/e2e/threads-api/server.mjs',
      'examples/e2e/profile-service/src/main.rs',
      'examples/e2e/web/public/app.mjs',
    ],
  )
})

for (const [, file, snippet] of snippets) {
  test(`the README e2e section: the snippet from ${file} is its code`, () => {
    const source = readFileSync(path.join(ROOT, file), 'utf8').split('\n')
    const [imports, ...rest] = snippet.split('\n\n')
    for (const line of imports.split('\n')) {
      assert.ok(source.includes(line), `${file} holds the line ${JSON.stringify(line)}`)
    }
    assert.equal(rest.join('\n\n'), setupRegion(file))
  })
}

test('the README e2e section: the start-up summary is the services\' for examples/e2e/env', () => {
  const fingerprint = fingerprintOf(secretOf(ENV.auth))
  assert.equal(
    docsBlock('summary'),
    `jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:${fingerprint} warnings=0`,
  )
})

test('the README e2e section: the unknown_key body is the core\'s answer to the drift', () => {
  const token = addon.sign({ sub: 'ada' }, secretOf(ENV.auth), { expiresIn: 900 })
  const error = (() => {
    try {
      addon.verify(token, secretOf(ENV.drift))
    } catch (caught) {
      return caught
    }
    return null
  })()
  assert.ok(error, 'the drifted secret refuses the token')
  assert.equal(docsBlock('401 from the drifted threads API'), JSON.stringify({ code: error.code, message: error.message }))
})

test('the README e2e section: the jwt-accord check command shown reports the drift (exit 1)', () => {
  const [, command] = /`jwt-accord (check [^`]+)`/.exec(DOCS)
  let status = 0
  let stdout = ''
  try {
    stdout = execFileSync(CLI, command.split(' '), { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' })
  } catch (error) {
    status = error.status
    stdout = error.stdout
  }
  assert.equal(status, 1, stdout)
  assert.match(stdout, /status +drift/)
})
