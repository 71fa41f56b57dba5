// Types of jwt-accord's public JavaScript API (js/shared/api.mjs), for both
// packages: js/scripts/build-api.mjs generates js/node/index.d.ts and
// js/wasm/index.d.ts from this file. Lines between `// @only node` (or wasm)
// and `// @end` belong to that package alone; the ErrorCode and WarningCode
// unions and the @-named constants are filled in from the core's
// `constants()` at build time.

/** docs/spec.md §10: the same strings in every build. */
export type ErrorCode = never // @codes

export type WarningCode = never // @codes

/**
 * Every failure of the core. `message` is the core's text (identical in every
 * language); `details` holds the specifics (claim, expected and found values,
 * `kid`, held fingerprints, names tried...), never the secret. Arguments of the
 * wrong type throw `TypeError` instead.
 */
export declare class JwtAccordError extends Error {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>)
  readonly name: 'JwtAccordError'
  readonly code: ErrorCode
  readonly details: Record<string, unknown>
}

export type SourceKind = 'variable' | 'store' | 'file' | 'development_fallback'
export type Outcome = 'used' | 'shadowed' | 'empty' | 'not_set'
export type EnvironmentSource = 'argument' | 'ENVIRONMENT'
/** Which key of a rotation a held key is (docs/spec.md §14). */
export type KeySlot = 'current' | 'next' | 'previous'

export interface Source {
  readonly kind: SourceKind
  readonly name: string
  /** The file read, for a file source. */
  readonly path?: string
}

/** A key a resolution holds: the winner (`current`) and its rotation companions. */
export interface HeldKey {
  readonly slot: KeySlot
  readonly source: Source
  readonly fingerprint: string
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
  /** The file read, for a file candidate. */
  readonly path?: string
}

/** The JSON form of a resolution (docs/spec.md §7), keys in snake_case. */
export interface ResolutionJson {
  schema: 'jwt-accord/resolution/v2'
  environment: string
  environment_source: EnvironmentSource
  source: { kind: SourceKind; name: string; path?: string }
  fingerprint: string
  keys: Array<{ slot: KeySlot; source: { kind: SourceKind; name: string; path?: string }; fingerprint: string }>
  warnings: Array<{ code: WarningCode; message: string; source: string | null }>
  candidates: Array<{ kind: SourceKind; name: string; present: boolean; fingerprint: string | null; outcome: Outcome; path?: string }>
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
  /** The keys held, current first (docs/spec.md §14). */
  readonly keys: ReadonlyArray<HeldKey>
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

/** Name/value pairs: a plain object (such as `process.env`) or a Map. `undefined` values count as unset. */
export type NameValues = { readonly [name: string]: string | undefined } | ReadonlyMap<string, string | undefined>

/**
 * The variables `resolveSecret` reads: `NameValues`, or any object such as a
 * Worker's `env` as it is. Only the names the core reads are looked up; a value
 * there that is an object other than an array, or a function (a binding: a KV
 * namespace, a service), or `null` counts as unset; another non-string is a
 * `TypeError`.
 */
export type Env = NameValues | object

export interface ResolveOptions {
// @only node
  /** The variables (default `process.env`). */
  env?: Env
// @end
// @only wasm
  /** The variables: required, there is no process environment to default to. */
  env: Env
// @end
  /** An explicit environment; otherwise the `ENVIRONMENT` variable. */
  environment?: string | null
  /**
   * Already-fetched secret-store entries, or a synchronous function called only
   * for the store-entry names of the selected environment.
   */
  secretStore?: NameValues | ((name: string) => string | undefined | null) | null
  /**
   * A directory store (docs/spec.md §15): each store entry is the file named
   * after it in this folder (a Kubernetes secret volume, `/run/secrets`). Not
   * with `secretStore`. With neither, `CREDENTIALS_DIRECTORY` (systemd) applies.
   */
  secretDirectory?: string | null
// @only node
  /**
   * Reads the files of `_FILE` variables and directory stores (default: the
   * addon reads them itself, as the Python and CLI builds do). Returns the
   * content (a string is its UTF-8 bytes); `undefined`, `null` or an error with
   * `code: 'ENOENT'` is a missing file; any other error is a failed read, its
   * message the reason (`secret_file_unreadable`).
   */
  readFile?: ((path: string) => string | Uint8Array | undefined | null) | null
// @end
// @only wasm
  /**
   * Reads the files of `_FILE` variables and directory stores: this build has
   * no file system, so without it a file to read is `secret_file_unreadable`
   * ("this build reads no files: pass readFile"). Returns the content (a string
   * is its UTF-8 bytes); `undefined`, `null` or an error with `code: 'ENOENT'`
   * is a missing file; any other error is a failed read, its message the reason.
   */
  readFile?: ((path: string) => string | Uint8Array | undefined | null) | null
// @end
}

/** A text secret (its UTF-8 bytes), raw bytes, or a resolution. */
export type Key = string | Uint8Array | Resolution
/** One key, or a keyring (current first, at most @max_keys). */
export type KeyOrKeys = Key | ReadonlyArray<Key>

/** A unit of a duration, spelled as the `ms` package spells them (a year is 365.25 days). */
export type DurationUnit =
  | 'ms' | 'msec' | 'msecs' | 'millisecond' | 'milliseconds'
  | 's' | 'sec' | 'secs' | 'second' | 'seconds'
  | 'm' | 'min' | 'mins' | 'minute' | 'minutes'
  | 'h' | 'hr' | 'hrs' | 'hour' | 'hours'
  | 'd' | 'day' | 'days'
  | 'w' | 'week' | 'weeks'
  | 'y' | 'yr' | 'yrs' | 'year' | 'years'

/**
 * A duration as text: a number and a unit (`'15m'`, `'2h'`, `'7d'`, `'1.5 hours'`),
 * a whole number of seconds in all. A bare number string (`'60'`) is refused:
 * jsonwebtoken reads it as milliseconds.
 */
export type Duration = `${number}${DurationUnit}` | `${number} ${DurationUnit}`

/** Signing options (docs/spec.md §8.1). */
export interface SignOptions {
  /** Accepted for jsonwebtoken's habit: only `'HS256'`; another is `unsupported_algorithm`. */
  algorithm?: 'HS256'
  /** Seconds (or a duration) from `now` to `exp`. */
  expiresIn?: number | Duration
  /** `iss`. */
  issuer?: string
  /** `aud`: one string, or a list kept as a list. */
  audience?: string | Array<string>
  /** `sub`. */
  subject?: string
  /** Claim `token_type` (e.g. `access`, `refresh`). */
  tokenType?: string
  /** Seconds (or a duration) from `now` to `nbf` (0: valid from now). */
  notBefore?: number | Duration
  /** `jti`. */
  jti?: string
  /** Set `iat = now` when the claims hold no `iat` (default `true`). */
  setIssuedAt?: boolean
  /** Header `kid`: `true` (default) the key's fingerprint, `false` none, a string that `kid`. */
  kid?: boolean | string
}

/** Verification options (docs/spec.md §8.2). */
export interface VerifyOptions {
  /** Accepted for jsonwebtoken's and PyJWT's habit: only `['HS256']`; another algorithm is `unsupported_algorithm`. */
  algorithms?: ReadonlyArray<'HS256'>
  /** When set, `iss` must be a string equal to one of these. */
  issuer?: string | Array<string>
  /** When set, `aud` must share a value with these; when not set, a token with `aud` is refused. */
  audience?: string | Array<string>
  /** Seconds of clock tolerance for `exp`, `nbf` and `iat` (default 0). */
  leeway?: number
  /** Claims that must be present (default `["exp"]`; `[]` requires nothing). */
  required?: Array<string>
  /** When set, claim `token_type` must equal it. */
  tokenType?: string
  /** When set, `iat` must be present and `now - iat <= maxAge + leeway` (seconds, or a duration). */
  maxAge?: number | Duration
  /** Larger tokens are refused before any decoding (default @default_max_token_bytes). */
  maxTokenBytes?: number
}

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
  /** That key's slot when it came from a resolution; `null` for a raw key. */
  keySlot: KeySlot | null
}

/** `now`: seconds since the epoch (floored); default the system clock (`Date.now() / 1000`). */
export interface Now {
  now?: number
}

/** Resolves the JWT secret (docs/spec.md §2-§5). Throws `JwtAccordError` with a resolution code. */
// @only node
export declare function resolveSecret(options?: ResolveOptions): Resolution
// @end
// @only wasm
export declare function resolveSecret(options: ResolveOptions): Resolution
// @end

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
  | Omit<ResolutionJson, 'schema' | 'keys'> & { schema: 'jwt-accord/resolution/v1' }
  | {
      schema: 'jwt-accord/resolution/v1' | 'jwt-accord/resolution/v2'
      error: { code: ErrorCode; message: string; details: Record<string, unknown> }
    }
) & { service: string; role?: Role | null }

export interface Consistency {
  schema: 'jwt-accord/consistency/v2'
  status: 'consistent' | 'drift' | 'environment_mismatch' | 'incomplete' | 'rotating'
  level: 'info' | 'warning' | 'critical' | 'emergency'
  environments: string[]
  groups: Array<{
    fingerprint: string
    services: Array<{
      service: string
      role: Role | null
      environment: string
      source: string
      /** The fingerprint of the service's `next` key, when it holds one. */
      next?: string
      /** The fingerprint of the service's `previous` key, when it holds one. */
      previous?: string
    }>
  }>
  failures: Array<{ service: string; code: string; message: string }>
  findings: string[]
  /** The next step of a key rotation under way (docs/spec.md §14), when there is one. */
  rotation?: { step: 'pre_seed_next' | 'switch_issuers' | 'retire_previous'; keys: string[]; waiting_for: string[] }
}

/** Compares services' reports before a deploy (docs/spec.md §9). */
export declare function checkConsistency(reports: ReadonlyArray<ServiceReport>): Consistency

/** What a `Service` publishes at `REPORT_PATH`: its resolution's JSON form plus `service` and, when declared, `role`. */
export type PublishedReport = ResolutionJson & { service: string; role?: Role }

export interface ServiceOptions {
  /** `'issuer'` or `'verifier'`; absent or `null`: the service does both. */
  role?: Role | null
  /** Verifiers whose verifications the metrics count (`jwt_accord_verifications_total`). */
  verifiers?: ReadonlyArray<Verifier> | null
  /** Signers whose signatures the metrics count (`jwt_accord_signatures_total`). */
  signers?: ReadonlyArray<Signer> | null
}

/** What `Service#register` builds a prom-client metric from (`R`: the registry's type). */
export interface PromMetricConfiguration<R> {
  name: string
  help: string
  labelNames: ReadonlyArray<string>
  registers: R[]
  collect(this: { reset(): void; inc(labels: Record<string, string>, value: number): void }): void
}

/** The part of the prom-client module that `Service#register` uses (`import * as client from 'prom-client'`). */
export interface PromClient<R> {
  Gauge: new (configuration: PromMetricConfiguration<R>) => unknown
  Counter: new (configuration: PromMetricConfiguration<R>) => unknown
  /** The global registry, `register`'s default. */
  register: R
}

/**
 * A running service as it publishes itself (docs/spec.md §16): its report,
 * to serve at `REPORT_PATH` for `checkConsistency`, and its Prometheus
 * metrics (`jwt_accord_key_info`, `jwt_accord_verifications_total`,
 * `jwt_accord_signatures_total`), counting what the watched verifiers and
 * signers do. Fingerprints only, never a secret. A refused name (1 to 200
 * bytes, no control characters) or role is a `TypeError` with the core's message.
 */
export declare class Service {
  constructor(name: string, resolution: Resolution, options?: ServiceOptions)
  readonly name: string
  /** The declared role; `null`: both. */
  readonly role: Role | null
  /** The published report. */
  report(): PublishedReport
  /** The published report as compact JSON text, identical from every build. */
  reportJson(): string
  /** The Prometheus text exposition (format 0.0.4), identical from every build. */
  metrics(): string
  /**
   * Registers the metrics with prom-client (not a dependency of this package):
   * `client` is the prom-client module, `registry` one of its registries
   * (default `client.register`). The values are read at every scrape.
   */
  register<R extends { registerMetric(metric: never): void }>(client: PromClient<R>, registry?: R): void
  /** The report: `JSON.stringify(service)` is `reportJson()`. */
  toJSON(): PublishedReport
  /** `Service <name="api" role=verifier fingerprint=sha256:...>`. */
  toString(): string
}

/**
 * A request header's values: absent (`undefined`; `null` from Fetch's
 * `headers.get`), one string (Node's `req.headers`), or one string per header
 * line (Node's `req.headersDistinct`).
 */
export type HeaderValues = string | ReadonlyArray<string> | null | undefined

/**
 * The bearer token of a request's `Authorization` header (docs/spec.md §17).
 * Throws `JwtAccordError` `missing_token` when there is none, `invalid_request`
 * when it is malformed (another scheme, two tokens, characters a token cannot hold).
 */
export declare function bearerToken(authorization: HeaderValues): string
/**
 * The token of a WebSocket handshake's `Sec-WebSocket-Protocol` header: the
 * entry after `WEBSOCKET_SUBPROTOCOL`. Throws `missing_token` when the
 * subprotocol is not offered, `invalid_request` when it is malformed.
 */
export declare function websocketToken(protocols: HeaderValues): string
/** The cookie `name` of a request's `Cookie` header, or `null`; throws `invalid_request` when its value is not a token. */
export declare function cookieToken(cookies: HeaderValues, name: string): string | null

export interface ChallengeOptions {
  /** The environment's name (e.g. `resolution.environment`): messages go into bodies in `development` and `test` only. */
  environment: string
  /** Whether refusal bodies carry the core's message; absent or `null`: by `environment`. */
  exposeMessages?: boolean | null
}

/** What a `Challenge` answers: a `JwtAccordError`, or any error with its code and message. */
export interface RefusableError {
  readonly code: string
  readonly message: string
}

/** The answer to a refused request or WebSocket handshake. */
export interface Refusal {
  /** 401 (missing or refused token), 400 (malformed request) or 500 (an error no request can cause). */
  status: 400 | 401 | 500
  /** The `WWW-Authenticate` header value; `null` with a 500. */
  wwwAuthenticate: string | null
  /** The JSON body (`application/json`) as text: `{"code"}`, plus `"message"` where messages are exposed. */
  body: string
  /** `WEBSOCKET_CLOSE_CODE`, or 1011 (internal error) with a 500. */
  closeCode: @websocket_close_code | 1011
  /** The WebSocket close reason: the error code (`internal_error` for a code the core does not know). */
  closeReason: ErrorCode | 'internal_error'
}

/**
 * How a service answers refused requests (docs/spec.md §17): one status,
 * `WWW-Authenticate` header, body and WebSocket close for every refusal. A
 * refused realm (1 to 100 printable ASCII characters, no `"` or `\`) or
 * environment is a `TypeError` with the core's message.
 */
export declare class Challenge {
  constructor(realm: string, options: ChallengeOptions)
  readonly realm: string
  /** The answer to `error`. */
  refusal(error: RefusableError): Refusal
}

/** The WebSocket subprotocol that carries a token: `new WebSocket(url, [WEBSOCKET_SUBPROTOCOL, token])`. */
export declare const WEBSOCKET_SUBPROTOCOL: @websocket_subprotocol
/** The close code of a refused WebSocket. */
export declare const WEBSOCKET_CLOSE_CODE: @websocket_close_code
/** The path a service serves its published report at. */
export declare const REPORT_PATH: @report_path
/** The nesting limit of claims and reports (the claims object is level 1). */
export declare const MAX_JSON_DEPTH: @max_json_depth
/** The most keys a keyring holds. */
export declare const MAX_KEYS: @max_keys
/** The size limit `decodeUnverified` applies, and `Verifier`'s default `maxTokenBytes`. */
export declare const DEFAULT_MAX_TOKEN_BYTES: @default_max_token_bytes
/** Every error code, in the order of docs/spec.md §10. */
export declare const ERROR_CODES: ReadonlyArray<ErrorCode>
/** Every warning code. */
export declare const WARNING_CODES: ReadonlyArray<WarningCode>
// @only wasm

/** What `init` accepts: where to fetch the module from, or the module itself. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module

/**
 * Instantiates the WebAssembly module; call once before anything else in a
 * browser or edge runtime (web.mjs). Without an argument, fetches
 * `pkg-web/jwt_accord_bg.wasm` relative to web.mjs. In Node (node.mjs) the
 * module is instantiated at import and this resolves at once.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>

/** Instantiates the module synchronously from a compiled `WebAssembly.Module` or its bytes (edge runtimes). */
export declare function initSync(module: BufferSource | WebAssembly.Module): void
// @end
