// Loads tests/vectors/*.json by relative path (Node only; conformance.mjs itself has no I/O).
import { readFileSync } from 'node:fs'

import { FILES } from './conformance.mjs'

export const VECTORS_DIR = new URL('../../tests/vectors/', import.meta.url)

export function loadVectors() {
  const vectors = {}
  for (const file of FILES) {
    vectors[file] = JSON.parse(readFileSync(new URL(`${file}.json`, VECTORS_DIR), 'utf8'))
  }
  return vectors
}
