// Types shared by the framework integrations (express, ws, hono).
import type { JwtClaims, JwtHeader, KeySlot, Verifier } from 'jwt-accord'

/** What every integration takes (docs/spec.md §17). */
export interface AuthOptions {
  /** Verifies the token: its issuer, audience and token type options are the checks. */
  verifier: Verifier
  /** The realm of `WWW-Authenticate`: 1 to 100 printable ASCII characters, no `"` or `\`. */
  realm: string
  /** The environment's name (e.g. `resolution.environment`): messages go into bodies in `development` and `test` only. */
  environment: string
  /** Also read this cookie when a request has no `Authorization` header (HTTP only). */
  cookie?: string | null
  /** Messages in refusal bodies everywhere (`true`) or nowhere (`false`); absent: by `environment`. */
  exposeMessages?: boolean | null
  /** Seconds since the epoch (default: the system clock): for tests and replays. */
  clock?: () => number
}

/** A verified request: what `verifyFull` gave. */
export interface Auth<T extends object = JwtClaims> {
  claims: T
  header: JwtHeader
  /** The slot of the key that verified it; `null` for a raw key. */
  keySlot: KeySlot | null
}

/** Where the metrics are served. */
export declare const METRICS_PATH: '/metrics'
/** The Prometheus text format's content type. */
export declare const METRICS_CONTENT_TYPE: 'text/plain; version=0.0.4; charset=utf-8'
