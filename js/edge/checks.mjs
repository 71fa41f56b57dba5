// What the edge test (js/edge/run.mjs) does in every runtime and bundle, with
// the package as an edge author imports it. Environment-agnostic on purpose:
// no node: imports, no file access, no permissions; the inputs come in as an
// ES module the driver writes, and the outcome goes out as JSON.
//
// `observe(lib, inputs, env)` runs the API once (resolve from `env`, sign,
// verify, decodeUnverified, three verification failures) and returns a
// JSON-able record; the driver runs it with the napi addon in Node first and
// expects every runtime to return the same record, byte for byte (tokens
// included). `run(lib, inputs, env, runVectors)` adds the conformance vectors
// (js/test/conformance.mjs's runner, copied next to this file in the app).
/** Names the core reads from `env` that the test binds to something other than text. */
export const BINDING_NAMES = ['JWT_SECRET', 'JWT_SECRET_PRODUCTION', 'JWT_SECRET_KEY_FILE']

/**
 * `env` with non-string values where a Worker's `env` holds bindings (a KV
 * namespace, a service, a Durable Object namespace): objects and functions,
 * under names the core reads. resolveSecret counts them as unset
 * (docs/decisions.md), so the record is the one without them.
 */
export function withBindings(env) {
  class KvNamespace {
    get() {}
    put() {}
  }
  return {
    ...env,
    [BINDING_NAMES[0]]: new KvNamespace(),
    [BINDING_NAMES[1]]: { fetch() {}, connect() {} },
    [BINDING_NAMES[2]]: function durableObjectNamespace() {},
  }
}

/** One pass over the API; everything it returns is JSON. */
export function observe(lib, inputs, env) {
  const resolution = lib.resolveSecret({ env })
  const signer = new lib.Signer(resolution, inputs.signOptions)
  const token = signer.sign(inputs.claims, inputs.now)
  const verifier = new lib.Verifier(resolution, inputs.verifyOptions)
  const [header, payload, signature] = token.split('.')
  const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`
  const failures = {
    tampered_signature: () => verifier.verify(`${header}.${payload}.${flipped}`, inputs.now),
    expired: () => verifier.verify(token, inputs.now + 86_400),
    wrong_audience: () => new lib.Verifier(resolution, { ...inputs.verifyOptions, audience: 'elsewhere' }).verify(token, inputs.now),
  }
  return {
    resolution: JSON.parse(JSON.stringify(resolution)),
    summary: resolution.summary(),
    token,
    claims: verifier.verify(token, inputs.now),
    decoded: lib.decodeUnverified(token),
    failures: Object.fromEntries(Object.entries(failures).map(([name, fn]) => [name, failure(lib, fn)])),
  }
}

/**
 * The token part of observe() for the tokens entry (no resolveSecret): the
 * same secret as text, so the same token, claims and decoded token.
 */
export function observeTokens(lib, inputs) {
  const secret = inputs.env.JWT_SECRET_STAGING
  const token = new lib.Signer(secret, inputs.signOptions).sign(inputs.claims, inputs.now)
  return { token, claims: new lib.Verifier(secret, inputs.verifyOptions).verify(token, inputs.now), decoded: lib.decodeUnverified(token) }
}

/** What a call that must fail threw: its class and the fields an author reads. */
function failure(lib, fn) {
  try {
    return { threw: false, result: fn() }
  } catch (error) {
    return {
      threw: true,
      jwtAccordError: error instanceof lib.JwtAccordError,
      code: error.code,
      details: error.details,
      message: error.message,
    }
  }
}

/** The observation and the conformance vectors (`inputs.vectors`, when given). */
export function run(lib, inputs, env, runVectors) {
  const out = { observed: observe(lib, inputs, env) }
  if (inputs.vectors) {
    const { passed, failed, failures, tokens } = runVectors(lib, inputs.vectors)
    out.vectors = { passed, failed, failures: failures.slice(0, 10), tokens }
  }
  return out
}

/** The line the driver looks for in a runtime's output. */
export const MARK = 'JWT_ACCORD_EDGE_RESULT '
