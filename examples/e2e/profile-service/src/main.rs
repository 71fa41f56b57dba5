//! The Rust service of the end-to-end example (`examples/e2e`): an axum API
//! that links the jwt-accord core directly.
//!
//! - `GET /api/profile` answers the caller's profile for a valid access token
//!   (issued by the Python auth service); `GET /ws` is a WebSocket
//!   authenticated by `Sec-WebSocket-Protocol: jwt-accord.bearer, <token>`
//!   that greets the caller and echoes, closed with 4401 `expired` when the
//!   token expires. Both are `jwt-accord-axum`'s: every refusal is the core's
//!   (docs/spec.md §17), byte for byte what the Python and Node services send;
//! - `GET /healthz` answers `{"status": "ok", ...}` once it listens;
//! - `GET /.well-known/jwt-accord` answers its published report and
//!   `GET /metrics` its Prometheus metrics (docs/spec.md §16), from a
//!   `jwt_accord::Service` named `profile`, role verifier, that watches the
//!   verifier (`jwt_accord_axum::routes`).
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

use axum::extract::ws::Message;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jwt_accord::fs::StdFiles;
use jwt_accord::{Inputs, Key, Verifier, VerifyOptions};
// The published view (docs/spec.md §16); apart, the setup's imports are the README's.
use jwt_accord::{Resolution, Role, Service};
use jwt_accord_axum::{routes, Authenticated, JwtAuth, Refused, Session, WebSocketAuth};
use serde_json::{json, Value};
use tower_http::cors::CorsLayer;

/// The realm of `WWW-Authenticate`: the same in the three back ends, so that
/// their refusals are the same bytes.
const REALM: &str = "e2e";

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
    // The example shows the core's message in refusal bodies (it names both
    // fingerprints on drift); a production service keeps the default, which
    // shows them only in `development` and `test`.
    let auth = JwtAuth::new(verifier, REALM, resolution.environment())?
        .with_messages(true, resolution.environment())?;
    let mut service = Service::new("profile", Some(Role::Verifier), resolution)?;
    service.watch_verifier(auth.verifier());
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .ok_or("PORT must be set to a port number")?;

    let mut app = Router::new()
        .route("/api/profile", get(profile))
        .route("/ws", get(websocket))
        .route("/healthz", get(healthz))
        .with_state(auth)
        .merge(routes(Arc::new(service)));
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

async fn profile(user: Result<Authenticated, Refused>) -> Response {
    let user = match user {
        Ok(user) => user,
        Err(refused) => {
            log(&format!("GET /api/profile {}", refusal_line(&refused)));
            return refused.into_response();
        }
    };
    let claims = user.claims();
    let field = |name: &str| claims.get(name).cloned().unwrap_or(Value::Null);
    log("GET /api/profile 200");
    Json(json!({
        "service": "profile",
        "sub": field("sub"),
        "name": field("name"),
        "key_fingerprint": user.verified().key_fingerprint,
        // current, next or previous (docs/spec.md §14): count the
        // `previous` ones to know when it can be retired.
        "key_slot": user.key_slot().map(|slot| slot.as_str()),
    }))
    .into_response()
}

/// `GET /ws`: greets the caller, then echoes its text messages until it
/// closes or its token expires (the session closes with 4401 `expired`).
async fn websocket(ws: WebSocketAuth) -> Response {
    match ws.outcome() {
        Ok(_) => log("GET /ws 101"),
        Err(refused) => log(&format!("GET /ws {} (closed 4401)", refusal_line(refused))),
    }
    ws.on_upgrade(|mut session: Session, user: Authenticated| async move {
        let sub = user.claims().get("sub").cloned().unwrap_or(Value::Null);
        let hello = json!({ "service": "profile", "sub": sub, "hello": true });
        if session
            .send(Message::Text(hello.to_string().into()))
            .await
            .is_err()
        {
            return;
        }
        while let Some(Ok(message)) = session.recv().await {
            if let Message::Text(text) = message {
                if session.send(Message::Text(text)).await.is_err() {
                    return;
                }
            }
        }
    })
}

/// `STATUS CODE` for the log: the code only, the message stays in the body.
fn refusal_line(refused: &Refused) -> String {
    format!("{} {}", refused.refusal().status, refused.code().as_str())
}

async fn healthz(State(auth): State<JwtAuth>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "service": "profile",
        "fingerprint": auth.verifier().keys().current().fingerprint(),
    }))
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
