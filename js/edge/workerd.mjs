// A Worker bundled as wrangler bundles one, for workerd run alone (no
// wrangler): esbuild with the Worker conditions (`workerd`, `worker`,
// `browser`), and each `.wasm` import left as an import of a module of its own
// (copied next to the bundle), which the workerd config lists as a `wasm`
// module: Workers get a compiled WebAssembly.Module that way and refuse to
// compile bytes at run time.
import { copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/**
 * Bundles `entry` into `dir/worker.mjs`; returns the names of the `.wasm`
 * modules it imports (copied into `dir`). `options` go to esbuild as they are
 * (e.g. `nodePaths`).
 */
export async function bundleWorker(entry, dir, options = {}) {
  const wasm = new Map()
  await require('esbuild').build({
    entryPoints: [entry],
    outfile: path.join(dir, 'worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'error',
    ...options,
    plugins: [
      {
        name: 'wasm-modules',
        setup(build) {
          build.onResolve({ filter: /\.wasm$/ }, (args) => {
            const file = path.resolve(args.resolveDir, args.path)
            wasm.set(path.basename(file), file)
            return { path: `./${path.basename(file)}`, external: true }
          })
        },
      },
    ],
  })
  for (const [name, file] of wasm) copyFileSync(file, path.join(dir, name))
  return [...wasm.keys()]
}
