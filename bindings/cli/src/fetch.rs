//! `check` over running services: the published report at
//! `GET /.well-known/jwt-accord` (docs/spec.md §16), fetched over `http://` or
//! `https://`.
//!
//! A service that cannot be read is not an error of the CLI: it becomes a
//! failed report with code [`UNREACHABLE`], which the core counts as a service
//! that failed (`incomplete`, `warning`), naming it and the reason. Every
//! request is bounded by one timeout (connect, TLS, headers and body together),
//! the requests run concurrently, no redirect is followed, and a body is read up
//! to the CLI's input cap (1 MiB).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{json, Value};
use ureq::http::{StatusCode, Uri};

use crate::input::{InputError, READ_LIMIT};

/// Where a service publishes its report (docs/spec.md §16); a URL without a
/// path (or with `/` alone) is asked for this path.
pub const WELL_KNOWN_PATH: &str = "/.well-known/jwt-accord";

/// The failure code of a service whose report could not be read.
pub const UNREACHABLE: &str = "unreachable";

/// The default `--timeout`, in seconds.
pub const DEFAULT_TIMEOUT: &str = "5";

/// The most requests in flight at once; more URLs wait for a free worker.
const WORKERS: usize = 32;

/// At most this many characters of a body that is not JSON appear in the reason.
const EXCERPT: usize = 40;

/// Whether a `check` argument (or the part after `SERVICE=`) is a URL.
pub fn is_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// A URL argument, checked.
pub struct Endpoint {
    /// What is requested.
    url: String,
    /// Whether the URL is `https://`.
    https: bool,
    /// The URL as messages show it: a query is shown as `?...`.
    pub shown: String,
    /// The service's name when no report names it: `host:port`, then the
    /// path unless it is [`WELL_KNOWN_PATH`].
    pub name: String,
}

impl Endpoint {
    /// Parses a URL argument: bad input (exit 2) when it is not a URL, holds a
    /// `#fragment` (never sent; a service is named with `SERVICE=URL`) or
    /// user credentials (jwt-accord would have to send and could print them).
    pub fn parse(arg: &str) -> Result<Endpoint, InputError> {
        let bad = |why: &str| InputError(format!("URL argument {arg:?}: {why}"));
        let uri: Uri = arg
            .parse()
            .map_err(|e| bad(&format!("not a valid URL ({e})")))?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(bad("not a valid URL (no host)"));
        };
        if authority.as_str().contains('@') {
            return Err(InputError(
                "a URL argument holds user credentials (user@ or user:password@): jwt-accord \
                 neither sends nor prints them, and a published report needs none"
                    .into(),
            ));
        }
        if arg.contains('#') {
            return Err(bad(
                "a #fragment is never sent to the service; to name the service, write SERVICE=URL",
            ));
        }
        let path = match uri.path() {
            "" | "/" => WELL_KNOWN_PATH,
            path => path,
        };
        let port = authority
            .port_u16()
            .unwrap_or(if scheme == "https" { 443 } else { 80 });
        let mut name = format!("{}:{port}", authority.host());
        if path != WELL_KNOWN_PATH {
            name += path;
        }
        let query = uri.query();
        Ok(Endpoint {
            url: format!(
                "{scheme}://{authority}{path}{}",
                query.map_or(String::new(), |q| format!("?{q}"))
            ),
            shown: format!(
                "{scheme}://{authority}{path}{}",
                if query.is_some() { "?..." } else { "" }
            ),
            name,
            https: scheme == "https",
        })
    }

    /// The report this service publishes, or the failed report saying why it
    /// could not be read, named after the URL (the caller may rename it).
    fn report(&self, agent: &ureq::Agent, timeout: Duration) -> Value {
        match self.get(agent, timeout) {
            Ok(report) => report,
            Err(reason) => json!({
                "schema": jwt_accord::RESOLUTION_SCHEMA,
                "service": self.name,
                "error": {"code": UNREACHABLE, "message": format!("{}: {reason}", self.shown)},
            }),
        }
    }

    /// The published report as a JSON object, or a short reason for people.
    fn get(&self, agent: &ureq::Agent, timeout: Duration) -> Result<Value, String> {
        let mut response = agent
            .get(&self.url)
            .header("Accept", "application/json")
            .call()
            .map_err(|e| reason(&e, timeout, self.https))?;
        let status = response.status();
        if !status.is_success() {
            return Err(status_reason(status));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(READ_LIMIT)
            .read_to_vec()
            .map_err(|e| reason(&e, timeout, self.https))?;
        let value: Value = serde_json::from_slice(&body)
            .map_err(|e| format!("not JSON: {e} (the body starts {:?})", excerpt(&body)))?;
        if !value.is_object() {
            return Err("not a report: the JSON is not an object".into());
        }
        Ok(value)
    }
}

/// Each endpoint's report (or failed report), in order. The requests run on
/// up to [`WORKERS`] threads, each bounded by `timeout`: the whole takes at
/// most `timeout` per [`WORKERS`] URLs, rounded up.
pub fn fetch_all(endpoints: &[&Endpoint], timeout: Duration) -> Vec<Value> {
    let agent = agent(timeout);
    let next = AtomicUsize::new(0);
    let mut reports: Vec<Option<Value>> = vec![None; endpoints.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..endpoints.len().min(WORKERS))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(endpoint) = endpoints.get(i) else {
                            break done;
                        };
                        done.push((i, endpoint.report(&agent, timeout)));
                    }
                })
            })
            .collect();
        for worker in workers {
            for (i, report) in worker.join().expect("a fetch does not panic") {
                reports[i] = Some(report);
            }
        }
    });
    reports
        .into_iter()
        .map(|r| r.expect("every endpoint was fetched"))
        .collect()
}

/// The HTTP client of `check`: every request bounded by `timeout` (connect,
/// TLS, headers and body together), no redirect followed, statuses returned.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("jwt-accord/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// `--timeout`: seconds, a decimal above 0 and at most 600.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "expected a number of seconds".to_owned())?;
    if !(seconds > 0.0 && seconds <= 600.0) {
        return Err("expected seconds above 0 and at most 600".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A failed request in a few words: never a header or a body.
pub fn reason(error: &ureq::Error, timeout: Duration, https: bool) -> String {
    use std::io::ErrorKind;
    match error {
        ureq::Error::Timeout(_) => format!("timed out after {} s", timeout.as_secs_f64()),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::BodyExceedsLimit(_) => format!(
            "the response is larger than {READ_LIMIT} bytes (1 MiB); jwt-accord reads at most that"
        ),
        ureq::Error::Io(e) => match e.kind() {
            ErrorKind::ConnectionRefused => "connection refused".into(),
            ErrorKind::ConnectionReset => "connection reset".into(),
            ErrorKind::ConnectionAborted => "connection aborted".into(),
            ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                format!("timed out after {} s", timeout.as_secs_f64())
            }
            ErrorKind::UnexpectedEof => "the connection closed before a full response".into(),
            // rustls's errors, through the TLS stream.
            ErrorKind::InvalidData if https => format!("TLS: {}", short(&e.to_string())),
            _ => {
                let message = e.to_string();
                match message.strip_prefix("failed to lookup address information: ") {
                    Some(why) => format!("host not found ({})", short(why)),
                    None => short(&message),
                }
            }
        },
        ureq::Error::Tls(why) => format!("TLS: {why}"),
        ureq::Error::Rustls(e) => format!("TLS: {}", short(&e.to_string())),
        other => short(&other.to_string()),
    }
}

/// `HTTP 503 Service Unavailable`; a redirect says it is not followed.
pub fn status_reason(status: StatusCode) -> String {
    let mut reason = format!("HTTP {}", status.as_u16());
    if let Some(phrase) = status.canonical_reason() {
        reason = format!("{reason} {phrase}");
    }
    if status.is_redirection() {
        reason += " (redirects are not followed: give the URL it points to)";
    }
    reason
}

/// The start of a body, for a reason: at most [`EXCERPT`] characters.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT * 4)]);
    let mut chars = text.chars();
    let start: String = chars.by_ref().take(EXCERPT).collect();
    if chars.next().is_some() || body.len() > EXCERPT * 4 {
        start + "..."
    } else {
        start
    }
}

/// An error message from a library, cut to a line of reasonable length.
fn short(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    if line.chars().count() > 160 {
        line.chars().take(160).collect::<String>() + "..."
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        let e = Endpoint::parse("http://auth.internal:8080").unwrap();
        assert_eq!(e.url, "http://auth.internal:8080/.well-known/jwt-accord");
        assert_eq!(e.name, "auth.internal:8080");
        let e = Endpoint::parse("https://api.example/status/jwt?x=secret").unwrap();
        assert_eq!(e.url, "https://api.example/status/jwt?x=secret");
        assert_eq!(e.shown, "https://api.example/status/jwt?...");
        assert_eq!(e.name, "api.example:443/status/jwt");
        let e = Endpoint::parse("http://10.0.0.5/.well-known/jwt-accord").unwrap();
        assert_eq!(e.name, "10.0.0.5:80");
    }

    #[test]
    fn refused_urls() {
        let message = Endpoint::parse("http://user:hunter2@auth:8080/")
            .err()
            .unwrap()
            .0;
        assert!(!message.contains("hunter2"), "{message}");
        assert!(Endpoint::parse("http://auth:8080/#auth").is_err());
        assert!(Endpoint::parse("http://").is_err());
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("NaN").is_err());
        assert!(parse_timeout("601").is_err());
    }

    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt(b"<html>"), "<html>");
        assert_eq!(excerpt(&[b'x'; 100]), format!("{}...", "x".repeat(40)));
    }
}
