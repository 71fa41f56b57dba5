//! A refused request as an axum response: the core's (status,
//! `WWW-Authenticate`, body) triple, unchanged.

use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jwt_accord::http::{Challenge, Refusal};

/// A refusal (docs/spec.md §17), with the error it answers for the service's
/// log: [`Refused::code`] and [`Refused::message`] (which quotes the token
/// and names fingerprints: log it, do not send it unless the challenge says so).
#[derive(Clone, Debug)]
pub struct Refused {
    refusal: Refusal,
    code: jwt_accord::ErrorCode,
    message: String,
}

impl Refused {
    /// The refusal of `error` under `challenge`.
    pub fn new(challenge: &Challenge, error: &jwt_accord::Error) -> Refused {
        Refused {
            refusal: challenge.refusal(error),
            code: error.code(),
            message: error.message().to_owned(),
        }
    }

    /// What the core decided: status, header, body, WebSocket close code and reason.
    pub fn refusal(&self) -> &Refusal {
        &self.refusal
    }

    /// The error code.
    pub fn code(&self) -> jwt_accord::ErrorCode {
        self.code
    }

    /// The core's message, for the service's log.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.refusal.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, self.refusal.body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        // The core writes ASCII headers only (a realm is checked when the
        // challenge is made), so this conversion cannot fail.
        if let Some(value) = self
            .refusal
            .www_authenticate
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        response
    }
}
