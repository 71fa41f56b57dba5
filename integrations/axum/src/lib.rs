//! # jwt-accord-axum
//!
//! jwt-accord for [axum](https://docs.rs/axum): every refusal answered as
//! docs/spec.md §17 says, word for word the same as the FastAPI, Express and
//! Hono integrations, because the core decides status, header and body; this
//! crate only connects them to axum.
//!
//! - [`Authenticated`]: an extractor that finds the bearer token
//!   (`Authorization`, or a cookie you name), verifies it at the system clock
//!   and gives the claims, the header and the key slot; or answers 401/400.
//! - [`require_token`]: the same as a layer
//!   (`axum::middleware::from_fn_with_state`), for a whole router.
//! - [`WebSocketAuth`]: the token of a WebSocket handshake
//!   (`Sec-WebSocket-Protocol: jwt-accord.bearer, <token>`), the upgrade with
//!   the subprotocol accepted, and refusals as close code 4401.
//! - [`routes`]: `GET /.well-known/jwt-accord` (the published report) and
//!   `GET /metrics` (Prometheus text) for a [`Service`].
//!
//! ```no_run
//! use std::sync::Arc;
//! use axum::{routing::get, Router};
//! use jwt_accord::{Key, VerifyOptions, Verifier};
//! use jwt_accord_axum::{Authenticated, JwtAuth};
//!
//! async fn me(user: Authenticated) -> String {
//!     format!("hello {}", user.claims()["sub"])
//! }
//!
//! # fn app(resolution: jwt_accord::Resolution) -> Result<Router, String> {
//! let verifier = Verifier::new(Key::from_resolution(&resolution), VerifyOptions::default());
//! let auth = JwtAuth::new(verifier, "api", resolution.environment())?;
//! let app = Router::new().route("/me", get(me)).with_state(auth);
//! # Ok(app) }
//! ```

mod refusal;
mod websocket;

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use jwt_accord::http::{bearer_token, cookie_token, Challenge};
use jwt_accord::{Environment, ErrorCode, KeySlot, Service, Verified, Verifier};
use serde_json::{Map, Value};

pub use refusal::Refused;
pub use websocket::{Session, WebSocketAuth};

/// How a router authenticates: the verifier, the challenge (realm, whether
/// messages go into bodies) and an optional cookie name. Cheap to clone.
#[derive(Clone, Debug)]
pub struct JwtAuth {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    verifier: Verifier,
    challenge: Challenge,
    cookie: Option<String>,
    clock: fn() -> i64,
}

impl JwtAuth {
    /// Authentication with `verifier` in `realm`; refusal bodies carry the
    /// core's message only in `development` and `test` (see
    /// [`JwtAuth::with_messages`]). `Err` is why the realm is refused.
    pub fn new(
        verifier: Verifier,
        realm: &str,
        environment: &Environment,
    ) -> Result<JwtAuth, String> {
        Ok(JwtAuth {
            inner: Arc::new(Inner {
                verifier,
                challenge: Challenge::new(realm, None, environment)?,
                cookie: None,
                clock: jwt_accord::clock::now,
            }),
        })
    }

    /// The same, with messages in refusal bodies always (`true`) or never.
    pub fn with_messages(self, expose: bool, environment: &Environment) -> Result<JwtAuth, String> {
        let inner = self.into_inner();
        let challenge = Challenge::new(inner.challenge.realm(), Some(expose), environment)?;
        Ok(JwtAuth {
            inner: Arc::new(Inner { challenge, ..inner }),
        })
    }

    /// Also reads the token from the cookie `name` when there is no
    /// `Authorization` header.
    pub fn with_cookie(self, name: &str) -> JwtAuth {
        let inner = self.into_inner();
        JwtAuth {
            inner: Arc::new(Inner {
                cookie: Some(name.to_owned()),
                ..inner
            }),
        }
    }

    fn into_inner(self) -> Inner {
        Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            verifier: shared.verifier.clone(),
            challenge: shared.challenge.clone(),
            cookie: shared.cookie.clone(),
            clock: shared.clock,
        })
    }

    /// Reads the time from `clock` (seconds since the epoch) instead of the
    /// system clock: for tests and replays.
    pub fn with_clock(self, clock: fn() -> i64) -> JwtAuth {
        let inner = self.into_inner();
        JwtAuth {
            inner: Arc::new(Inner { clock, ..inner }),
        }
    }

    /// The verifier (its counts feed the metrics of a [`Service`] watching it).
    pub fn verifier(&self) -> &Verifier {
        &self.inner.verifier
    }

    /// The challenge refusals are written with.
    pub fn challenge(&self) -> &Challenge {
        &self.inner.challenge
    }

    /// Finds and verifies the token of a request's headers, at the system clock.
    ///
    /// # Errors
    /// The refusal to answer with.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Authenticated, Refused> {
        let refuse = |error: jwt_accord::Error| Refused::new(&self.inner.challenge, &error);
        let authorization = header_values(headers, AUTHORIZATION.as_str());
        let authorization: Vec<&str> = authorization.iter().map(String::as_str).collect();
        let token = match (bearer_token(&authorization), &self.inner.cookie) {
            (Err(missing), Some(name)) if missing.code() == ErrorCode::MissingToken => {
                let cookies = header_values(headers, COOKIE.as_str());
                let cookies: Vec<&str> = cookies.iter().map(String::as_str).collect();
                cookie_token(&cookies, name)
                    .map_err(refuse)?
                    .ok_or_else(|| refuse(missing))?
                    .to_owned()
            }
            (found, _) => found.map_err(refuse)?.to_owned(),
        };
        self.verify(&token).map_err(refuse)
    }

    /// Verifies `token` at the clock's time.
    fn verify(&self, token: &str) -> Result<Authenticated, jwt_accord::Error> {
        let verifier = &self.inner.verifier;
        let now = (self.inner.clock)();
        let verified = verifier.verify(token, now)?;
        let leeway = i64::try_from(verifier.options().leeway).unwrap_or(i64::MAX);
        let expires_at = verified
            .claims()
            .get("exp")
            .and_then(Value::as_f64)
            .map(|exp| (exp.floor() as i64).saturating_add(leeway));
        Ok(Authenticated {
            verified,
            expires_at,
            clock: self.inner.clock,
        })
    }
}

/// A header's values as text, one character per byte (ISO-8859-1, as HTTP
/// reads `obs-text` and as Node and Starlette decode headers): the core refuses
/// a byte that is not visible ASCII as a character a token cannot hold (400),
/// never a 500, and its message quotes the same text in the three runtimes.
fn header_values(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.as_bytes().iter().map(|&byte| char::from(byte)).collect())
        .collect()
}

/// A verified request: its claims, header and the slot of the key that
/// verified it.
#[derive(Clone, Debug)]
pub struct Authenticated {
    verified: Verified,
    /// `exp` plus the verifier's leeway: when the token stops verifying.
    expires_at: Option<i64>,
    clock: fn() -> i64,
}

impl Authenticated {
    /// The claims object.
    pub fn claims(&self) -> Map<String, Value> {
        self.verified.claims()
    }

    /// The token's header.
    pub fn header(&self) -> &Map<String, Value> {
        &self.verified.header
    }

    /// `current`, `next` or `previous` (`None` for a raw key).
    pub fn key_slot(&self) -> Option<KeySlot> {
        self.verified.key_slot
    }

    /// Everything the core returned.
    pub fn verified(&self) -> &Verified {
        &self.verified
    }

    /// How long until the token stops verifying (its `exp` plus the
    /// verifier's leeway), by the integration's clock; `None` without `exp`.
    pub fn until_expiry(&self) -> Option<std::time::Duration> {
        let left = self.expires_at?.saturating_sub((self.clock)());
        Some(std::time::Duration::from_secs(
            u64::try_from(left).unwrap_or(0),
        ))
    }
}

impl<S> FromRequestParts<S> for Authenticated
where
    JwtAuth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // Already verified by `require_token` on this router.
        if let Some(done) = parts.extensions.get::<Authenticated>() {
            return Ok(done.clone());
        }
        JwtAuth::from_ref(state).authenticate(&parts.headers)
    }
}

/// Middleware for `axum::middleware::from_fn_with_state(auth, require_token)`:
/// refuses requests without a valid token, and hands the handlers the
/// [`Authenticated`] request (extract it as usual: it is not verified twice).
pub async fn require_token(
    State(auth): State<JwtAuth>,
    mut request: Request,
    next: Next,
) -> Response {
    match auth.authenticate(request.headers()) {
        Ok(authenticated) => {
            request.extensions_mut().insert(authenticated);
            next.run(request).await
        }
        Err(refused) => refused.into_response(),
    }
}

/// `GET /.well-known/jwt-accord` (the published report, JSON,
/// `Cache-Control: no-store`) and `GET /metrics` (the Prometheus text) for
/// `service`. Serve them where the metrics are served, not to the internet.
pub fn routes<S: Clone + Send + Sync + 'static>(service: Arc<Service>) -> Router<S> {
    let report = Arc::clone(&service);
    Router::new()
        .route(
            jwt_accord::REPORT_PATH,
            get(move || async move {
                (
                    [
                        (CONTENT_TYPE, "application/json"),
                        (CACHE_CONTROL, "no-store"),
                    ],
                    report.report_json(),
                )
            }),
        )
        .route(
            "/metrics",
            get(move || async move {
                (
                    [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
                    service.metrics_text(),
                )
            }),
        )
}
