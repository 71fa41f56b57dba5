// How a TypeScript service uses jwt-accord; checked with `tsc --noEmit -p js/types`.
// The @ts-expect-error lines prove the types refuse what the runtime refuses.
import {
  bearerToken,
  Challenge,
  checkConsistency,
  cookieToken,
  decodeUnverified,
  fingerprint,
  JwtAccordError,
  Resolution,
  REPORT_PATH,
  resolveSecret,
  Service,
  sign,
  Signer,
  verify,
  Verifier,
  websocketToken,
  WEBSOCKET_CLOSE_CODE,
  WEBSOCKET_SUBPROTOCOL,
  type Consistency,
  type ErrorCode,
  type JwtClaims,
  type KeyOrKeys,
  type PublishedReport,
  type Refusal,
  type ResolutionJson,
  type SignOptions,
  type Verified,
  type VerifyOptions,
} from 'jwt-accord'
import * as promClient from 'prom-client'

// Start-up: resolve once, log the summary, keep the resolution as the key.
const resolution: Resolution = resolveSecret()
console.log(resolution.summary())
const explicit = resolveSecret({
  env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: undefined },
  environment: 'staging',
  secretStore: (name: string) => (name === 'jwt-secret-staging' ? 'fetched-value' : undefined),
})
const fromMaps = resolveSecret({ env: new Map([['ENVIRONMENT', 'test']]), secretStore: new Map<string, string>() })
// docs/spec.md §15: a directory store and a caller-supplied file reader.
const fromFiles = resolveSecret({ secretDirectory: '/run/secrets', readFile: (path: string) => new Uint8Array(path.length) })
const slots: Array<'current' | 'next' | 'previous'> = fromFiles.keys.map((k) => k.slot)
const filePath: string | undefined = fromFiles.source.path
// @ts-expect-error readFile returns the content, not a Promise
resolveSecret({ readFile: async (path: string) => path })
const env: string = explicit.environment
const origin: 'argument' | 'ENVIRONMENT' = explicit.environmentSource
const sourceName: string = explicit.source.name
const outcomes: string[] = explicit.candidates.map((c) => `${c.name}:${c.outcome}:${c.fingerprint ?? '-'}`)
const warningCodes: string[] = fromMaps.warnings.map((w) => w.code)
const json: ResolutionJson = resolution.toJSON()
const secret: string = resolution.exposeSecret()
// @ts-expect-error a Resolution is only made by resolveSecret()
new Resolution()
// @ts-expect-error environment is a string
resolveSecret({ environment: 5 })
// @ts-expect-error the store is synchronous
resolveSecret({ secretStore: async (name: string) => name })

// Tokens.
const signOptions: SignOptions = { expiresIn: 900, issuer: 'auth', audience: ['api', 'web'], tokenType: 'access', kid: true }
const signer = new Signer(resolution, signOptions)
const token: string = signer.sign({ sub: 'user-1', roles: ['admin'] })
const tokenAt: string = signer.sign({ sub: 'user-1' }, Date.now() / 1000)
const keyring: KeyOrKeys = [resolution, 'previous-secret-of-at-least-32-bytes!!', new Uint8Array(32), Buffer.alloc(32)]
const verifyOptions: VerifyOptions = { issuer: 'auth', audience: 'api', leeway: 5, required: ['exp', 'sub'], maxAge: 3600, maxTokenBytes: 8192 }
const verifier = new Verifier(keyring, verifyOptions)
const held: string[] = verifier.fingerprints
const signingKey: string = signer.fingerprint
const claims: JwtClaims = verifier.verify(token)
const subject: string | undefined = claims.sub
const expires: number | undefined = claims.exp

interface Session {
  sub: string
  sid: string
}
const session: Session = verifier.verify<Session>(token, 1_700_000_000)
const full: Verified<Session> = verifier.verifyFull<Session>(token)
const keyFingerprint: string = full.keyFingerprint
const headerAlg: string = full.header.alg
const oneShot: string = sign({ sub: 'x' }, 'a-text-secret-of-at-least-32-bytes!!', { expiresIn: 60, now: 1_700_000_000, kid: 'custom' })
const oneShotClaims: JwtClaims = verify(oneShot, ['a-text-secret-of-at-least-32-bytes!!'], { now: 1_700_000_000, required: [] })
const decoded = decodeUnverified(oneShot)
const refreshAt: number | undefined = decoded.claims.exp
const fp: string = fingerprint(Buffer.from('bytes')) + fingerprint('text')
// @ts-expect-error a duration string needs a unit ('60' is 60 ms in jsonwebtoken)
new Signer('k', { expiresIn: '60' })
// @ts-expect-error options are camelCase
new Verifier('k', { max_age: 60 })
// @ts-expect-error kid is true, false or a string
sign({}, 'k', { kid: 5 })
// @ts-expect-error a token is a string
verifier.verify(Buffer.from(token))
// @ts-expect-error a key is text, bytes or a resolution
new Verifier({ secret: 'k' })
// @ts-expect-error a signer's fingerprint is read-only
signer.fingerprint = 'x'

// Errors.
try {
  verifier.verify(token)
} catch (error) {
  if (error instanceof JwtAccordError) {
    const code: ErrorCode = error.code
    const details: Record<string, unknown> = error.details
    if (code === 'unknown_key') console.error(error.message, details['kid'], details['held'])
    // @ts-expect-error not an error code
    const wrong: ErrorCode = 'token_expired'
    void wrong
  }
}

// Before a deploy.
const report: Consistency = checkConsistency([
  { ...resolution.toJSON(), service: 'auth', role: 'issuer' },
  { ...explicit.toJSON(), service: 'backend', role: 'verifier' },
])
if (report.status !== 'consistent') console.error(report.level, report.findings.join('\n'))

// Publishing (docs/spec.md §16): the report at REPORT_PATH, the metrics, prom-client.
const service = new Service('auth', resolution, { role: 'issuer', signers: [signer], verifiers: [verifier] })
const reportPath: '/.well-known/jwt-accord' = REPORT_PATH
const published: PublishedReport = service.report()
const publishedRole: 'issuer' | 'verifier' | undefined = published.role
const exposition: string = service.metrics() + service.reportJson()
service.register(promClient, new promClient.Registry())
service.register(promClient)
service.register(promClient, new promClient.Registry<promClient.OpenMetricsContentType>())
new Service('worker', resolution, { role: null })
// @ts-expect-error the role is issuer or verifier (absent: both)
new Service('auth', resolution, { role: 'admin' })
// @ts-expect-error register takes the prom-client module first, then a registry
service.register(new promClient.Registry())
// @ts-expect-error a Service watches Verifier objects
new Service('auth', resolution, { verifiers: [signer] })

// HTTP and WebSocket (docs/spec.md §17): the token from headers, one refusal for every failure.
const challenge = new Challenge('api', { environment: resolution.environment })
new Challenge('api', { environment: 'production', exposeMessages: true })
function authenticate(headers: Record<string, string | string[] | undefined>, fetched: Headers): Refusal | undefined {
  try {
    const token =
      bearerToken(headers['authorization']) ??
      bearerToken(fetched.get('authorization')) ??
      websocketToken(headers['sec-websocket-protocol']) ??
      cookieToken(headers['cookie'], 'session')
    verifier.verify(token ?? '')
    return undefined
  } catch (error) {
    if (error instanceof JwtAccordError) return challenge.refusal(error)
    throw error
  }
}
const answer = authenticate({}, new Headers())
const close: 4401 | 1011 | undefined = answer?.closeCode
const offered: ['jwt-accord.bearer', string] = [WEBSOCKET_SUBPROTOCOL, 'token']
const refusedCode: 4401 = WEBSOCKET_CLOSE_CODE
// @ts-expect-error a Challenge needs the environment (for its default of exposeMessages)
new Challenge('api', {})
// @ts-expect-error a cookie is read by name
cookieToken('session=x')

export const used = [close, offered, refusedCode, reportPath, publishedRole, exposition, env, origin, sourceName, outcomes, warningCodes, json, secret, tokenAt, subject, expires, session, keyFingerprint, headerAlg, oneShotClaims, refreshAt, fp, held, signingKey, slots, filePath]
