//! The Rust service of the end-to-end example (`examples/e2e`): an axum API
//! that links the jwt-accord core directly.
//!
//! - `GET /api/profile` answers the caller's profile for a valid access token
//!   (issued by the Python auth service), and 401 with the core's
//!   `{"code", "message"}` otherwise;
//! - `GET /healthz` answers `{"status": "ok", ...}` once it listens;
//! - `GET /.well-known/jwt-accord` answers its published report and
//!   `GET /metrics` its Prometheus metrics (docs/spec.md §16), from a
//!   `jwt_accord::Service` named `profile`, role verifier, that watches the
//!   verifier.
//!
//! Configured only through its environment: `ENVIRONMENT` and the JWT secret
//! variables (resolved by the core, docs/spec.md §3; with `_NEXT`/`_PREVIOUS`
//! companions, §14, and read from files, `V_FILE` or `CREDENTIALS_DIRECTORY`, §15), `PORT` (it listens on
//! 127.0.0.1 only) and `ALLOWED_ORIGIN` (the page's origin, for CORS). It logs
//! the resolution's one-line summary at start-up and refuses to start when the
//! secret does not resolve.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jwt_accord::fs::StdFiles;
use jwt_accord::{Inputs, Key, Verifier, VerifyOptions};
// The published view (docs/spec.md §16); apart, the setup's imports are the README's.
use jwt_accord::{Resolution, Role, Service, REPORT_PATH};
use serde_json::{json, Value};
use tower_http::cors::CorsLayer;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("profile-service: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), String> {
    let (verifier, resolution) =
        verifier().map_err(|error| format!("{}: {}", error.code().as_str(), error.message()))?;
    let mut service = Service::new("profile", Some(Role::Verifier), resolution)?;
    service.watch_verifier(&verifier);
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .ok_or("PORT must be set to a port number")?;

    let mut app = Router::new()
        .route("/api/profile", get(profile))
        .route("/healthz", get(healthz))
        .route(REPORT_PATH, get(report))
        .route("/metrics", get(metrics))
        .with_state(Arc::new(App { verifier, service }));
    if let Ok(origin) = std::env::var("ALLOWED_ORIGIN") {
        let origin =
            HeaderValue::from_str(&origin).map_err(|_| "ALLOWED_ORIGIN is not a valid origin")?;
        app = app.layer(
            CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET])
                .allow_headers([header::AUTHORIZATION]),
        );
    }

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| format!("cannot listen on {address}: {error}"))?;
    println!("profile-service listening on http://{address}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|error| error.to_string())
}

/// What the handlers share: the verifier and the service that publishes it.
struct App {
    verifier: Verifier,
    service: Service,
}

/// Resolves the secret from the process environment and makes the verifier
/// for access tokens (`iss` the auth service, `aud` the APIs, `token_type`
/// access): the setup shown in docs/e2e.md. Also answers the resolution, for
/// the published report.
fn verifier() -> jwt_accord::Result<(Verifier, Resolution)> {
    // [setup]
    let env: HashMap<String, String> = std::env::vars().collect();
    // StdFiles reads `_FILE` variables and a directory store
    // (`CREDENTIALS_DIRECTORY`): docs/spec.md §15.
    let resolution = jwt_accord::resolve_with(&Inputs {
        files: &StdFiles,
        ..Inputs::new(&env)
    })?;
    println!("{}", resolution.summary());

    let verifier = Verifier::new(
        Key::from_resolution(&resolution),
        VerifyOptions {
            issuer: Some(vec!["e2e-auth".into()]),
            audience: Some(vec!["e2e-api".into()]),
            token_type: Some("access".into()),
            ..VerifyOptions::default()
        },
    );
    // [/setup]
    Ok((verifier, resolution))
}

async fn profile(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let token = bearer_token(&headers);
    match app.verifier.verify(token, now()) {
        Ok(verified) => {
            let claims = verified.claims();
            let field = |name: &str| claims.get(name).cloned().unwrap_or(Value::Null);
            log("GET /api/profile 200");
            Json(json!({
                "service": "profile",
                "sub": field("sub"),
                "name": field("name"),
                "key_fingerprint": verified.key_fingerprint,
                // current, next or previous (docs/spec.md §14): count the
                // `previous` ones to know when it can be retired.
                "key_slot": verified.key_slot.map(|slot| slot.as_str()),
            }))
            .into_response()
        }
        Err(error) => {
            log(&format!("GET /api/profile 401 {}", error.code().as_str()));
            let body = json!({ "code": error.code().as_str(), "message": error.message() });
            let challenge = [(header::WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)];
            (StatusCode::UNAUTHORIZED, challenge, Json(body)).into_response()
        }
    }
}

async fn healthz(State(app): State<Arc<App>>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "service": "profile",
        "fingerprint": app.verifier.keys().current().fingerprint(),
    }))
}

/// The published report (docs/spec.md §16): what `jwt-accord check` reads.
async fn report(State(app): State<Arc<App>>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "application/json"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (headers, app.service.report_json()).into_response()
}

/// The Prometheus metrics, in the text format the core writes.
async fn metrics(State(app): State<Arc<App>>) -> Response {
    let content_type = [(
        header::CONTENT_TYPE,
        "text/plain; version=0.0.4; charset=utf-8",
    )];
    (content_type, app.service.metrics_text()).into_response()
}

/// The token of an `Authorization: Bearer <token>` header; the empty string
/// when there is none, so that the core words that refusal too (`malformed`).
fn bearer_token(headers: &HeaderMap) -> &str {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => "",
    }
}

/// Seconds since the epoch: the core takes the time from its caller.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

fn log(line: &str) {
    println!("profile-service: {line}");
}

/// Resolves on SIGTERM or SIGINT, so that `axum::serve` shuts down gracefully.
async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
