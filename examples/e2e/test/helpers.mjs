// Shared by the end-to-end tests: paths, the env files' secrets, the CLI, the
// napi addon and playwright-core (both from js/node_modules, as the WASM
// browser runner uses them), and the README section's blocks.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const E2E = fileURLToPath(new URL('../', import.meta.url))
export const ROOT = path.resolve(E2E, '../..')
export const RUN = path.join(E2E, 'run')
export const CLI = path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'debug', 'jwt-accord')

const requireFromJs = createRequire(path.join(ROOT, 'js', 'package.json'))
export const { chromium } = requireFromJs('playwright-core')
export const addon = requireFromJs('jwt-accord')

export const ENV = {
  auth: path.join(E2E, 'env', 'auth.env'),
  threads: path.join(E2E, 'env', 'threads.env'),
  profile: path.join(E2E, 'env', 'profile.env'),
  drift: path.join(E2E, 'env', 'drift', 'threads.env'),
}

/** The JWT_SECRET_STAGING of an env file (a test fixture: demo values). */
export function secretOf(file) {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('JWT_SECRET_STAGING='))
  return line.slice('JWT_SECRET_STAGING='.length).trim()
}

/** docs/spec.md §6, by hand: printf '%s' "$SECRET" | sha256sum | cut -c1-16. */
export const fingerprintOf = (secret) => createHash('sha256').update(secret).digest('hex').slice(0, 16)

/** The README's section on this example (from its heading to the next). */
export const DOCS = (() => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf('## One secret, four runtimes')
  if (start < 0) throw new Error('README.md has no "One secret, four runtimes" section')
  const end = readme.indexOf('\n## ', start + 3)
  return readme.slice(start, end < 0 ? undefined : end)
})()

/** The fenced block right after `<!-- label -->` in the README's section. */
export function docsBlock(label) {
  const at = DOCS.indexOf(`<!-- ${label} -->\n`)
  if (at < 0) throw new Error(`README.md's section has no <!-- ${label} --> block`)
  return /```\w*\n([\s\S]*?)\n```/.exec(DOCS.slice(at))[1]
}
