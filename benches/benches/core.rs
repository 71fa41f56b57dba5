//! The core beside the bare `jsonwebtoken` crate (RustCrypto backend), on the
//! same claims, secret and checks (iss, aud, exp), in one run. Prints the
//! ratios at the end. Run with `make bench-rust`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use std::hint::black_box;

use criterion::Criterion;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use jwt_accord::{resolve, Key, Keyring, SignOptions, Signer, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

const SECRET: &str = "bench-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e";
const NOW: i64 = 1_700_000_000;

fn claims() -> Value {
    json!({
        "sub": "user-1234567890",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "roles": ["admin", "billing"],
        "iss": "auth.example.com",
        "aud": "api.example.com",
        "token_type": "access",
        "iat": NOW,
        "exp": NOW + 900,
    })
}

fn verify_options() -> VerifyOptions {
    VerifyOptions {
        issuer: Some(vec!["auth.example.com".into()]),
        audience: Some(vec!["api.example.com".into()]),
        ..Default::default()
    }
}

fn bare_validation() -> Validation {
    let mut v = Validation::new(Algorithm::HS256);
    v.set_issuer(&["auth.example.com"]);
    v.set_audience(&["api.example.com"]);
    v.set_required_spec_claims(&["exp"]);
    v.leeway = 0;
    v
}

fn key(i: usize) -> Key {
    Key::from_text(&format!("{SECRET}-{i}")).unwrap()
}

/// Issue 21's ratios to the floors, measured interleaved: in each of
/// [`ROUNDS`] rounds every operation runs [`CALLS`] times in turn, each ratio
/// is taken within its round, and the median over rounds is reported. On a
/// shared host whose speed drifts between criterion's groups (seconds
/// apart), two timings made milliseconds apart are the ones to compare.
fn interleaved(ops: &[(&str, &dyn Fn())]) -> Vec<f64> {
    const ROUNDS: usize = 21;
    const CALLS: u32 = 20_000;
    let mut per_op: Vec<Vec<f64>> = vec![Vec::new(); ops.len()];
    for round in 0..=ROUNDS {
        let times: Vec<f64> = ops
            .iter()
            .map(|(_, op)| {
                let start = std::time::Instant::now();
                for _ in 0..CALLS {
                    op();
                }
                start.elapsed().as_nanos() as f64 / f64::from(CALLS)
            })
            .collect();
        // Round 0 warms up.
        if round > 0 {
            for (all, t) in per_op.iter_mut().zip(times) {
                all.push(t);
            }
        }
    }
    per_op
        .into_iter()
        .map(|mut t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect()
}

/// The interleaved ratios (see [`interleaved`]), printed with PASS/FAIL
/// against issue 21's targets.
fn print_interleaved(signer: &Signer, verifier: &Verifier, claims: &Value, token: &str) {
    let signing_input = &token[..token.rfind('.').unwrap()];
    let payload = verifier
        .verify(token, NOW)
        .unwrap()
        .claims_json
        .into_bytes();
    let floor_key = key(0);
    let ops: [(&str, &dyn Fn()); 5] = [
        ("HMAC floor", &|| {
            black_box(floor_key.tag(black_box(signing_input.as_bytes())));
        }),
        ("sign", &|| {
            drop(black_box(signer.sign(black_box(claims), NOW)))
        }),
        ("verify", &|| {
            drop(black_box(verifier.verify(black_box(token), NOW)))
        }),
        ("serde_json parse", &|| {
            drop(black_box(serde_json::from_slice::<Map<String, Value>>(
                black_box(&payload),
            )))
        }),
        ("decode_unverified", &|| {
            drop(black_box(jwt_accord::decode_unverified(black_box(token))))
        }),
    ];
    let t = interleaved(&ops);
    println!("\n== issue 21 floors, interleaved (median of 21 rounds of 20,000 calls each) ==");
    for (name, ns) in ops.iter().map(|(name, _)| name).zip(&t) {
        println!("{name:<20} {ns:>7.0} ns");
    }
    for (label, a, b, target) in [
        ("verify / HMAC floor", t[2], t[0], 2.5),
        ("sign / HMAC floor", t[1], t[0], 2.0),
        ("decode_unverified / serde_json parse", t[4], t[3], 1.5),
    ] {
        let ratio = a / b;
        let verdict = if ratio <= target { "PASS" } else { "FAIL" };
        println!(
            "{verdict}  {label:<40} {a:>7.0} / {b:>7.0} ns = {ratio:.2}x (target <= {target}x)"
        );
    }
}

fn benches(c: &mut Criterion) {
    let claims = claims();
    let signer = Signer::new(key(0), SignOptions::default());
    let token = signer.sign(&claims, NOW).unwrap();
    println!("token: {} bytes", token.len());

    let encoding_key = EncodingKey::from_secret(format!("{SECRET}-0").as_bytes());
    let decoding_key = DecodingKey::from_secret(format!("{SECRET}-0").as_bytes());
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(signer.fingerprint().to_owned());
    // Sanity: each side accepts the other's token.
    let bare_token = jsonwebtoken::encode(&header, &claims, &encoding_key).unwrap();
    let validation = bare_validation();
    let mut validation_at_now = validation.clone();
    validation_at_now.validate_exp = false; // the bare crate reads the system clock
    jsonwebtoken::decode::<Value>(&token, &decoding_key, &validation_at_now).unwrap();

    let mut g = c.benchmark_group("sign");
    g.bench_function("jwt_accord Signer::sign", |b| {
        b.iter(|| signer.sign(black_box(&claims), NOW).unwrap())
    });
    g.bench_function("jsonwebtoken encode", |b| {
        b.iter(|| {
            jsonwebtoken::encode(black_box(&header), black_box(&claims), &encoding_key).unwrap()
        })
    });
    g.finish();

    let one = Verifier::new(key(0), verify_options());
    let three = Verifier::new(
        Keyring::new(vec![key(2), key(1), key(0)]).unwrap(),
        verify_options(),
    );
    let stranger = Signer::new(key(9), SignOptions::default())
        .sign(&claims, NOW)
        .unwrap();
    assert!(one.verify(&bare_token, NOW).is_ok());
    let mut g = c.benchmark_group("verify");
    g.bench_function("jwt_accord Verifier::verify", |b| {
        b.iter(|| one.verify(black_box(&token), NOW).unwrap())
    });
    g.bench_function("jwt_accord Verifier::verify + claims()", |b| {
        b.iter(|| one.verify(black_box(&token), NOW).unwrap().claims())
    });
    g.bench_function("jwt_accord Verifier::verify 3-key keyring", |b| {
        b.iter(|| three.verify(black_box(&token), NOW).unwrap())
    });
    g.bench_function("jwt_accord Verifier::verify unknown kid", |b| {
        b.iter(|| one.verify(black_box(&stranger), NOW).unwrap_err())
    });
    g.bench_function("jsonwebtoken decode", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<Value>(black_box(&token), &decoding_key, &validation_at_now)
                .unwrap()
        })
    });
    g.finish();

    // The floors of issue 21: the bare HMAC of the token's signing input (the
    // key schedule prepared once, as the core does), and serde_json alone
    // parsing the decoded payload into a map.
    let signing_input = &token[..token.rfind('.').unwrap()];
    let payload = one.verify(&token, NOW).unwrap().claims_json.into_bytes();
    let floor_key = key(0);
    let mut g = c.benchmark_group("floor");
    g.bench_function("HMAC-SHA256 of the signing input", |b| {
        b.iter(|| floor_key.tag(black_box(signing_input.as_bytes())))
    });
    g.bench_function("serde_json parse of the payload", |b| {
        b.iter(|| serde_json::from_slice::<Map<String, Value>>(black_box(&payload)).unwrap())
    });
    g.bench_function("jwt_accord decode_unverified", |b| {
        b.iter(|| jwt_accord::decode_unverified(black_box(&token)).unwrap())
    });
    g.finish();
    print_interleaved(&signer, &one, &claims, &token);

    let mut vars: HashMap<String, String> = (0..197)
        .map(|i| (format!("APP_SETTING_{i}"), format!("value-{i}")))
        .collect();
    vars.insert("ENVIRONMENT".into(), "staging".into());
    vars.insert("JWT_SECRET_STAGING".into(), SECRET.into());
    vars.insert("JWT_SECRET_KEY".into(), format!("{SECRET}-old"));
    let mut g = c.benchmark_group("resolve");
    g.bench_function("resolve 200 variables", |b| {
        b.iter(|| resolve(black_box(&vars), &(), None).unwrap())
    });
    g.finish();
}

fn out_dir() -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"))
}

/// Criterion's estimate of a benchmark's time per iteration, the one its
/// report prints as `time:` (`Estimates::typical`: the slope of its linear
/// regression of each sample's total time over its iteration count, or the
/// mean where there is no slope), with the mean beside it.
fn estimate_ns(group: &str, function: &str) -> Option<(f64, f64)> {
    let dir = out_dir()
        .join(group)
        .join(function.replace(':', "_"))
        .join("new/estimates.json");
    let text = std::fs::read_to_string(dir).ok()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    let mean = v["mean"]["point_estimate"].as_f64()?;
    let typical = v["slope"]["point_estimate"].as_f64().unwrap_or(mean);
    Some((typical, mean))
}

/// [`estimate_ns`]'s first figure: criterion's own estimate.
fn typical_ns(group: &str, function: &str) -> Option<f64> {
    estimate_ns(group, function).map(|(typical, _)| typical)
}

fn print_ratios() {
    println!(
        "\n== summary (criterion's estimate, the time: it prints, ns/op; ratio = peer / jwt-accord) =="
    );
    let pairs = [
        ("sign", "jwt_accord Signer::sign", "jsonwebtoken encode"),
        (
            "verify",
            "jwt_accord Verifier::verify",
            "jsonwebtoken decode",
        ),
        (
            "verify",
            "jwt_accord Verifier::verify + claims()",
            "jsonwebtoken decode",
        ),
        (
            "verify",
            "jwt_accord Verifier::verify 3-key keyring",
            "jsonwebtoken decode",
        ),
    ];
    for (group, ours, theirs) in pairs {
        match (typical_ns(group, ours), typical_ns(group, theirs)) {
            (Some(a), Some(b)) => println!(
                "{ours:<45} {a:>9.0} ns   {theirs:<22} {b:>9.0} ns   ratio {:.2}x",
                b / a
            ),
            _ => println!("{ours}: no estimate found under {}", out_dir().display()),
        }
    }
    // Issue 21: times the floor (at most 2.5x verify, 2x sign, 1.5x decode).
    let floor = "HMAC-SHA256 of the signing input";
    let parse = "serde_json parse of the payload";
    for (label, group, f, base, target) in [
        (
            "verify / HMAC floor",
            "verify",
            "jwt_accord Verifier::verify",
            floor,
            2.5,
        ),
        (
            "sign / HMAC floor",
            "sign",
            "jwt_accord Signer::sign",
            floor,
            2.0,
        ),
        (
            "decode_unverified / serde_json parse",
            "floor",
            "jwt_accord decode_unverified",
            parse,
            1.5,
        ),
    ] {
        if let (Some((a, a_mean)), Some((b, b_mean))) =
            (estimate_ns(group, f), estimate_ns("floor", base))
        {
            let ratio = a / b;
            let verdict = if ratio <= target { "PASS" } else { "FAIL" };
            println!(
                "{verdict}  {label:<40} {a:>7.0} / {b:>7.0} ns = {ratio:.2}x (target <= {target}x; \
                 means {a_mean:.0} / {b_mean:.0} ns = {:.2}x)",
                a_mean / b_mean
            );
        }
    }
    for (group, f) in [
        ("verify", "jwt_accord Verifier::verify unknown kid"),
        ("resolve", "resolve 200 variables"),
    ] {
        if let Some(a) = typical_ns(group, f) {
            println!("{f:<45} {a:>9.0} ns");
        }
    }
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&out_dir())
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    benches(&mut c);
    c.final_summary();
    print_ratios();
}
