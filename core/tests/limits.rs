//! Limits, hygiene and cross-checks that vectors cannot express: `sha256sum`,
//! deep nesting, zeroed secrets, and interop with the bare `jsonwebtoken` crate.

use std::process::Command;

use jwt_accord::*;
use serde_json::{json, Value};

const SECRET: &str = "limits-test-secret-0123456789abcdefgh";
const NOW: i64 = 1_700_000_000;

#[test]
fn fingerprint_matches_sha256sum() {
    for secret in ["", "abc", SECRET, "ключ 🔑\twith\ttabs"] {
        let out = Command::new("sh")
            .args(["-c", "printf '%s' \"$SECRET\" | sha256sum | cut -c1-16"])
            .env("SECRET", secret)
            .output()
            .expect("sha256sum runs");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().trim(),
            fingerprint(secret.as_bytes())
        );
    }
}

#[test]
fn deeply_nested_claims_are_malformed_not_a_stack_overflow() {
    let depth = 100_000;
    let claims = format!(
        "{{\"exp\":{},\"a\":{}{}}}",
        NOW + 60,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    // Signing such claims is refused as invalid_claims...
    let signer = Signer::new(Key::from_text(SECRET).unwrap(), SignOptions::default());
    assert_eq!(
        signer.sign_json(&claims, NOW).unwrap_err().code(),
        ErrorCode::InvalidClaims
    );
    // ...and a token carrying them (signed by hand) is malformed, with the size limit raised.
    let token = hand_signed(&claims);
    let options = VerifyOptions {
        max_token_bytes: usize::MAX,
        ..Default::default()
    };
    let err = Verifier::new(Key::from_text(SECRET).unwrap(), options)
        .verify(&token, NOW)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Malformed, "{err}");
    assert_eq!(
        decode_unverified(&token).unwrap_err().code(),
        ErrorCode::TokenTooLarge
    );
}

#[test]
fn deeply_nested_value_built_in_rust_is_refused() {
    // Built by hand: json!([value]) would serialise (recurse into) the value.
    let mut value = json!(1);
    for _ in 0..10_000 {
        value = Value::Array(vec![value]);
    }
    let claims = Value::Object([("a".to_owned(), value)].into_iter().collect());
    let signer = Signer::new(Key::from_text(SECRET).unwrap(), SignOptions::default());
    assert_eq!(
        signer.sign(&claims, NOW).unwrap_err().code(),
        ErrorCode::InvalidClaims
    );
    // Dropping a 10,000-deep Value recurses; do it on a thread with a large stack.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || drop(claims))
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn nesting_up_to_the_limit_round_trips() {
    let inner = format!(
        "{}1{}",
        "[".repeat(MAX_JSON_DEPTH - 1),
        "]".repeat(MAX_JSON_DEPTH - 1)
    );
    let claims = format!("{{\"a\":{inner}}}");
    let key = Key::from_text(SECRET).unwrap();
    let token = Signer::new(
        key.clone(),
        SignOptions {
            expires_in: Some(60),
            ..Default::default()
        },
    )
    .sign_json(&claims, NOW)
    .unwrap();
    let verified = Verifier::new(key, VerifyOptions::default())
        .verify(&token, NOW)
        .unwrap();
    assert!(verified.claims_json.contains(&inner));
}

/// Signing reports the first failure in contract order: too deep, then an
/// option's claim (overflow, conflict), then a registered claim's type, even
/// though it checks all three in one walk over the claims.
#[test]
fn sign_reports_depth_then_options_then_types() {
    // One level too deep under the claims object: built by hand, as JSON
    // text this deep does not parse.
    let mut deep = json!(1);
    for _ in 0..MAX_JSON_DEPTH {
        deep = Value::Array(vec![deep]);
    }
    let conflicting = SignOptions {
        issuer: Some("auth".into()),
        expires_in: Some(i64::MAX),
        ..Default::default()
    };
    let reason = |claims: &Value, options: SignOptions| {
        let signer = Signer::new(Key::from_text(SECRET).unwrap(), options);
        let err = signer.sign(claims, NOW).unwrap_err();
        (err.code(), err.to_string())
    };
    // The deep value sorts after every other claim: it is written last.
    for claims in [
        json!({"iss": "other", "exp": "soon", "zz": deep}),
        json!({"exp": "soon", "zz": deep}),
    ] {
        for options in [conflicting.clone(), SignOptions::default()] {
            let (code, message) = reason(&claims, options);
            assert_eq!(code, ErrorCode::InvalidClaims);
            assert!(
                message.contains("claims nest deeper than 127 levels"),
                "{message}"
            );
        }
    }
    // Without depth: exp's overflow (the first option checked) comes first...
    let claims = json!({"iss": "other", "exp": "soon"});
    let (code, message) = reason(&claims, conflicting.clone());
    assert_eq!(code, ErrorCode::InvalidClaims, "{message}");
    assert!(message.contains("exp overflows"), "{message}");
    // ...then the conflict, then the types: iat (third in contract order)
    // before iss (fourth), though iss sorts first.
    let no_overflow = SignOptions {
        expires_in: None,
        ..conflicting
    };
    assert_eq!(reason(&claims, no_overflow).0, ErrorCode::ConflictingClaim);
    let (code, message) = reason(
        &json!({"iss": 5, "iat": "now", "exp": 1}),
        SignOptions::default(),
    );
    assert_eq!(code, ErrorCode::InvalidClaims);
    assert!(message.contains("claim iat must be"), "{message}");
}

#[test]
fn sign_json_refuses_duplicate_keys() {
    let signer = Signer::new(Key::from_text(SECRET).unwrap(), SignOptions::default());
    let err = signer
        .sign_json(r#"{"sub":"a","sub":"b"}"#, NOW)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidClaims);
    assert!(err.message().contains("duplicate key \"sub\""), "{err}");
}

#[test]
fn sign_json_reports_non_objects_as_sign_does() {
    let signer = Signer::new(Key::from_text(SECRET).unwrap(), SignOptions::default());
    for text in ["[1,2]", "\"sub\"", "null", "7"] {
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            signer.sign_json(text, NOW).unwrap_err(),
            signer.sign(&value, NOW).unwrap_err()
        );
    }
    let err = signer.sign_json("{nope", NOW).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidClaims);
    assert!(
        err.message().starts_with("claims are not valid JSON"),
        "{err}"
    );
}

#[test]
fn the_size_limit_comes_before_any_decoding() {
    let options = VerifyOptions {
        max_token_bytes: 10,
        ..Default::default()
    };
    let verifier = Verifier::new(Key::from_text(SECRET).unwrap(), options);
    // 11 bytes of garbage that would otherwise be malformed.
    assert_eq!(
        verifier.verify("not a token", NOW).unwrap_err().code(),
        ErrorCode::TokenTooLarge
    );
}

#[test]
fn keyring_limits() {
    let keys = |n: usize| {
        (0..n)
            .map(|i| Key::from_text(&format!("{SECRET}-{i}")).unwrap())
            .collect::<Vec<_>>()
    };
    assert!(Keyring::new(keys(8)).is_ok());
    assert_eq!(
        Keyring::new(keys(9)).unwrap_err().code(),
        ErrorCode::InvalidKey
    );
    assert_eq!(
        Keyring::new(vec![]).unwrap_err().code(),
        ErrorCode::InvalidKey
    );
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let key = Key::from_text(SECRET).unwrap();
    let secret = Secret::new(SECRET);
    let signer = Signer::new(key.clone(), SignOptions::default());
    let verifier = Verifier::new(key.clone(), VerifyOptions::default());
    for text in [
        format!("{key:?}"),
        format!("{secret:?}"),
        format!("{secret}"),
        format!("{signer:?}"),
        format!("{verifier:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(
            text.contains(&fingerprint(SECRET.as_bytes()))
                || text.contains("Signer")
                || text.contains("Verifier")
        );
    }
}

#[test]
fn resolution_key_keeps_lenient_policy() {
    // A 16-byte secret resolves in development (with a warning), and its key signs,
    // though the same bytes as a raw key are refused.
    let vars = [("JWT_SECRET_KEY", "short-dev-secret")];
    let resolution = resolve(&vars[..], &(), Some("development")).unwrap();
    assert_eq!(resolution.warnings()[0].code, WarningCode::SecretTooShort);
    assert!(Key::from_text("short-dev-secret").is_err());
    let key = Key::from_resolution(&resolution);
    let token = sign(
        &json!({"sub": "u"}),
        key.clone(),
        NOW,
        SignOptions::default(),
    )
    .unwrap();
    let options = VerifyOptions {
        required: vec![],
        ..Default::default()
    };
    assert_eq!(
        verify(&token, key, NOW, options).unwrap().claims()["sub"],
        "u"
    );
}

#[test]
fn store_entry_names_follow_the_environment() {
    let env = Environment::parse("Preview-EU").unwrap();
    assert_eq!(
        store_entry_names(&env),
        ["jwt-secret-preview-eu", "jwt-secret-key", "jwt-secret"]
    );
    assert_eq!(variable_names(&env)[0], "JWT_SECRET_PREVIEW_EU");
    assert!(env.is_strict());
}

#[test]
fn seconds_from_host_numbers() {
    assert_eq!(seconds_from_f64(1_700_000_000.9), Some(1_700_000_000));
    assert_eq!(seconds_from_f64(f64::NAN), None);
    assert_eq!(seconds_from_f64(f64::INFINITY), None);
    assert_eq!(seconds_from_f64(1e300), None);
}

#[test]
fn error_codes_round_trip() {
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
    }
    assert_eq!(ErrorCode::ALL.len(), 27);
    assert_eq!(WarningCode::ALL.len(), 11);
    assert_eq!(ErrorCode::SecretMissing.kind(), ErrorKind::Resolution);
    for code in [
        "ambiguous_source",
        "secret_file_invalid",
        "secret_file_unreadable",
    ] {
        assert_eq!(
            ErrorCode::parse(code).map(ErrorCode::kind),
            Some(ErrorKind::Resolution)
        );
    }
    assert_eq!(
        ErrorCode::parse("missing_token").map(ErrorCode::kind),
        Some(ErrorKind::Token)
    );
    assert_eq!(ErrorCode::Expired.kind(), ErrorKind::Token);
}

/// Interop with the bare crate, through the HS256-only provider: tokens cross
/// both ways.
#[test]
fn tokens_cross_with_the_jsonwebtoken_crate() {
    use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
    let _ = HS256_ONLY_PROVIDER.install_default();
    let key = Key::from_text(SECRET).unwrap();

    let ours = Signer::new(
        key.clone(),
        SignOptions {
            expires_in: Some(600),
            issuer: Some("auth".into()),
            ..Default::default()
        },
    )
    .sign(
        &json!({"sub": "u1"}),
        jsonwebtoken::get_current_timestamp() as i64,
    )
    .unwrap();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["auth"]);
    let theirs_view = jsonwebtoken::decode::<Value>(
        &ours,
        &DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .unwrap();
    assert_eq!(theirs_view.claims["sub"], "u1");
    assert_eq!(theirs_view.header.kid.as_deref(), Some(key.fingerprint()));

    let now = jsonwebtoken::get_current_timestamp();
    let theirs = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": "u2", "exp": now + 600, "iss": "auth"}),
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    let options = VerifyOptions {
        issuer: Some(vec!["auth".into()]),
        ..Default::default()
    };
    let verified = Verifier::new(key, options)
        .verify(&theirs, now as i64)
        .unwrap();
    assert_eq!(verified.claims()["sub"], "u2");

    // The provider refuses everything but HS256.
    let err = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &json!({}),
        &EncodingKey::from_secret(b"k"),
    )
    .unwrap_err();
    assert!(matches!(
        err.kind(),
        jsonwebtoken::errors::ErrorKind::InvalidAlgorithm
    ));
}

fn hand_signed(claims: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let key = Key::from_text(SECRET).unwrap();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    );
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(key.tag(input.as_bytes()))
    )
}

#[test]
fn verified_header_and_fingerprint_are_returned() {
    let key = Key::from_text(SECRET).unwrap();
    let token = Signer::new(
        key.clone(),
        SignOptions {
            expires_in: Some(60),
            ..Default::default()
        },
    )
    .sign(&json!({}), NOW)
    .unwrap();
    let v = Verifier::new(key.clone(), VerifyOptions::default())
        .verify(&token, NOW)
        .unwrap();
    assert_eq!(v.key_fingerprint, key.fingerprint());
    assert_eq!(v.header["kid"], Value::from(key.fingerprint()));
    assert_eq!(v.header["alg"], "HS256");
}

#[test]
fn signed_by_checks_the_signature_only() {
    let ours = Key::from_text(SECRET).unwrap();
    let theirs = Key::from_text("another-secret-0123456789abcdefghijkl").unwrap();
    // An expired token with a wrong audience: signed_by still names the key.
    let token = Signer::new(
        ours.clone(),
        SignOptions {
            expires_in: Some(-60),
            audience: Some(Audience::One("x".into())),
            ..Default::default()
        },
    )
    .sign(&json!({}), NOW)
    .unwrap();
    let verifier = Verifier::new(
        Keyring::new(vec![theirs.clone(), ours.clone()]).unwrap(),
        VerifyOptions::default(),
    );
    assert_eq!(
        verifier.signed_by(&token).unwrap().as_deref(),
        Some(ours.fingerprint())
    );
    assert_eq!(
        Verifier::new(theirs, VerifyOptions::default())
            .signed_by(&token)
            .unwrap(),
        None
    );
    assert_eq!(
        verifier.signed_by("a.b").unwrap_err().code(),
        ErrorCode::Malformed
    );
    assert_eq!(Status::EnvironmentMismatch.as_str(), "environment_mismatch");
    assert_eq!(Level::Emergency.as_str(), "emergency");
    assert_eq!(Role::Verifier.as_str(), "verifier");
}

#[test]
fn check_token_size_is_check_one_alone() {
    assert!(check_token_size(16384, DEFAULT_MAX_TOKEN_BYTES).is_ok());
    let err = check_token_size(16385, DEFAULT_MAX_TOKEN_BYTES).unwrap_err();
    // The same error the verifier gives for a token of that size.
    let verifier = Verifier::new(Key::from_text(SECRET).unwrap(), VerifyOptions::default());
    assert_eq!(verifier.verify(&"a".repeat(16385), NOW).unwrap_err(), err);
}

#[test]
fn check_consistency_json_parses_strictly() {
    assert_eq!(check_consistency_json("[]"), Ok(check_consistency(&[])));
    let refused = |text: &str| check_consistency_json(text).unwrap_err();
    assert_eq!(
        refused("{}"),
        "reports must be a JSON array: it is an object"
    );
    let deep = format!("[{}{}]", "[".repeat(200), "]".repeat(200));
    assert_eq!(
        refused(&deep),
        "reports must be a JSON array: it nests deeper than 127 levels"
    );
    assert_eq!(
        refused(r#"[{"service":"a","service":"b"}]"#),
        "reports must be a JSON array: it has the duplicate key \"service\""
    );
}
