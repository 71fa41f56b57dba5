// Type-checked (tsc --noEmit -p js/wasm/types-check), never run: the tokens
// entry (`jwt-accord-wasm/tokens`, tokens.d.ts) as a front end writes it.
// The lines marked @ts-expect-error must fail: the entry has no fleet API.
import * as tokens from 'jwt-accord-wasm/tokens'

export async function frontEnd(secret: string): Promise<string> {
  await tokens.default()
  await tokens.default(new URL('https://example.invalid/jwt_accord_bg.wasm'))
  tokens.initSync(new Uint8Array(8))
  const signOptions: tokens.SignOptions = { expiresIn: '15m', issuer: 'auth', audience: 'api' }
  const token: string = new tokens.Signer([secret, new Uint8Array(40)], signOptions).sign({ sub: 'user-1' })
  const verifyOptions: tokens.VerifyOptions = { issuer: 'auth', audience: 'api', leeway: 5 }
  const verifier = new tokens.Verifier(secret, verifyOptions)
  const claims: tokens.JwtClaims = verifier.verify(token)
  const full: tokens.Verified = verifier.verifyFull(token, 1_700_000_000)
  const oneShot: string = tokens.sign({ a: 1 }, secret, { now: 1_700_000_000 })
  const checked: tokens.JwtClaims = tokens.verify(oneShot, [secret], { now: 1_700_000_000 })
  const alg: string = tokens.decodeUnverified(oneShot).header.alg
  const limits: number = tokens.MAX_JSON_DEPTH + tokens.MAX_KEYS + tokens.DEFAULT_MAX_TOKEN_BYTES
  const codes: ReadonlyArray<tokens.ErrorCode> = tokens.ERROR_CODES
  try {
    verifier.verify('a.b.c')
  } catch (error) {
    if (error instanceof tokens.JwtAccordError) return error.code
  }
  return `${claims.sub} ${full.keyFingerprint} ${String(checked.iat)} ${alg} ${limits} ${codes.length} ${tokens.fingerprint(secret)}`
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
