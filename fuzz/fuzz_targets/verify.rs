//! `Verifier::verify` and `signed_by` on arbitrary tokens, against the fixed
//! two-key keyring, with default options and with iss/aud/typ/max_age set.
//! Byte 0: bit 0 set = the rest is `header \n claims`, signed with held key
//! (bit 1), so the claim checks run; bits 2.. move `now` in minutes.
#![no_main]

use jwt_accord::{decode_unverified, ErrorCode, Verifier, VerifyOptions};
use jwt_accord_fuzz::{assert_hidden, error_surfaces, keyring, signed_token, NOW, SECRETS};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static VERIFIERS: LazyLock<[Verifier; 2]> = LazyLock::new(|| {
    let strict = VerifyOptions {
        issuer: Some(vec!["auth".into(), "other".into()]),
        audience: Some(vec!["api".into(), "web".into()]),
        leeway: 5,
        token_type: Some("access".into()),
        max_age: Some(3600),
        ..Default::default()
    };
    [
        Verifier::new(keyring(), VerifyOptions::default()),
        Verifier::new(keyring(), strict),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let signed_with = (mode & 1 == 1).then_some(usize::from(mode >> 1 & 1));
    let token = match signed_with {
        Some(index) => signed_token(rest, index),
        None => String::from_utf8_lossy(rest).into_owned(),
    };
    let now = NOW + (i64::from(mode >> 2) - 32) * 60;
    let secrets = SECRETS.map(str::as_bytes);
    for verifier in VERIFIERS.iter() {
        let _ = verifier.signed_by(&token);
        match verifier.verify(&token, now) {
            Ok(verified) => {
                // The scanner accepted the claims: the building parser must agree,
                // and so must decode_unverified.
                let claims = verified.claims();
                let decoded = decode_unverified(&token).expect("verified tokens decode");
                assert_eq!(decoded.claims, claims);
                assert_eq!(decoded.header, *verified.header);
                assert_hidden(&[format!("{verified:?}")], &secrets, data);
            }
            Err(error) => {
                // A token signed with a held key fails the signature only when its
                // kid names the other held key.
                if let (Some(index), ErrorCode::InvalidSignature | ErrorCode::UnknownKey) =
                    (signed_with, error.code())
                {
                    let header = rest.iter().position(|&b| b == b'\n').map(|at| &rest[..at]);
                    let header: Option<serde_json::Value> =
                        header.and_then(|h| serde_json::from_slice(h).ok());
                    let kid = header.as_ref().and_then(|h| h.get("kid")?.as_str());
                    let other = verifier.keys().keys()[1 - index].fingerprint();
                    assert_eq!(kid, Some(other), "{error}");
                }
                assert_hidden(&error_surfaces(&error), &secrets, data);
            }
        }
    }
});
