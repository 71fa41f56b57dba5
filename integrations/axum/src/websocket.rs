//! WebSocket authentication (docs/spec.md §17): browsers cannot set headers
//! on a WebSocket, so the token travels in `Sec-WebSocket-Protocol` as
//! `jwt-accord.bearer, <token>`. A refused handshake is accepted and closed at
//! once with 4401 and the error code, so the browser sees why (a bare 403
//! loses the reason); a token that expires during the connection closes it
//! with 4401 `expired` at that moment ([`WebSocketAuth::on_upgrade`]).

use std::future::Future;

use tokio::time::Instant;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use jwt_accord::http::{websocket_token, WEBSOCKET_CLOSE_CODE, WEBSOCKET_SUBPROTOCOL};

use crate::{header_values, Authenticated, JwtAuth, Refused};

/// A WebSocket handshake and the outcome of its token.
pub struct WebSocketAuth {
    upgrade: WebSocketUpgrade,
    outcome: Result<Authenticated, Refused>,
}

impl<S> FromRequestParts<S> for WebSocketAuth
where
    JwtAuth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let upgrade = WebSocketUpgrade::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let auth = JwtAuth::from_ref(state);
        let protocols = header_values(&parts.headers, "sec-websocket-protocol");
        let protocols: Vec<&str> = protocols.iter().map(String::as_str).collect();
        let outcome = websocket_token(&protocols)
            .and_then(|token| auth.verify(token))
            .map_err(|error| Refused::new(auth.challenge(), &error));
        Ok(WebSocketAuth { upgrade, outcome })
    }
}

impl WebSocketAuth {
    /// The verified handshake, or its refusal (for logging).
    pub fn outcome(&self) -> Result<&Authenticated, &Refused> {
        self.outcome.as_ref()
    }

    /// Upgrades with the subprotocol `jwt-accord.bearer` accepted. A verified
    /// connection runs `handler` with a [`Session`], which closes with 4401
    /// `expired` when the token expires; a refused one is closed at once with
    /// 4401 and the error code.
    pub fn on_upgrade<F, Fut>(self, handler: F) -> Response
    where
        F: FnOnce(Session, Authenticated) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let upgrade = self.upgrade.protocols([WEBSOCKET_SUBPROTOCOL]);
        match self.outcome {
            Err(refused) => upgrade.on_upgrade(move |mut socket| async move {
                let _ = socket.send(close(refused.refusal().close_reason)).await;
            }),
            Ok(authenticated) => upgrade.on_upgrade(move |socket| async move {
                let deadline = authenticated
                    .until_expiry()
                    .map(|left| Instant::now() + left);
                handler(
                    Session {
                        socket,
                        deadline,
                        closed: false,
                    },
                    authenticated,
                )
                .await;
            }),
        }
    }
}

/// An authenticated WebSocket connection that ends when its token expires.
pub struct Session {
    socket: WebSocket,
    deadline: Option<Instant>,
    closed: bool,
}

impl Session {
    /// The next message from the client; `None` when the connection ends,
    /// including when the token expires: then the server has closed it with
    /// 4401 `expired`.
    pub async fn recv(&mut self) -> Option<Result<Message, axum::Error>> {
        if self.closed {
            return None;
        }
        let Some(deadline) = self.deadline else {
            return self.socket.recv().await;
        };
        match tokio::time::timeout_at(deadline, self.socket.recv()).await {
            Ok(message) => message,
            Err(_) => {
                self.closed = true;
                let _ = self.socket.send(close("expired")).await;
                None
            }
        }
    }

    /// Sends `message`, unless the token has expired (then the connection is
    /// closed with 4401 `expired` and this fails).
    ///
    /// # Errors
    /// The connection is closed or broken.
    pub async fn send(&mut self, message: Message) -> Result<(), axum::Error> {
        if !self.closed && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.closed = true;
            let _ = self.socket.send(close("expired")).await;
        }
        if self.closed {
            return Err(axum::Error::new(
                "the connection is closed: its token expired",
            ));
        }
        self.socket.send(message).await
    }
}

fn close(reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code: WEBSOCKET_CLOSE_CODE,
        reason: reason.into(),
    }))
}
