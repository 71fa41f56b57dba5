//! `resolve` on arbitrary variable and store maps. Names are drawn from the
//! ones the resolver reads (or are free text); values are free text or marker
//! secrets, and no marker may ever appear on an output surface.
#![no_main]

use jwt_accord::{fingerprint, resolve, Key, SignOptions, Signer, Verifier, VerifyOptions};
use jwt_accord_fuzz::{assert_hidden, error_surfaces, NOW};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "ENVIRONMENT",
    "JWT_SECRET_KEY",
    "JWT_SECRET",
    "JWT_SECRET_DEVELOPMENT",
    "JWT_SECRET_DEV",
    "JWT_SECRET_TEST",
    "JWT_SECRET_CI",
    "JWT_SECRET_STAGING",
    "JWT_SECRET_STG",
    "JWT_SECRET_PRODUCTION",
    "JWT_SECRET_PROD",
    "JWT_SECRET_LIVE",
    "JWT_SECRET_QA",
    "JWT_SECRET_PREVIEW_EU",
    "jwt-secret-key",
    "jwt-secret",
    "jwt-secret-development",
    "jwt-secret-test",
    "jwt-secret-staging",
    "jwt-secret-production",
    "jwt-secret-qa",
];
const ENVIRONMENTS: &[&str] = &[
    "development",
    "dev",
    "local",
    "test",
    "ci",
    "staging",
    "stg",
    " Stage\n",
    "production",
    "prod",
    "live",
    "qa",
    "preview-eu",
    "",
    "  ",
    "abcdefghijklmnopqrstuvwxyz0123456",
    "-qa",
    "q a",
];
const VALUES: &[&str] = &[
    "secret",
    "changeme",
    "your-secret",
    "short",
    "-----BEGIN PUBLIC KEY-----\nMFkw",
    "ssh-ed25519 AAAA",
    "ecdsa-sha2-nistp256 AAAA",
    "",
    " \t\r\n",
    "1eaea1fa52c9d0d1d2d9c46a20dc29b4e0797bc8ff5cfd78b1be3bd2e48c5a68",
];

#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum Text {
    /// A marker secret (index, whitespace padding bits): must never be shown.
    Marker(u8, u8),
    Known(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    environment: Option<Name>,
    variables: Vec<(Name, Text)>,
    store: Vec<(Name, Text)>,
}

fn name(n: &Name, list: &[&str]) -> String {
    match n {
        Name::Known(i) => list[usize::from(*i) % list.len()].to_owned(),
        Name::Free(s) => s.clone(),
    }
}

fn marker(index: u8) -> String {
    format!("mk{index:03}-Zq8vX2pL7nR4tY6wK1sD9fG3hJ5")
}

fn text(t: &Text) -> String {
    match t {
        Text::Marker(i, pad) => {
            let ws = [" ", "\t", "\n", "\r\n"];
            let lead = if pad & 4 == 0 {
                ""
            } else {
                ws[usize::from(pad & 3)]
            };
            let trail = if pad & 32 == 0 {
                ""
            } else {
                ws[usize::from(pad >> 3 & 3)]
            };
            format!("{lead}{}{trail}", marker(*i))
        }
        Text::Known(i) => VALUES[usize::from(*i) % VALUES.len()].to_owned(),
        Text::Free(s) => s.clone(),
    }
}

fuzz_target!(|input: Input| {
    let pairs = |list: &[(Name, Text)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(n, t)| (name(n, NAMES), text(t)))
            .collect()
    };
    let variables = pairs(&input.variables);
    let store = pairs(&input.store);
    let environment = input.environment.as_ref().map(|n| name(n, ENVIRONMENTS));
    // Markers in secret slots must stay hidden...
    let mut markers: Vec<String> = input
        .variables
        .iter()
        .chain(&input.store)
        .filter_map(|(_, t)| match t {
            Text::Marker(i, _) => Some(marker(*i)),
            _ => None,
        })
        .collect();
    // ...but the fuzzer also learns the marker text and writes it where it is
    // no secret: the environment (quoted by environment_invalid) or a name.
    markers.retain(|m| {
        let m = m.as_str();
        !environment.as_deref().is_some_and(|e| e.contains(m))
            && !variables
                .iter()
                .chain(&store)
                .any(|(n, v)| n.contains(m) || (n == "ENVIRONMENT" && v.contains(m)))
    });
    let secrets: Vec<&[u8]> = markers.iter().map(|m| m.as_bytes()).collect();

    match resolve(&variables, &store, environment.as_deref()) {
        Ok(resolution) => {
            assert_eq!(
                resolution.fingerprint(),
                fingerprint(resolution.expose_secret())
            );
            let surfaces = [
                resolution.to_json(),
                resolution.summary(),
                format!("{resolution:?}"),
                format!("{resolution}"),
            ];
            serde_json::from_str::<serde_json::Value>(&surfaces[0]).expect("the JSON form parses");
            assert_hidden(&surfaces, &secrets, b"");
            // A resolution's key always signs, and verifies what it signed.
            let key = Key::from_resolution(&resolution);
            let options = SignOptions {
                expires_in: Some(60),
                ..Default::default()
            };
            let token = Signer::new(key.clone(), options)
                .sign(&serde_json::json!({"sub": "fuzz"}), NOW)
                .expect("a resolution's key signs");
            Verifier::new(key, VerifyOptions::default())
                .verify(&token, NOW)
                .expect("and verifies");
        }
        Err(error) => assert_hidden(&error_surfaces(&error), &secrets, b""),
    }
});
