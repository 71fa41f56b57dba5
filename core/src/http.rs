//! HTTP and WebSocket credentials and refusals (docs/spec.md §17): where a
//! request's token is found, and the one answer every integration gives when
//! it is missing or refused. Pure functions over header values: the framework
//! integrations read the request and write the response.

use crate::environment::{truncate, Environment};
use crate::error::{Error, ErrorCode, Result};
use crate::token::json::to_text;

/// The WebSocket subprotocol that carries a token: a browser opens
/// `new WebSocket(url, ["jwt-accord.bearer", token])` and the server accepts
/// with this subprotocol.
pub const WEBSOCKET_SUBPROTOCOL: &str = "jwt-accord.bearer";

/// The close code of a refused WebSocket (the convention of graphql-ws).
pub const WEBSOCKET_CLOSE_CODE: u16 = 4401;

/// The longest realm accepted, in bytes.
pub const MAX_REALM_BYTES: usize = 100;

/// How much of an unexpected value a message quotes.
const QUOTED: usize = 24;

fn invalid_request(message: String) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

fn missing(message: &str) -> Error {
    Error::new(ErrorCode::MissingToken, message)
}

/// A token as RFC 6750 §2.1's `b64token`: base64url characters, dots, `~`,
/// `+`, `/`, then optional `=` padding. What passes is then verified (a JWT
/// that is not one fails there, with a 401); what does not is a malformed
/// request (400).
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// A value from the request, quoted for a message: JSON-escaped, truncated.
fn quote(value: &str) -> String {
    to_text(&truncate(value, QUOTED))
}

/// The bearer token of a request's `Authorization` header values (one per
/// header line; none when absent): `Bearer <token>`, the scheme in any case.
///
/// # Errors
/// `missing_token` when there is no header (or only empty ones);
/// `invalid_request` for two headers, another scheme, no token or two after
/// `Bearer`, or a token with characters outside RFC 6750's `b64token`.
pub fn bearer_token<'a>(authorization: &[&'a str]) -> Result<&'a str> {
    let present: Vec<&str> = authorization
        .iter()
        .map(|v| v.trim_matches([' ', '\t']))
        .filter(|v| !v.is_empty())
        .collect();
    let value = match present.as_slice() {
        [] => {
            return Err(missing(
                "the request carries no token: send Authorization: Bearer <token>",
            ))
        }
        [one] => *one,
        more => {
            return Err(invalid_request(format!(
                "the request carries {} Authorization headers: send one",
                more.len()
            )))
        }
    };
    let (scheme, rest) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(invalid_request(format!(
            "the Authorization scheme must be Bearer, found {}",
            quote(scheme)
        )));
    }
    let token = rest.trim_matches([' ', '\t']);
    if token.is_empty() {
        return Err(invalid_request(
            "the Authorization header holds no token after Bearer".into(),
        ));
    }
    if token.contains([' ', '\t']) {
        return Err(invalid_request(
            "the Authorization header holds more than one token after Bearer".into(),
        ));
    }
    if !is_b64token(token) {
        return Err(invalid_request(format!(
            "the bearer token holds characters a token cannot: {}",
            quote(token)
        )));
    }
    Ok(token)
}

/// The token of a WebSocket handshake's `Sec-WebSocket-Protocol` values (each
/// a comma-separated list): the entry after [`WEBSOCKET_SUBPROTOCOL`].
///
/// # Errors
/// `missing_token` when the list does not offer [`WEBSOCKET_SUBPROTOCOL`];
/// `invalid_request` when it offers it twice, or no token or a malformed one
/// after it.
pub fn websocket_token<'a>(protocols: &[&'a str]) -> Result<&'a str> {
    let offered: Vec<&str> = protocols
        .iter()
        .flat_map(|v| v.split(','))
        .map(|p| p.trim_matches([' ', '\t']))
        .filter(|p| !p.is_empty())
        .collect();
    let mut marks = offered
        .iter()
        .enumerate()
        .filter(|(_, p)| **p == WEBSOCKET_SUBPROTOCOL);
    let Some((at, _)) = marks.next() else {
        return Err(missing(
            "the WebSocket handshake carries no token: offer the subprotocols jwt-accord.bearer, <token>",
        ));
    };
    if marks.next().is_some() {
        return Err(invalid_request(
            "the WebSocket handshake offers jwt-accord.bearer twice".into(),
        ));
    }
    match offered.get(at + 1) {
        None => Err(invalid_request(
            "the WebSocket handshake offers jwt-accord.bearer with no token after it".into(),
        )),
        Some(token) if !is_b64token(token) => Err(invalid_request(format!(
            "the bearer token holds characters a token cannot: {}",
            quote(token)
        ))),
        Some(token) => Ok(token),
    }
}

/// The value of the cookie `name` in a request's `Cookie` header values, if
/// it is there (the first one, as browsers send the most specific first).
///
/// # Errors
/// `invalid_request` when the cookie is present but its value is not a token.
pub fn cookie_token<'a>(cookies: &[&'a str], name: &str) -> Result<Option<&'a str>> {
    let found = cookies
        .iter()
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| n.trim_matches([' ', '\t']) == name)
        .map(|(_, v)| v.trim_matches([' ', '\t']).trim_matches('"'));
    match found {
        Some(token) if !is_b64token(token) => Err(invalid_request(format!(
            "the cookie {} holds characters a token cannot: {}",
            quote(name),
            quote(token)
        ))),
        other => Ok(other),
    }
}

/// The answer to a refused request: status, `WWW-Authenticate` header and
/// JSON body (`application/json`), ASCII header whatever the token held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 401 (missing or refused token), 400 (malformed request), or 500 for an
    /// error no request can cause (the service's own configuration).
    pub status: u16,
    /// The `WWW-Authenticate` header value; absent with a 500.
    pub www_authenticate: Option<String>,
    /// `{"code": ...}`, plus `"message"` where messages are exposed.
    pub body: String,
    /// The WebSocket close code ([`WEBSOCKET_CLOSE_CODE`]) for a refusal, or
    /// 1011 (internal error) with a 500.
    pub close_code: u16,
    /// The WebSocket close reason: the error code.
    pub close_reason: &'static str,
}

/// How a service answers refused requests: its realm, and whether the core's
/// messages (which quote parts of a stranger's token and name the service's
/// key fingerprints) go into response bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    realm: String,
    expose_messages: bool,
}

impl Challenge {
    /// A challenge for `realm` (1 to [`MAX_REALM_BYTES`] printable ASCII
    /// characters, no `"` or `\`). Messages go into bodies when
    /// `expose_messages` says so; `None` decides by `environment`: only in
    /// `development` and `test`. `Err` is the reason, for an argument error.
    pub fn new(
        realm: &str,
        expose_messages: Option<bool>,
        environment: &Environment,
    ) -> std::result::Result<Challenge, String> {
        if realm.is_empty()
            || realm.len() > MAX_REALM_BYTES
            || !realm
                .bytes()
                .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
        {
            return Err(format!(
                "the realm must be 1 to {MAX_REALM_BYTES} printable ASCII characters without \" or \\, found {}",
                quote(realm)
            ));
        }
        Ok(Challenge {
            realm: realm.to_owned(),
            expose_messages: expose_messages.unwrap_or(!environment.is_strict()),
        })
    }

    /// The realm.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    /// Whether refusal bodies carry the core's message.
    pub fn exposes_messages(&self) -> bool {
        self.expose_messages
    }

    /// The refusal for `error` (from [`bearer_token`], [`websocket_token`],
    /// [`cookie_token`] or verification).
    pub fn refusal(&self, error: &Error) -> Refusal {
        self.refusal_for(error.code(), error.message())
    }

    /// [`Challenge::refusal`] from an error's code and message, as the
    /// bindings hold them (an unknown code counts as a server error).
    pub fn refusal_for_code(&self, code: &str, message: &str) -> Refusal {
        match ErrorCode::parse(code) {
            Some(code) => self.refusal_for(code, message),
            None => self.server_error("internal_error", message),
        }
    }

    fn refusal_for(&self, code: ErrorCode, message: &str) -> Refusal {
        let realm = &self.realm;
        let (status, header) = match code {
            ErrorCode::MissingToken => (401, format!("Bearer realm=\"{realm}\"")),
            ErrorCode::InvalidRequest => (
                400,
                format!(
                    "Bearer realm=\"{realm}\", error=\"invalid_request\", error_description=\"invalid_request\""
                ),
            ),
            code if code.is_verification_error() => (
                401,
                format!(
                    "Bearer realm=\"{realm}\", error=\"invalid_token\", error_description=\"{}\"",
                    code.as_str()
                ),
            ),
            code => return self.server_error(code.as_str(), message),
        };
        Refusal {
            status,
            www_authenticate: Some(header),
            body: self.body(code.as_str(), message),
            close_code: WEBSOCKET_CLOSE_CODE,
            close_reason: code.as_str(),
        }
    }

    fn server_error(&self, code: &'static str, message: &str) -> Refusal {
        Refusal {
            status: 500,
            www_authenticate: None,
            body: self.body(code, message),
            close_code: 1011,
            close_reason: code,
        }
    }

    fn body(&self, code: &str, message: &str) -> String {
        if self.expose_messages {
            format!("{{\"code\":\"{code}\",\"message\":{}}}", to_text(message))
        } else {
            format!("{{\"code\":\"{code}\"}}")
        }
    }
}
