//! `check --prometheus URL`: the fleet as Prometheus sees it. Three instant
//! queries over the HTTP API (`GET /api/v1/query`), run concurrently with
//! `check`'s HTTP client and timeout; the core turns the series into service
//! reports (`jwt_accord::reports_from_key_info`, docs/spec.md §16).
//!
//! 1. `jwt_accord_key_info{environment="ENV"}`: every held key of every
//!    instance scraped now;
//! 2. the last `jwt_accord_key_info` of the hour from the targets that are
//!    down (`up == 0`): their service and role, for the failure's name;
//! 3. the targets that are down and never published a key in that hour, in a
//!    job that did: named by their instance.
//!
//! Prometheus itself unreachable, or answering an error, is bad input (exit
//! 2): there is no fleet to compare, and the reason is printed.

use std::time::Duration;

use serde_json::Value;

use crate::fetch::{agent, excerpt, is_url, reason, status_reason};
use crate::input::{Input, InputError, READ_LIMIT};

/// The most bytes of one query's answer read: 16 times the CLI's input cap,
/// room for thousands of series.
const ANSWER_LIMIT: u64 = READ_LIMIT * 16;

/// How far back a target that is down is looked up by its last series.
const LOOKBACK: &str = "1h";

/// The service reports of the fleet Prometheus at `url` scrapes, in one
/// `environment` or all, each request bounded by `timeout`.
pub fn reports(url: &str, environment: Option<&str>, timeout: Duration) -> Input<Vec<Value>> {
    let base = base_url(url)?;
    let selector = environment.map_or_else(String::new, |e| {
        format!("{{environment=\"{}\"}}", promql_string(e))
    });
    let key_info = format!("jwt_accord_key_info{selector}");
    let seen = format!("last_over_time({key_info}[{LOOKBACK}])");
    let queries = [
        key_info.clone(),
        format!("{seen} and on(job, instance) (up == 0)"),
        format!(
            "(up == 0) unless on(job, instance) last_over_time(jwt_accord_key_info[{LOOKBACK}]) \
             and on(job) group by (job) ({seen})"
        ),
    ];
    let agent = agent(timeout);
    let answers: Vec<Result<Vec<Value>, String>> = std::thread::scope(|scope| {
        let running: Vec<_> = queries
            .iter()
            .map(|q| {
                let agent = &agent;
                let base = &base;
                scope.spawn(move || query(agent, base, q, timeout))
            })
            .collect();
        running
            .into_iter()
            .map(|r| r.join().expect("a query does not panic"))
            .collect()
    });
    let mut series = Vec::with_capacity(3);
    for (answer, q) in answers.into_iter().zip(&queries) {
        series.push(
            answer
                .map_err(|why| InputError(format!("Prometheus at {base}: query {q:?}: {why}")))?,
        );
    }
    let down: Vec<Value> = series[1].iter().chain(&series[2]).cloned().collect();
    Ok(jwt_accord::reports_from_key_info(&series[0], &down))
}

/// The Prometheus URL without a trailing `/`: http(s), no credentials, no
/// query or fragment (a path prefix is kept, for a Prometheus behind one).
fn base_url(url: &str) -> Input<String> {
    let bad = |why: &str| InputError(format!("--prometheus {url:?}: {why}"));
    if !is_url(url) {
        return Err(bad("not an http:// or https:// URL"));
    }
    let authority = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    if authority.contains('@') {
        return Err(InputError(
            "--prometheus: the URL holds user credentials (user@ or user:password@): jwt-accord \
             neither sends nor prints them"
                .into(),
        ));
    }
    if url.contains(['?', '#']) {
        return Err(bad("give the server's URL, without a query or #fragment"));
    }
    if authority.is_empty() {
        return Err(bad("not a valid URL (no host)"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A PromQL double-quoted string's content: `\` and `"` escaped.
fn promql_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A query parameter, percent-encoded (everything but unreserved characters).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One instant query: the label sets (`metric`) of its result vector.
fn query(
    agent: &ureq::Agent,
    base: &str,
    q: &str,
    timeout: Duration,
) -> Result<Vec<Value>, String> {
    let https = base.starts_with("https://");
    let mut response = agent
        .get(&format!("{base}/api/v1/query?query={}", encode(q)))
        .header("Accept", "application/json")
        .call()
        .map_err(|e| reason(&e, timeout, https))?;
    let status = response.status();
    let body = response
        .body_mut()
        .with_config()
        .limit(ANSWER_LIMIT)
        .read_to_vec()
        .map_err(|e| reason(&e, timeout, https))?;
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        format!(
            "{}not JSON: {e} (the body starts {:?})",
            if status.is_success() {
                String::new()
            } else {
                format!("{}, ", status_reason(status))
            },
            excerpt(&body)
        )
    })?;
    if value.get("status").and_then(Value::as_str) != Some("success") {
        let error = value
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("no reason given");
        return Err(format!("{}: {error}", status_reason(status)));
    }
    let data = &value["data"];
    if data.get("resultType").and_then(Value::as_str) != Some("vector") {
        return Err("the answer is not an instant vector".into());
    }
    Ok(data["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|sample| sample.get("metric").cloned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_strings() {
        assert_eq!(
            base_url("http://127.0.0.1:9090/").unwrap(),
            "http://127.0.0.1:9090"
        );
        assert_eq!(
            base_url("https://mon/prometheus").unwrap(),
            "https://mon/prometheus"
        );
        assert!(base_url("http://u:hunter2@mon")
            .err()
            .is_some_and(|e| !e.0.contains("hunter2")));
        assert!(base_url("mon:9090").is_err());
        assert!(base_url("http://mon/?x").is_err());
        assert_eq!(promql_string(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(
            encode("up == 0{a=\"b\"}"),
            "up%20%3D%3D%200%7Ba%3D%22b%22%7D"
        );
    }
}
