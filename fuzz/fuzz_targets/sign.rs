//! `Signer::sign_json` on arbitrary claims text and options. Whatever the core
//! signs, the core must accept as well-formed and well-typed: verifying it with
//! the same key fails at most on time or audience, never as malformed.
#![no_main]

use jwt_accord::{
    decode_unverified, Audience, ErrorCode, Kid, SignOptions, Signer, Verifier, VerifyOptions,
};
use jwt_accord_fuzz::KEYS;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[derive(Arbitrary, Debug)]
struct Input {
    now: i64,
    expires_in: Option<i64>,
    not_before: Option<i64>,
    issuer: Option<String>,
    audience: Option<Vec<String>>,
    subject: Option<String>,
    token_type: Option<String>,
    jti: Option<String>,
    set_issued_at: bool,
    kid: Option<Option<String>>,
    claims: String,
}

fuzz_target!(|input: Input| {
    let options = SignOptions {
        expires_in: input.expires_in,
        not_before: input.not_before,
        issuer: input.issuer,
        audience: input.audience.map(Audience::Many),
        subject: input.subject,
        token_type: input.token_type,
        jti: input.jti,
        set_issued_at: input.set_issued_at,
        kid: match input.kid {
            None => Kid::Fingerprint,
            Some(None) => Kid::Omit,
            Some(Some(kid)) => Kid::Custom(kid),
        },
    };
    let key = KEYS[0].clone();
    let Ok(token) = Signer::new(key.clone(), options).sign_json(&input.claims, input.now) else {
        return;
    };
    let given: serde_json::Map<String, Value> =
        serde_json::from_str(&input.claims).expect("signed claims parse");
    if token.len() <= jwt_accord::DEFAULT_MAX_TOKEN_BYTES {
        let decoded = decode_unverified(&token).expect("a signed token decodes");
        for (name, value) in &given {
            assert_eq!(decoded.claims.get(name), Some(value), "claim {name}");
        }
    }
    let audience = match decoded_aud(&token) {
        Some(Value::String(a)) => Some(vec![a]),
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    };
    let verifier = Verifier::new(
        key,
        VerifyOptions {
            audience,
            required: vec![],
            max_token_bytes: usize::MAX,
            ..Default::default()
        },
    );
    if let Err(e) = verifier.verify(&token, input.now) {
        assert!(
            matches!(
                e.code(),
                ErrorCode::Expired | ErrorCode::NotYetValid | ErrorCode::InvalidAudience
            ),
            "the core refuses what it signed: {e}"
        );
    }
});

/// The `aud` claim of a token the core signed, read without any size limit.
fn decoded_aud(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()?
        .get("aud")
        .cloned()
}
