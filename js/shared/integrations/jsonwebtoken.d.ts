// Types of jwt-accord/jsonwebtoken (js/shared/integrations/jsonwebtoken.mjs):
// the HS256 part of the npm jsonwebtoken API, over jwt-accord.
import type { Duration, JwtAccordError, JwtClaims, JwtHeader } from 'jwt-accord'

/** A string, a Buffer (any Uint8Array) or a node:crypto KeyObject of type `secret` (another type is `invalid_key` at run time). */
export type Secret = string | Uint8Array | { readonly type: string; export(...args: never[]): unknown }

export interface SignOptions {
  /** Only `'HS256'`; another is refused (`unsupported_algorithm`). */
  algorithm?: 'HS256'
  /** Seconds (fractions floored) or a duration with a unit (`'15m'`, `'2h'`, `'7d'`), from the payload's `iat` or now. */
  expiresIn?: number | Duration
  notBefore?: number | Duration
  audience?: string | string[]
  issuer?: string
  subject?: string
  jwtid?: string
  /** Header `kid`; default: the key's fingerprint (jwt-accord's secret-mismatch diagnosis). */
  keyid?: string
  noTimestamp?: boolean
  /** Only `alg: 'HS256'`, `typ: 'JWT'` and `kid`. */
  header?: { alg?: 'HS256'; typ?: 'JWT'; kid?: string }
  encoding?: 'utf8' | 'utf-8'
  mutatePayload?: boolean
  /** Accepted, no effect (it concerns RSA keys in jsonwebtoken). */
  allowInsecureKeySizes?: boolean
  allowInvalidAsymmetricKeyTypes?: boolean
}

export interface VerifyOptions {
  /** Only `['HS256']`; another algorithm is refused (`unsupported_algorithm`). */
  algorithms?: ReadonlyArray<'HS256'>
  /** Strings only (no RegExp). */
  audience?: string | ReadonlyArray<string>
  issuer?: string | ReadonlyArray<string>
  subject?: string
  jwtid?: string
  nonce?: string
  /** Seconds (fractions floored). */
  clockTolerance?: number
  /** Seconds since the epoch: the clock to verify at. */
  clockTimestamp?: number
  maxAge?: number | Duration
  ignoreExpiration?: boolean
  complete?: boolean
  allowInvalidAsymmetricKeyTypes?: boolean
}

export interface Jwt<T = JwtClaims> {
  header: JwtHeader
  payload: T
  signature: string
}

/** jsonwebtoken's error, plus jwt-accord's `code` and `details`; `inner` is the JwtAccordError (the core's message). */
export declare class JsonWebTokenError extends Error {
  constructor(message: string, error?: Error)
  name: 'JsonWebTokenError' | 'TokenExpiredError' | 'NotBeforeError'
  inner?: Error | JwtAccordError
  code: JwtAccordError['code'] | undefined
  details: Record<string, unknown>
}
export declare class TokenExpiredError extends JsonWebTokenError {
  constructor(message: string, expiredAt: Date, error?: Error)
  expiredAt: Date
}
export declare class NotBeforeError extends JsonWebTokenError {
  constructor(message: string, date: Date, error?: Error)
  date: Date
}

export type SignCallback = (error: Error | null, token?: string) => void
export type VerifyCallback<T = JwtClaims | Jwt> = (error: JsonWebTokenError | Error | null, decoded?: T) => void
export type GetSecret = (header: JwtHeader, done: (error: Error | null, secret?: Secret) => void) => void

export declare function sign(payload: object, secret: Secret, options?: SignOptions): string
export declare function sign(payload: object, secret: Secret, callback: SignCallback): void
export declare function sign(payload: object, secret: Secret, options: SignOptions | undefined, callback: SignCallback): void

export declare function verify<T extends object = JwtClaims>(token: string, secret: Secret, options: VerifyOptions & { complete: true }): Jwt<T>
export declare function verify<T extends object = JwtClaims>(token: string, secret: Secret, options?: VerifyOptions): T
export declare function verify(token: string, secret: Secret | GetSecret, callback: VerifyCallback): void
export declare function verify(token: string, secret: Secret | GetSecret, options: VerifyOptions | undefined, callback: VerifyCallback): void

export declare function decode<T extends object = JwtClaims>(token: string, options: { complete: true }): Jwt<T> | null
export declare function decode<T extends object = JwtClaims>(token: string, options?: { complete?: false; json?: boolean }): T | null
