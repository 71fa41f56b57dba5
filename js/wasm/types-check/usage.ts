// Type-checked (tsc --noEmit -p js/wasm/types-check), never run: the public
// API as a TypeScript caller writes it, through the package's own exports map.
import init, {
  bearerToken,
  Challenge,
  checkConsistency,
  decodeUnverified,
  fingerprint,
  initSync,
  JwtAccordError,
  Resolution,
  REPORT_PATH,
  resolveSecret,
  Service,
  sign,
  Signer,
  verify,
  Verifier,
  WEBSOCKET_SUBPROTOCOL,
  type Consistency,
  type ErrorCode,
  type JwtClaims,
  type PublishedReport,
  type SignOptions,
  type Verified,
  type VerifyOptions,
} from 'jwt-accord-wasm'
import * as web from 'jwt-accord-wasm/web'
import * as node from 'jwt-accord-wasm/node'
import * as workerd from 'jwt-accord-wasm/workerd'
import * as deno from 'jwt-accord-wasm/deno'

/** A Worker's env as `wrangler types` writes it: an interface, with bindings that are not text. */
interface WorkerEnv {
  ENVIRONMENT: string
  JWT_SECRET_PRODUCTION: string
  SESSIONS: { get(key: string): Promise<string | null> }
}

export function inWorker(env: WorkerEnv): Resolution {
  return workerd.resolveSecret({ env })
}

export async function start(): Promise<string> {
  await init()
  await web.default(new URL('https://example.invalid/jwt_accord_bg.wasm'))
  initSync(new Uint8Array(8))
  await node.default()
  await deno.default()

  const resolution: Resolution = resolveSecret({
    env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: undefined },
    environment: null,
    secretStore: (name: string) => (name === 'jwt-secret-key' ? 'x'.repeat(40) : undefined),
  })
  resolveSecret({ env: new Map([['ENVIRONMENT', 'test']]), secretStore: { 'jwt-secret-test': 'y'.repeat(40) } })
  const env: string = resolution.environment
  const kind: 'variable' | 'store' | 'file' | 'development_fallback' = resolution.source.kind
  const firstOutcome = resolution.candidates[0]?.outcome
  const warningCodes = resolution.warnings.map((w) => w.code)
  const json: string = JSON.stringify(resolution.toJSON())
  const secret: string = resolution.exposeSecret()
  const summary: string = resolution.summary() + String(resolution)

  const signOptions: SignOptions = { expiresIn: 900, issuer: 'auth', audience: ['api', 'web'], kid: false, setIssuedAt: true }
  const signer = new Signer([resolution, 'z'.repeat(40), new Uint8Array(40)], signOptions)
  const token: string = signer.sign({ sub: 'user-1', scopes: ['read'] }, Date.now() / 1000)
  signer.sign({})

  const verifyOptions: VerifyOptions = { issuer: 'auth', audience: 'api', leeway: 5, required: ['exp', 'sub'], maxAge: 3600 }
  const verifier = new Verifier(resolution, verifyOptions)
  const held: string[] = verifier.fingerprints
  const signingKey: string = signer.fingerprint
  const claims: JwtClaims = verifier.verify(token)
  const exp: number | undefined = claims.exp
  interface Mine {
    sub: string
    scopes: string[]
  }
  const mine: Mine = verifier.verify<Mine>(token, 1_700_000_000)
  const full: Verified<Mine> = verifier.verifyFull<Mine>(token)
  const kid: string = full.keyFingerprint + (full.header.kid ?? '') + full.header.alg

  const oneShot: string = sign({ a: 1 }, 'k'.repeat(40), { expiresIn: 60, now: 1_700_000_000 })
  const checked: JwtClaims = verify(oneShot, ['k'.repeat(40)], { now: 1_700_000_000, tokenType: 'access' })
  const decoded = decodeUnverified(oneShot)
  const alg: string = decoded.header.alg
  const fp: string = fingerprint('k'.repeat(40)) + fingerprint(new Uint8Array(40))

  const report: Consistency = checkConsistency([
    { ...resolution.toJSON(), service: 'auth', role: 'issuer' },
    { schema: 'jwt-accord/resolution/v1', error: { code: 'secret_missing', message: 'm', details: {} }, service: 'backend' },
  ])
  const status: 'consistent' | 'drift' | 'environment_mismatch' | 'incomplete' | 'rotating' = report.status

  // Publishing (docs/spec.md §16).
  const service = new Service('edge', resolution, { role: 'verifier', verifiers: [verifier] })
  const published: PublishedReport = service.report()
  const path: '/.well-known/jwt-accord' = REPORT_PATH
  const exposition = `${path} ${published.service} ${service.metrics()}`

  // HTTP (docs/spec.md §17): a Fetch request's token, or the refusal's response.
  const challenge = new Challenge('edge', { environment: resolution.environment })
  const request = new Request('https://example.invalid/', { headers: { authorization: 'Bearer a.b.c' } })
  try {
    verifier.verify(bearerToken(request.headers.get('authorization')))
  } catch (error) {
    if (error instanceof JwtAccordError) {
      const { status, wwwAuthenticate, body } = challenge.refusal(error)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (wwwAuthenticate !== null) headers['www-authenticate'] = wwwAuthenticate
      return new Response(body, { status, headers }).statusText + WEBSOCKET_SUBPROTOCOL
    }
  }

  try {
    verifier.verify('a.b.c')
  } catch (error) {
    if (error instanceof JwtAccordError) {
      const code: ErrorCode = error.code
      const details: Record<string, unknown> = error.details
      return `${code} ${String(details['kid'])} ${error.message}`
    }
    if (error instanceof TypeError) return error.message
  }
  return [env, kind, firstOutcome, warningCodes, json, secret, summary, exp, mine.sub, kid, checked.sub, alg, fp, status, exposition].join()
}
