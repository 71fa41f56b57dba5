// Type-checked (tsc --noEmit -p js/wasm/types-check), never run: the tokens
// entry (`jwt-accord-wasm/tokens`, tokens.d.ts) as a front end writes it.
// The lines marked @ts-expect-error must fail: the entry has no fleet API.
import initTokens, {
  DEFAULT_MAX_TOKEN_BYTES,
  ERROR_CODES,
  JwtAccordError,
  MAX_JSON_DEPTH,
  MAX_KEYS,
  Signer,
  Verifier,
  decodeUnverified,
  fingerprint,
  initSync,
  sign,
  verify,
  type ErrorCode,
  type JwtClaims,
  type SignOptions,
  type Verified,
  type VerifyOptions,
} from 'jwt-accord-wasm/tokens'
import * as tokens from 'jwt-accord-wasm/tokens'

export async function frontEnd(secret: string): Promise<string> {
  await initTokens()
  await initTokens(new URL('https://example.invalid/jwt_accord_bg.wasm'))
  initSync(new Uint8Array(8))
  const signOptions: SignOptions = { expiresIn: '15m', issuer: 'auth', audience: 'api' }
  const token: string = new Signer([secret, new Uint8Array(40)], signOptions).sign({ sub: 'user-1' })
  const verifyOptions: VerifyOptions = { issuer: 'auth', audience: 'api', leeway: 5 }
  const verifier = new Verifier(secret, verifyOptions)
  const claims: JwtClaims = verifier.verify(token)
  const full: Verified = verifier.verifyFull(token, 1_700_000_000)
  const oneShot: string = sign({ a: 1 }, secret, { now: 1_700_000_000 })
  const checked: JwtClaims = verify(oneShot, [secret], { now: 1_700_000_000 })
  const alg: string = decodeUnverified(oneShot).header.alg
  const limits: number = MAX_JSON_DEPTH + MAX_KEYS + DEFAULT_MAX_TOKEN_BYTES
  const codes: ReadonlyArray<ErrorCode> = ERROR_CODES
  try {
    verifier.verify('a.b.c')
  } catch (error) {
    if (error instanceof JwtAccordError) return error.code
  }
  return `${claims.sub} ${full.keyFingerprint} ${String(checked.iat)} ${alg} ${limits} ${codes.length} ${fingerprint(secret)}`
}

// @ts-expect-error resolveSecret is the full entry's ('jwt-accord-wasm'), not this one's
tokens.resolveSecret
// @ts-expect-error no Service here
tokens.Service
// @ts-expect-error no HTTP helpers here
tokens.bearerToken
// @ts-expect-error no checkConsistency here
tokens.checkConsistency
// @ts-expect-error no fleet constants here
tokens.REPORT_PATH
