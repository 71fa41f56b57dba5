// Types of the public API (index.js). The option interfaces are the ones
// napi-derive generates from bindings/node/src/lib.rs (native.d.ts), so the
// options a caller writes are exactly the fields the addon converts.
import type { SignOptions, VerifyOptions } from './native'

export type { SignOptions, VerifyOptions }

/** docs/spec.md §10: the same strings in every build. */
export type ErrorCode =
  | 'environment_missing'
  | 'environment_invalid'
  | 'secret_missing'
  | 'secret_too_short'
  | 'insecure_secret'
  | 'secret_reused_across_environments'
  | 'invalid_value'
  | 'ambiguous_source'
  | 'secret_file_invalid'
  | 'secret_file_unreadable'
  | 'token_too_large'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'invalid_signature'
  | 'invalid_claim_type'
  | 'missing_claim'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'wrong_token_type'
  | 'invalid_claims'
  | 'conflicting_claim'
  | 'invalid_key'
  | 'missing_token'

export type WarningCode =
  | 'legacy_source'
  | 'development_fallback'
  | 'whitespace_trimmed'
  | 'empty_value'
  | 'secret_too_short'
  | 'insecure_secret'
  | 'foreign_environment_secret'
  | 'secret_reused_across_environments'
  | 'shadowed_conflict'
  | 'stray_rotation_secret'
  | 'rotation_secret_duplicate'

/**
 * Every failure of the core. `message` is the core's text (identical in every
 * language); `details` holds the specifics (claim, expected and found values,
 * `kid`, held fingerprints, names tried...), never the secret.
 */
export declare class JwtAccordError extends Error {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>)
  readonly name: 'JwtAccordError'
  readonly code: ErrorCode
  readonly details: Record<string, unknown>
}

export type SourceKind = 'variable' | 'store' | 'development_fallback'
export type Outcome = 'used' | 'shadowed' | 'empty' | 'not_set'
export type EnvironmentSource = 'argument' | 'ENVIRONMENT'

export interface Source {
  readonly kind: SourceKind
  readonly name: string
}

export interface ResolutionWarning {
  readonly code: WarningCode
  readonly message: string
  /** The variable or store entry concerned, if any. */
  readonly source: string | null
}

export interface Candidate {
  readonly kind: SourceKind
  readonly name: string
  /** Whether it is set at all (an empty value counts as set). */
  readonly present: boolean
  /** The fingerprint of its stripped value, when it holds a usable one. */
  readonly fingerprint: string | null
  readonly outcome: Outcome
}

/** The JSON form of a resolution (docs/spec.md §7), keys in snake_case. */
export interface ResolutionJson {
  schema: 'jwt-accord/resolution/v1'
  environment: string
  environment_source: EnvironmentSource
  source: { kind: SourceKind; name: string }
  fingerprint: string
  warnings: Array<{ code: WarningCode; message: string; source: string | null }>
  candidates: Array<{ kind: SourceKind; name: string; present: boolean; fingerprint: string | null; outcome: Outcome }>
}

/**
 * A resolved secret and its report, made by `resolveSecret`. The secret is
 * reachable only through `exposeSecret()`: `toString()`, `toJSON()` and
 * `util.inspect` show the fingerprint.
 */
export declare class Resolution {
  private constructor()
  /** The canonical environment, e.g. `staging`. */
  readonly environment: string
  readonly environmentSource: EnvironmentSource
  /** The source that won. */
  readonly source: Source
  /** 16 lower-case hex characters of SHA-256 over the secret. */
  readonly fingerprint: string
  readonly warnings: ReadonlyArray<ResolutionWarning>
  /** Every source of docs/spec.md §3, in order. */
  readonly candidates: ReadonlyArray<Candidate>
  /** The JSON form as an object: `JSON.stringify(resolution)` is the core's text byte for byte. */
  toJSON(): ResolutionJson
  /** `jwt-accord environment=... source=... fingerprint=sha256:... warnings=N`. */
  summary(): string
  /** The summary. */
  toString(): string
  /** The secret itself. */
  exposeSecret(): string
}

/** Name/value pairs: an object such as `process.env`, or a Map. `undefined` values count as unset. */
export type NameValues = { readonly [name: string]: string | undefined } | ReadonlyMap<string, string | undefined>

export interface ResolveOptions {
  /** The variables (default `process.env`). */
  env?: NameValues
  /** An explicit environment; otherwise the `ENVIRONMENT` variable. */
  environment?: string | null
  /**
   * Already-fetched secret-store entries, or a synchronous function called only
   * for the store-entry names of the selected environment.
   */
  secretStore?: NameValues | ((name: string) => string | undefined | null) | null
}

/** A text secret (its UTF-8 bytes), raw bytes, or a resolution. */
export type Key = string | Uint8Array | Resolution
/** One key, or a keyring (current first, at most 8). */
export type KeyOrKeys = Key | ReadonlyArray<Key>

/** Registered claims, and any others. */
export interface JwtClaims {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
  token_type?: string
  [claim: string]: unknown
}

export interface JwtHeader {
  alg: string
  typ?: string
  kid?: string
  [parameter: string]: unknown
}

export interface Verified<T extends object = JwtClaims> {
  claims: T
  header: JwtHeader
  /** The fingerprint of the key that verified the signature. */
  keyFingerprint: string
}

/** `now`: seconds since the epoch (floored); default the system clock. */
export interface Now {
  now?: number
}

/** Resolves the JWT secret (docs/spec.md §2-§5). Throws `JwtAccordError` with a resolution code. */
export declare function resolveSecret(options?: ResolveOptions): Resolution

/** The fingerprint of a secret (text: its UTF-8 bytes). */
export declare function fingerprint(secret: string | Uint8Array): string

/** A reusable signer: key and options taken once. */
export declare class Signer {
  constructor(key: KeyOrKeys, options?: SignOptions)
  /** Signs a claims object (keys are serialised sorted). */
  sign(claims: object, now?: number): string
  /** The signing key's fingerprint: 16 lower-case hex characters (the default `kid`). */
  readonly fingerprint: string
}

/** A reusable verifier: keys and options taken once. */
export declare class Verifier {
  constructor(keyOrKeys: KeyOrKeys, options?: VerifyOptions)
  /** Verifies and returns the claims. */
  verify<T extends object = JwtClaims>(token: string, now?: number): T
  /** Verifies and returns the claims, the header and the verifying key's fingerprint. */
  verifyFull<T extends object = JwtClaims>(token: string, now?: number): Verified<T>
  /** The held keys' fingerprints, current first. */
  readonly fingerprints: string[]
}

/** One-shot signing. */
export declare function sign(claims: object, key: KeyOrKeys, options?: SignOptions & Now): string

/** One-shot verification; returns the claims. */
export declare function verify<T extends object = JwtClaims>(
  token: string,
  key: KeyOrKeys,
  options?: VerifyOptions & Now,
): T

/** Header and claims of a well-formed token, checking nothing else: never for an access decision. */
export declare function decodeUnverified<T extends object = JwtClaims>(token: string): { header: JwtHeader; claims: T }

export type Role = 'issuer' | 'verifier'

/** A service's report: a resolution's JSON form (or a failed one) plus `service` and `role`. */
export type ServiceReport = (
  | ResolutionJson
  | { schema: 'jwt-accord/resolution/v1'; error: { code: ErrorCode; message: string; details: Record<string, unknown> } }
) & { service: string; role?: Role | null }

export interface Consistency {
  status: 'consistent' | 'drift' | 'environment_mismatch' | 'incomplete'
  level: 'info' | 'warning' | 'critical' | 'emergency'
  environments: string[]
  groups: Array<{
    fingerprint: string
    services: Array<{ service: string; role: Role | null; environment: string; source: string }>
  }>
  failures: Array<{ service: string; code: string; message: string }>
  findings: string[]
}

/** Compares services' reports before a deploy (docs/spec.md §9). */
export declare function checkConsistency(reports: ReadonlyArray<ServiceReport>): Consistency
