//! A fixed workload for `valgrind --tool=callgrind`, whose instruction counts
//! repeat exactly where timings do not: `cargo run --release -p
//! jwt-accord-benches --example instructions -- verify 10000` under callgrind,
//! once per commit compared (benches/README.md). The same claims, secret and
//! checks as benches/core.rs.

use std::hint::black_box;

use jwt_accord::{Key, SignOptions, Signer, Verifier, VerifyOptions};
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1);
    let op = args.next().unwrap_or_else(|| "verify".into());
    let n: u32 = args.next().map_or(10_000, |n| n.parse().expect("a count"));
    let now = 1_700_000_000;
    let key = Key::from_text("bench-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e-0").unwrap();
    let claims = json!({
        "sub": "user-1234567890", "name": "Ada Lovelace", "email": "ada@example.com",
        "roles": ["admin", "billing"], "iss": "auth.example.com", "aud": "api.example.com",
        "token_type": "access", "iat": now, "exp": now + 900,
    });
    let signer = Signer::new(key.clone(), SignOptions::default());
    let token = signer.sign(&claims, now).expect("signs");
    let verifier = Verifier::new(
        key,
        VerifyOptions {
            issuer: Some(vec!["auth.example.com".into()]),
            audience: Some(vec!["api.example.com".into()]),
            ..Default::default()
        },
    );
    let signing_input = &token[..token.rfind('.').expect("three segments")];
    let payload = verifier.verify(&token, now).expect("verifies").claims_json;
    let key = verifier.keys().current();
    for _ in 0..n {
        match op.as_str() {
            "sign" => drop(black_box(signer.sign(black_box(&claims), now))),
            "floor" => drop(black_box(key.tag(black_box(signing_input.as_bytes())))),
            // Steps 1 to 7 only (no claim): what the claims checks add is
            // verify minus this.
            "signed_by" => drop(black_box(verifier.signed_by(black_box(&token)))),
            "decode" => drop(black_box(jwt_accord::decode_unverified(black_box(&token)))),
            "parse" => drop(black_box(serde_json::from_str::<
                serde_json::Map<String, serde_json::Value>,
            >(black_box(&payload)))),
            _ => drop(black_box(verifier.verify(black_box(&token), now))),
        }
    }
}
