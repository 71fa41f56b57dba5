//! The axum integration against the shared vectors (tests/vectors/http.json)
//! through axum's own router, and against a real server on 127.0.0.1 with a
//! real WebSocket client.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ws::Message;
use axum::http::Request;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use jwt_accord::{
    Environment, Key, Keyring, Role, Service, SignOptions, Signer, Verifier, VerifyOptions,
};
use jwt_accord_axum::{require_token, routes, Authenticated, JwtAuth, Session, WebSocketAuth};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as ClientMessage;
use tower::ServiceExt;

const VECTOR_NOW: i64 = 1_700_000_000;

fn vector_clock() -> i64 {
    VECTOR_NOW
}

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/http.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

fn verifier_of(case: &Value) -> Verifier {
    let keys = case["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| Key::from_text(k.as_str().unwrap()).unwrap())
        .collect();
    let mut options = VerifyOptions::default();
    for (name, value) in case["options"].as_object().unwrap() {
        match name.as_str() {
            "issuer" => options.issuer = Some(strings(value)),
            "audience" => options.audience = Some(strings(value)),
            "token_type" => options.token_type = Some(value.as_str().unwrap().to_owned()),
            "max_token_bytes" => options.max_token_bytes = value.as_u64().unwrap() as usize,
            other => panic!("option {other} not handled by this runner"),
        }
    }
    Verifier::new(Keyring::new(keys).unwrap(), options)
}

fn auth_of(case: &Value) -> Result<JwtAuth, String> {
    let environment = Environment::parse(case["environment"].as_str().unwrap()).unwrap();
    let mut auth = JwtAuth::new(
        verifier_of(case),
        case["realm"].as_str().unwrap(),
        &environment,
    )?
    .with_clock(vector_clock);
    if let Some(expose) = case["expose_messages"].as_bool() {
        auth = auth.with_messages(expose, &environment)?;
    }
    if let Some(name) = case["cookie_name"].as_str() {
        auth = auth.with_cookie(name);
    }
    Ok(auth)
}

async fn me(user: Authenticated) -> Json<Value> {
    Json(Value::Object(user.claims()))
}

/// Every HTTP case of the shared vectors, through the extractor and through
/// the layer: the same status, `WWW-Authenticate` and body, byte for byte.
#[tokio::test]
async fn every_http_vector_through_the_extractor_and_the_layer() {
    let mut ran = 0;
    for case in vectors() {
        let name = case["name"].as_str().unwrap();
        if case.get("websocket_protocols").is_some() {
            continue; // the WebSocket cases: below, over a real connection
        }
        let auth = match auth_of(&case) {
            Ok(auth) => auth,
            Err(message) => {
                assert_eq!(
                    case["result"]["error"]["message"],
                    message.as_str(),
                    "{name}"
                );
                continue;
            }
        };
        let extractor = Router::new().route("/me", get(me)).with_state(auth.clone());
        let layered = Router::new()
            .route("/me", get(me))
            .layer(from_fn_with_state(auth.clone(), require_token))
            .with_state(auth);
        for app in [extractor, layered] {
            let mut request = Request::get("/me");
            for value in strings(&case["authorization"]) {
                request = request.header("authorization", value);
            }
            for value in strings(&case["cookies"]) {
                request = request.header("cookie", value);
            }
            let response = app
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap();
            let status = response.status().as_u16();
            let header = response
                .headers()
                .get("www-authenticate")
                .map(|v| v.to_str().unwrap().to_owned());
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let body = String::from_utf8(body.to_vec()).unwrap();
            let result = &case["result"];
            if let Some(claims) = result.get("claims") {
                assert_eq!(status, 200, "{name}: {body}");
                assert_eq!(
                    &serde_json::from_str::<Value>(&body).unwrap(),
                    claims,
                    "{name}"
                );
            } else {
                assert_eq!(Some(status as u64), result["status"].as_u64(), "{name}");
                assert_eq!(
                    header.as_deref(),
                    result["www_authenticate"].as_str(),
                    "{name}"
                );
                assert_eq!(body, result["body"].as_str().unwrap(), "{name}");
            }
        }
        ran += 1;
    }
    assert!(ran >= 25, "only {ran} HTTP cases ran");
}

const SECRET: &str = "axum-test-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a";

fn now() -> i64 {
    jwt_accord::clock::now()
}

fn token(exp_in: i64) -> String {
    Signer::new(Key::from_text(SECRET).unwrap(), SignOptions::default())
        .sign(&json!({"sub": "user-1", "exp": now() + exp_in}), now())
        .unwrap()
}

fn live_auth() -> JwtAuth {
    let verifier = Verifier::new(Key::from_text(SECRET).unwrap(), VerifyOptions::default());
    JwtAuth::new(verifier, "api", &Environment::parse("production").unwrap()).unwrap()
}

async fn echo(ws: WebSocketAuth) -> axum::response::Response {
    ws.on_upgrade(|mut session: Session, user: Authenticated| async move {
        let sub = user.claims()["sub"].clone();
        while let Some(Ok(message)) = session.recv().await {
            if let Message::Text(text) = message {
                let reply = format!("{sub}: {}", text.as_str());
                if session.send(Message::Text(reply.into())).await.is_err() {
                    break;
                }
            }
        }
    })
}

/// A real server on 127.0.0.1: the router, the report and metrics routes.
async fn serve() -> (String, tokio::task::JoinHandle<()>) {
    let auth = live_auth();
    let resolution = jwt_accord::resolve(
        &[("JWT_SECRET_PRODUCTION".to_owned(), SECRET.to_owned())]
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
        &(),
        Some("production"),
    )
    .unwrap();
    let mut service = Service::new("axum-api", Some(Role::Verifier), resolution).unwrap();
    service.watch_verifier(auth.verifier());
    let app = Router::new()
        .route("/me", get(me))
        .route("/ws", get(echo))
        .with_state(auth)
        .merge(routes(Arc::new(service)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (address.to_string(), server)
}

/// One HTTP/1.1 request over a plain TCP connection: status line, headers, body.
async fn get_raw(address: &str, path: &str, extra: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{extra}\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn a_real_server_answers_refusals_and_publishes_report_and_metrics() {
    let (address, server) = serve().await;
    let missing = get_raw(&address, "/me", "").await;
    assert!(missing.starts_with("HTTP/1.1 401"), "{missing}");
    assert!(
        missing.contains("www-authenticate: Bearer realm=\"api\"\r\n"),
        "{missing}"
    );
    assert!(
        missing.ends_with("{\"code\":\"missing_token\"}"),
        "{missing}"
    );

    // A stranger's token with bytes that are not ASCII: a 400, never a 500.
    let strange = get_raw(&address, "/me", "Authorization: Bearer t\u{f6}k\u{e9}n\r\n").await;
    assert!(strange.starts_with("HTTP/1.1 400"), "{strange}");

    let ok = get_raw(
        &address,
        "/me",
        &format!("Authorization: Bearer {}\r\n", token(60)),
    )
    .await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("\"sub\":\"user-1\""), "{ok}");

    let report = get_raw(&address, jwt_accord::REPORT_PATH, "").await;
    assert!(report.contains("cache-control: no-store"), "{report}");
    assert!(report.contains("\"service\":\"axum-api\""), "{report}");
    assert!(!report.contains(SECRET));
    let metrics = get_raw(&address, "/metrics", "").await;
    assert!(metrics.contains("text/plain; version=0.0.4"), "{metrics}");
    assert!(
        metrics.contains("jwt_accord_verifications_total{service=\"axum-api\",result=\"ok\",slot=\"current\"} 1\n"),
        "{metrics}"
    );
    server.abort();
}

async fn connect(
    address: &str,
    protocols: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut request = format!("ws://{address}/ws").into_client_request().unwrap();
    if !protocols.is_empty() {
        request
            .headers_mut()
            .insert("sec-websocket-protocol", protocols.parse().unwrap());
    }
    let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    if protocols.contains("jwt-accord.bearer") {
        assert_eq!(
            response.headers().get("sec-websocket-protocol").unwrap(),
            "jwt-accord.bearer",
            "the subprotocol is accepted, refused or not, so browsers see the close reason"
        );
    }
    socket
}

async fn close_of(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> (u16, String) {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
            Ok(Some(Ok(ClientMessage::Close(Some(frame))))) => {
                return (u16::from(frame.code), frame.reason.to_string())
            }
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn websockets_carry_the_token_and_close_with_4401_and_the_code() {
    let (address, server) = serve().await;

    let mut ok = connect(&address, &format!("jwt-accord.bearer, {}", token(60))).await;
    ok.send(ClientMessage::Text("hi".into())).await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), ok.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(reply.into_text().unwrap().as_str(), "\"user-1\": hi");
    drop(ok);

    let mut expired = connect(&address, &format!("jwt-accord.bearer, {}", token(-10))).await;
    assert_eq!(close_of(&mut expired).await, (4401, "expired".into()));

    let mut missing = connect(&address, "").await;
    assert_eq!(close_of(&mut missing).await, (4401, "missing_token".into()));
    // Offering only other subprotocols: no subprotocol can be accepted, and a
    // client (like a browser) fails the handshake itself.
    let mut request = format!("ws://{address}/ws").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-ws".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_err());

    // A token that expires during the connection closes it at that moment.
    let started = Instant::now();
    let mut expiring = connect(&address, &format!("jwt-accord.bearer, {}", token(2))).await;
    assert_eq!(close_of(&mut expiring).await, (4401, "expired".into()));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "{took:?}"
    );
    server.abort();
}
