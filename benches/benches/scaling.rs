//! Scaling: the cost of each entry point over growing token sizes and growing
//! environments, to show that it is linear (issue 8: "no quadratic paths in the
//! size of the token or of the environment").
//!
//! For each series and size it prints the time per call, the time per unit
//! (byte, claim, variable, service) and the *marginal* time per unit between
//! one size and the previous one. Linear cost shows as a marginal cost that
//! stays flat as sizes grow by 4x; a quadratic path would make it grow about
//! 4x per step. The verdict compares ns per unit at the largest size with
//! that at the middle size: about 1 when linear, 16 or more when quadratic.
//!
//! Run: `cargo bench -p jwt-accord-benches --bench scaling` (about a minute).
//! Without `--bench` (as `cargo test --benches` runs it) it does one quick pass.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use jwt_accord::{
    check_consistency, decode_unverified, resolve, Key, Keyring, SignOptions, Signer, Verifier,
    VerifyOptions,
};
use serde_json::{json, Value};

const SECRET: &str = "scaling-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e";
const NOW: i64 = 1_700_000_000;

struct Timer {
    /// Minimum wall time per measurement.
    target: Duration,
    /// Measurements per size; the fastest is kept (the machine is shared).
    rounds: usize,
}

impl Timer {
    /// Nanoseconds per call of `f`: the best of `rounds` batches of `target` length.
    fn ns(&self, mut f: impl FnMut()) -> f64 {
        f(); // warm-up
        let mut iterations = 1u64;
        loop {
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            if start.elapsed() >= self.target / 4 || iterations >= 1 << 30 {
                break;
            }
            iterations *= 2;
        }
        let iterations = iterations * 4;
        (0..self.rounds)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..iterations {
                    f();
                }
                start.elapsed().as_nanos() as f64 / iterations as f64
            })
            .fold(f64::INFINITY, f64::min)
    }
}

/// One series: `(units, ns per call)` for growing sizes, printed as a table.
fn report(title: &str, unit: &str, rows: &[(usize, f64)]) {
    println!("\n{title}");
    println!(
        "  {:>9} {:>14} {:>12} {:>16}",
        format!("{unit}s"),
        "ns/call",
        format!("ns/{unit}"),
        format!("marginal ns/{unit}")
    );
    for (i, &(units, ns)) in rows.iter().enumerate() {
        let marginal = (i > 0).then(|| {
            let (u0, n0) = rows[i - 1];
            (ns - n0) / (units - u0) as f64
        });
        println!(
            "  {units:>9} {ns:>14.0} {:>12.3} {:>16}",
            ns / units as f64,
            marginal.map_or("-".to_owned(), |m| format!("{m:.3}"))
        );
    }
    if rows.len() >= 3 {
        // Fixed per-call costs make ns/unit fall at first; linear cost then stays
        // flat, while quadratic cost multiplies it by 4 per 4x step (16 over two).
        let per_unit = |(units, ns): (usize, f64)| ns / units as f64;
        let ratio = per_unit(rows[rows.len() - 1]) / per_unit(rows[rows.len() / 2]);
        let verdict = if ratio < 3.0 { "linear" } else { "SUPERLINEAR" };
        println!("  ns/{unit} at the largest size / at the middle size: {ratio:.2} -> {verdict}");
    }
}

/// Base64url without padding (no extra dependency for one bench).
fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn key() -> Key {
    Key::from_text(SECRET).unwrap()
}

fn sign_json(claims: &str) -> String {
    Signer::new(key(), SignOptions::default())
        .sign_json(claims, NOW)
        .unwrap()
}

fn unbounded() -> VerifyOptions {
    VerifyOptions {
        max_token_bytes: usize::MAX,
        required: vec![],
        ..Default::default()
    }
}

/// Verify over tokens whose claims are built by `claims(n)`; units are token bytes.
fn verify_series(
    t: &Timer,
    title: &str,
    sizes: &[usize],
    options: VerifyOptions,
    claims: impl Fn(usize) -> String,
) {
    let verifier = Verifier::new(key(), options);
    let rows: Vec<(usize, f64)> = sizes
        .iter()
        .map(|&n| {
            let token = sign_json(&claims(n));
            verifier.verify(&token, NOW).expect("verifies");
            (
                token.len(),
                t.ns(|| drop(black_box(verifier.verify(&token, NOW)))),
            )
        })
        .collect();
    report(title, "byte", &rows);
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let t = if full {
        Timer {
            target: Duration::from_millis(60),
            rounds: 5,
        }
    } else {
        Timer {
            target: Duration::from_millis(2),
            rounds: 1,
        }
    };
    let scale = |sizes: &[usize]| -> Vec<usize> {
        if full {
            sizes.to_vec()
        } else {
            sizes[..3].to_vec()
        }
    };
    println!(
        "jwt-accord scaling ({} run)",
        if full { "full" } else { "quick" }
    );

    // ---- token size
    let bytes = scale(&[1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20]);
    verify_series(
        &t,
        "verify: one long string claim",
        &bytes,
        unbounded(),
        |n| json!({ "data": "x".repeat(n) }).to_string(),
    );
    let counts = scale(&[64, 256, 1024, 4096, 16384, 65536]);
    verify_series(
        &t,
        "verify: many claims (top-level keys)",
        &counts,
        unbounded(),
        |n| {
            let map: serde_json::Map<String, Value> =
                (0..n).map(|i| (format!("c{i}"), json!(i))).collect();
            Value::Object(map).to_string()
        },
    );
    verify_series(
        &t,
        "verify: one nested object with many keys (duplicate-key check)",
        &counts,
        unbounded(),
        |n| {
            let map: serde_json::Map<String, Value> =
                (0..n).map(|i| (format!("k{i}"), json!(i))).collect();
            json!({ "o": Value::Object(map) }).to_string()
        },
    );
    let audience = VerifyOptions {
        audience: Some(vec!["web".into()]),
        ..unbounded()
    };
    verify_series(
        &t,
        "verify: aud, a wide array of strings (the match is last)",
        &counts,
        audience,
        |n| {
            let mut aud = vec!["api"; n];
            aud.push("web");
            json!({ "aud": aud, "sub": "s" }).to_string()
        },
    );

    // The failure paths: a duplicate key at the very end (scan, then the
    // building parser names the problem), and a signature no key of 8 verifies.
    let keyring = Keyring::new(
        (0..8)
            .map(|i| Key::from_text(&format!("{SECRET}-{i}")).unwrap())
            .collect(),
    )
    .unwrap();
    for (title, verifier, dup) in [
        (
            "verify (malformed): many claims and a duplicate key at the end",
            Verifier::new(key(), unbounded()),
            true,
        ),
        (
            "verify (invalid_signature): many claims, none of 8 keys verifies",
            Verifier::new(keyring.clone(), unbounded()),
            false,
        ),
    ] {
        let rows: Vec<(usize, f64)> = counts
            .iter()
            .map(|&n| {
                let mut claims: String = (0..n).map(|i| format!("\"c{i}\":{i},")).collect();
                claims.push_str(if dup { "\"c0\":0" } else { "\"end\":0" });
                let signer = Signer::new(
                    key(),
                    SignOptions {
                        kid: jwt_accord::Kid::Omit,
                        ..Default::default()
                    },
                );
                let token = if dup {
                    // sign_json refuses duplicates: sign the payload by hand.
                    let good = signer.sign_json("{}", NOW).unwrap();
                    let header = good.split('.').next().unwrap();
                    let input = format!("{header}.{}", b64(format!("{{{claims}}}").as_bytes()));
                    let tag = key().tag(input.as_bytes());
                    format!("{input}.{}", b64(&tag))
                } else {
                    signer.sign_json(&format!("{{{claims}}}"), NOW).unwrap()
                };
                assert!(verifier.verify(&token, NOW).is_err());
                (
                    token.len(),
                    t.ns(|| drop(black_box(verifier.verify(&token, NOW)))),
                )
            })
            .collect();
        report(title, "byte", &rows);
    }

    let small = scale(&[1 << 9, 1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14]);
    let rows: Vec<(usize, f64)> = small
        .iter()
        .map(|&n| {
            let token = sign_json(&json!({ "data": "x".repeat(n * 3 / 4 - 120) }).to_string());
            (
                token.len(),
                t.ns(|| drop(black_box(decode_unverified(&token)))),
            )
        })
        .collect();
    report(
        "decode_unverified: one long string claim (up to the 16 KiB limit)",
        "byte",
        &rows,
    );

    let signer = Signer::new(key(), SignOptions::default());
    let rows: Vec<(usize, f64)> = counts
        .iter()
        .map(|&n| {
            let map: serde_json::Map<String, Value> =
                (0..n).map(|i| (format!("c{i}"), json!(i))).collect();
            let text = Value::Object(map).to_string();
            (
                text.len(),
                t.ns(|| drop(black_box(signer.sign_json(&text, NOW)))),
            )
        })
        .collect();
    report("sign_json: many claims", "byte", &rows);

    // ---- environment size
    let vars = scale(&[16, 256, 4096, 65536, 262_144]);
    let environment = |n: usize| -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = (0..n)
            .map(|i| (format!("UNRELATED_VARIABLE_{i}"), format!("value-{i}")))
            .collect();
        pairs.push(("ENVIRONMENT".into(), "staging".into()));
        pairs.push(("JWT_SECRET_STAGING".into(), SECRET.into()));
        pairs
    };
    let rows: Vec<(usize, f64)> = vars
        .iter()
        .map(|&n| {
            let pairs = environment(n);
            (n, t.ns(|| drop(black_box(resolve(&pairs, &(), None)))))
        })
        .collect();
    report(
        "resolve: N variables as a list of pairs (an env file; each lookup scans it)",
        "variable",
        &rows,
    );
    let rows: Vec<(usize, f64)> = vars
        .iter()
        .map(|&n| {
            let map: HashMap<String, String> = environment(n).into_iter().collect();
            (n, t.ns(|| drop(black_box(resolve(&map, &(), None)))))
        })
        .collect();
    report(
        "resolve: N variables in a HashMap (a process environment; flat is ideal)",
        "variable",
        &rows,
    );
    let lengths = scale(&[1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20]);
    let rows: Vec<(usize, f64)> = lengths
        .iter()
        .map(|&n| {
            let long = format!("  {}\n", "s".repeat(n));
            let other = format!("{}t", "s".repeat(n - 1));
            let pairs = vec![
                ("ENVIRONMENT".to_owned(), "staging".to_owned()),
                ("JWT_SECRET_STAGING".to_owned(), long),
                ("JWT_SECRET_KEY".to_owned(), other),
                ("JWT_SECRET_PRODUCTION".to_owned(), "s".repeat(n)),
            ];
            (n, t.ns(|| drop(black_box(resolve(&pairs, &(), None)))))
        })
        .collect();
    report(
        "resolve: secret values of growing length (trim, fingerprint, compare)",
        "byte",
        &rows,
    );

    // ---- services in check_consistency
    let services = scale(&[16, 64, 256, 1024, 4096]);
    let report_of = |i: usize, fingerprint: &str, role: &str| {
        json!({
            "schema": "jwt-accord/resolution/v1", "service": format!("svc-{i}"), "role": role,
            "environment": "staging", "environment_source": "ENVIRONMENT",
            "source": {"kind": "variable", "name": "JWT_SECRET_STAGING"},
            "fingerprint": fingerprint, "warnings": [], "candidates": []
        })
    };
    let rows: Vec<(usize, f64)> = services
        .iter()
        .map(|&n| {
            let reports: Vec<Value> = (0..n)
                .map(|i| {
                    report_of(
                        i,
                        "cb6ef22128c05360",
                        if i == 0 { "issuer" } else { "verifier" },
                    )
                })
                .collect();
            (n, t.ns(|| drop(black_box(check_consistency(&reports)))))
        })
        .collect();
    report("check_consistency: N services that agree", "service", &rows);
    let rows: Vec<(usize, f64)> = services
        .iter()
        .map(|&n| {
            let reports: Vec<Value> = (0..n)
                .map(|i| report_of(i, &format!("{i:016x}"), "issuer"))
                .collect();
            (n, t.ns(|| drop(black_box(check_consistency(&reports)))))
        })
        .collect();
    report(
        "check_consistency: N issuers that all disagree (one finding per issuer group)",
        "service",
        &rows,
    );
    // The worst case for pairs before issue 14: 2,000 reports gave 1,000,999
    // findings. Collapsed, one finding per fingerprint group.
    let rows: Vec<(usize, f64)> = services
        .iter()
        .map(|&n| {
            let reports: Vec<Value> = (0..n)
                .map(|i| {
                    let role = if i < n / 2 { "issuer" } else { "verifier" };
                    report_of(i, &format!("{i:016x}"), role)
                })
                .collect();
            (n, t.ns(|| drop(black_box(check_consistency(&reports)))))
        })
        .collect();
    report(
        "check_consistency: N/2 issuers and N/2 verifiers, every fingerprint different",
        "service",
        &rows,
    );
}
