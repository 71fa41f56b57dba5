//! Secrets mounted as files (docs/spec.md §15) through the `Files` reader,
//! and the names and paths a binding pre-fetches.

use std::collections::{BTreeMap, HashMap};

use jwt_accord::*;

const SECRET: &str = "staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e";

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn resolve_without_a_reader_refuses_a_file_rather_than_ignore_it() {
    let v = vars(&[("JWT_SECRET_STAGING_FILE", "/run/secrets/jwt")]);
    let e = resolve(&v, &(), Some("staging")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::SecretFileUnreadable);
    assert_eq!(e.details()["reason"], NO_FILE_READER);
    // resolve() takes a store as passed: CREDENTIALS_DIRECTORY is not read.
    let v = vars(&[
        ("CREDENTIALS_DIRECTORY", "/run/credentials/api.service"),
        ("JWT_SECRET_KEY", SECRET),
    ]);
    assert_eq!(
        resolve(&v, &(), Some("staging")).unwrap().source().name,
        "JWT_SECRET_KEY"
    );
}

#[test]
fn a_file_secret_never_shows_its_content() {
    let v = vars(&[("JWT_SECRET_STAGING_FILE", "/run/secrets/jwt")]);
    let files: BTreeMap<String, FileRead> =
        [("/run/secrets/jwt".to_owned(), FileRead::content(SECRET))].into();
    let inputs = Inputs {
        files: &files,
        environment: Some("staging"),
        ..Inputs::new(&v)
    };
    let r = resolve_with(&inputs).unwrap();
    assert_eq!(r.source().kind, SourceKind::File);
    assert_eq!(r.source().path.as_deref(), Some("/run/secrets/jwt"));
    assert_eq!(r.expose_secret(), SECRET.as_bytes());
    for text in [
        r.to_json(),
        r.summary(),
        format!("{r:?}"),
        format!("{files:?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[test]
fn paths_read_and_names_read_are_what_the_resolver_asks_for() {
    let v = vars(&[
        ("ENVIRONMENT", "staging"),
        ("JWT_SECRET_KEY_FILE", " /run/secrets/key "),
        ("JWT_SECRET_STAGING_NEXT_FILE", "/run/secrets/next"),
        ("CREDENTIALS_DIRECTORY", "/run/credentials/api"),
    ]);
    let paths = paths_read(&v, Store::Absent, None);
    assert_eq!(paths[..2], ["/run/secrets/next", "/run/secrets/key"]);
    assert_eq!(paths.len(), 2 + 9);
    assert!(paths.contains(&"/run/credentials/api/jwt-secret-staging-previous".to_owned()));
    // A store passed in: no directory paths.
    assert_eq!(paths_read(&v, Store::Entries(&()), None).len(), 2);

    let names = variables_read(None, Some("staging"));
    for name in [
        "JWT_SECRET_STAGING_NEXT",
        "JWT_SECRET_KEY_PREVIOUS_FILE",
        "JWT_SECRET_FILE",
        "JWT_SECRET_PRODUCTION_FILE",
        "CREDENTIALS_DIRECTORY",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
    }
    let env = Environment::parse("staging").unwrap();
    assert_eq!(
        store_entries_read(&env),
        [
            "jwt-secret-staging",
            "jwt-secret-staging-next",
            "jwt-secret-staging-previous",
            "jwt-secret-key",
            "jwt-secret-key-next",
            "jwt-secret-key-previous",
            "jwt-secret",
            "jwt-secret-next",
            "jwt-secret-previous",
        ]
    );
}

#[test]
fn a_keyring_from_a_resolution_and_raw_keys_combines() {
    let v = vars(&[
        ("JWT_SECRET_STAGING", SECRET),
        (
            "JWT_SECRET_STAGING_PREVIOUS",
            "previous-secret-9a8b7c6d5e4f3a2b1c0d9e8f",
        ),
    ]);
    let r = resolve(&v, &(), Some("staging")).unwrap();
    let mut keys = Key::from_resolution(&r).into_keys();
    assert_eq!(keys[1].slot(), Some(KeySlot::Previous));
    keys.push(Key::from_text("a-raw-key-of-at-least-32-bytes-0123456").unwrap());
    let ring = Keyring::new(keys).unwrap();
    assert_eq!(ring.keys()[2].slot(), None);
    assert_eq!(ring.current().fingerprint(), r.fingerprint());
}
