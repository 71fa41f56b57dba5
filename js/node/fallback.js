'use strict'
// The WebAssembly fallback of the `jwt-accord` package (issue 18 item 1b): where
// no prebuilt addon loads (a platform without one, such as Alpine's musl or
// macOS, or an install that left the optional platform package out), index.js
// takes the API from `jwt-accord-wasm` instead and this module says so, in one
// line on stderr, once per process.
//
// Both packages build their API from the same js/shared/api.mjs, so the
// exports are the same functions and classes. Two defaults are the addon's and
// are supplied here: `resolveSecret` reads `process.env` when given no `env`,
// and reads `_FILE` variables and directory stores with the file system when
// given no `readFile` (the bytes read are zeroed once the engine has them).

const { readFileSync } = require('fs')

// The published package.json lists the platform packages (scripts/dist.sh writes them, as napi-rs's pre-publish does).
const { name, version, optionalDependencies = {} } = require('./package.json')

/** The napi-rs name of this platform: `linux-x64-gnu`, `linux-x64-musl`, `darwin-arm64`, `win32-x64-msvc`. */
function platformName() {
  const base = `${process.platform}-${process.arch}`
  if (process.platform === 'win32') return `${base}-msvc`
  if (process.platform !== 'linux') return base
  const report = process.report && typeof process.report.getReport === 'function' ? process.report.getReport() : null
  return report && report.header && report.header.glibcVersionRuntime ? `${base}-gnu` : `${base}-musl`
}

/** The one line: the platform, what runs instead, and how to get the addon. */
function notice(platform, nativeError) {
  const platformPackage = `${name}-${platform}`
  let remedy
  if (installed(platformPackage)) {
    remedy = `${platformPackage} is installed but did not load: ${loadFailure(nativeError)}`
  } else if (Object.hasOwn(optionalDependencies, platformPackage)) {
    remedy = `install the optional dependency ${platformPackage}@${version} (npm leaves it out with --omit=optional)`
  } else {
    remedy = `no prebuilt ${platformPackage} is published: build the addon from source (napi build --platform --release in js/node)`
  }
  return `${name}: no native addon loaded for ${platform}; using the WebAssembly build (jwt-accord-wasm). For the native addon, ${remedy}.\n`
}

function installed(packageName) {
  try {
    require.resolve(`${packageName}/package.json`)
    return true
  } catch {
    return false
  }
}

/**
 * Why a .node did not load: the first line of the first error under napi's
 * (its `cause` chain, messages only) that is not a module not found.
 */
function loadFailure(error) {
  for (let e = error.cause; e instanceof Error; e = e.cause) {
    if (!e.message.startsWith('Cannot find module')) return e.message.split('\n')[0]
  }
  return error.message.split('\n')[0]
}

/**
 * The API from jwt-accord-wasm with the addon's defaults, after one line on
 * stderr. `nativeError` (why the addon did not load) becomes the `cause` if
 * the WebAssembly build cannot load either.
 */
function wasmApi(nativeError) {
  let wasm
  try {
    // An ES module without top-level await: require() loads it on Node >= 20.19 and >= 22.12.
    wasm = require('jwt-accord-wasm')
  } catch (wasmError) {
    const error = new Error(
      `${name}: no native addon loaded for ${platformName()}, and its WebAssembly fallback (jwt-accord-wasm) did not load ` +
        `either (${wasmError.message}; it needs Node >= 20.19 or >= 22.12 to require an ES module). Addon: ${nativeError.message}`,
    )
    error.cause = nativeError
    throw error
  }
  process.stderr.write(notice(platformName(), nativeError))
  return { ...wasm, resolveSecret: withNodeDefaults(wasm.resolveSecret) }
}

/** `resolveSecret` defaulting `env` to `process.env` and `readFile` to the file system, as the addon does. */
function withNodeDefaults(resolveSecret) {
  return function (options) {
    const given = options === undefined ? {} : options
    // Anything but a plain options object goes through untouched, to fail as the addon's would.
    if (given === null || typeof given !== 'object' || Array.isArray(given)) return resolveSecret(options)
    const read = []
    const filled = { ...given }
    if (filled.env === undefined) filled.env = process.env
    if (filled.readFile === undefined || filled.readFile === null) {
      filled.readFile = (path) => {
        const bytes = readFileSync(path)
        read.push(bytes)
        return bytes
      }
    }
    try {
      return resolveSecret(filled)
    } finally {
      for (const bytes of read) bytes.fill(0)
    }
  }
}

module.exports = { wasmApi }
