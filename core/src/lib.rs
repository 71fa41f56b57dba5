//! # jwt-accord
//!
//! One implementation, for every language a company's services are written in,
//! of two things that must agree across all of them:
//!
//! 1. **Where the JWT secret comes from**: [`resolve`] walks one canonical
//!    order (`JWT_SECRET_<ENV>`, `JWT_SECRET_KEY`, `JWT_SECRET`, then the
//!    secret-store entries, then a derived development fallback), applies the
//!    policy checks and returns a [`Resolution`] that says which source won, its
//!    [`fingerprint`], and what looked wrong on the way.
//! 2. **HS256 tokens** with one precise [`ErrorCode`] per failure: [`Signer`]
//!    and [`Verifier`] (with one-shot [`sign`] and [`verify`]), and
//!    [`decode_unverified`].
//!
//! [`check_consistency`] compares several services' reports before a deploy.
//!
//! ## What this crate does not do
//!
//! It does no I/O: it never reads the process environment, files, the network
//! or the clock. Callers pass a snapshot of variables, already-fetched
//! secret-store entries ([`store_entry_names`] says which) and the current time.
//! The Python, Node, WASM and CLI builds supply those defaults; this crate
//! decides everything else, so every language behaves identically.
//!
//! A secret never appears in `Debug`, `Display`, an error message or the JSON
//! form, only its fingerprint; it is zeroed when the last reference is dropped.
//!
//! ## Rotation and files
//!
//! A resolution holds up to three keys ([`KeySlot`]: `current`, `next`,
//! `previous`, from the winning source's companions `S_NEXT` and
//! `S_PREVIOUS`); [`Key::from_resolution`] gives them as a keyring and a
//! verified token says which slot verified it (`Verified::key_slot`).
//! [`check_consistency`] tells a rotation in progress from drift.
//!
//! Secrets mounted as files (`JWT_SECRET_STAGING_FILE=/run/secrets/jwt`, a
//! directory store, systemd's `CREDENTIALS_DIRECTORY`) are read through a
//! [`Files`] reader the caller passes to [`resolve_with`]: the core asks for
//! paths ([`paths_read`] lists them in advance) and receives bytes or the
//! failure. The optional cargo feature `fs` (off by default) provides
//! `jwt_accord::fs::StdFiles`, a reader over `std::fs`; without it this crate
//! does no I/O at all.
//!
//! ```
//! use std::collections::HashMap;
//! use jwt_accord::{resolve, Key, Signer, SignOptions, Verifier, VerifyOptions};
//!
//! let vars: HashMap<String, String> = [
//!     ("ENVIRONMENT", "staging"),
//!     ("JWT_SECRET_STAGING", "a-long-random-staging-secret-of-40-bytes!"),
//! ].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
//!
//! let resolution = resolve(&vars, &(), None)?;
//! assert_eq!(resolution.source().name, "JWT_SECRET_STAGING");
//! println!("{}", resolution.summary());
//!
//! let key = Key::from_resolution(&resolution);
//! let signer = Signer::new(key.clone(), SignOptions { expires_in: Some(900), ..Default::default() });
//! let token = signer.sign(&serde_json::json!({"sub": "user-1"}), 1_700_000_000)?;
//!
//! let verifier = Verifier::new(key, VerifyOptions::default());
//! let verified = verifier.verify(&token, 1_700_000_100)?;
//! assert_eq!(verified.claims()["sub"], "user-1");
//! # Ok::<(), jwt_accord::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "clock")]
pub mod clock;
mod consistency;
mod environment;
mod error;
mod files;
#[cfg(feature = "fs")]
pub mod fs;
pub mod host;
pub mod http;
mod lookup;
mod policy;
mod publish;
mod report;
mod resolve;
mod rotation;
mod secret;
mod sources;
pub mod token;
mod warning;

pub use consistency::{
    check_consistency, check_consistency_json, Consistency, Failure, Group, KeyCell, KeyMatrix,
    KeyRow, Level, Member, Role, Rotation, RotationStep, Status, CONSISTENCY_SCHEMA,
};
pub use environment::{select_environment, Environment, EnvironmentOrigin, ENVIRONMENT_VARIABLE};
pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use files::{FileRead, Files, NoFiles, MAX_FILE_BYTES, NO_FILE_READER};
pub use lookup::{fetch_variables, variables_read, Lookup, Variables};
pub use policy::MIN_SECRET_BYTES;
pub use publish::{
    exposition, reports_from_key_info, MetricFamily, Service, VerificationCounts,
    MAX_SERVICE_NAME_BYTES, REPORT_PATH, VERIFICATION_RESULTS,
};
pub use report::{
    error_report_json, Candidate, HeldKey, Outcome, Resolution, Source, SourceKind,
    RESOLUTION_SCHEMA, RESOLUTION_SCHEMA_V1,
};
pub use resolve::{
    development_fallback, paths_read, resolve, resolve_with, store_entries_read, store_entry_names,
    variable_names, Inputs, DEVELOPMENT_FALLBACK,
};
pub use rotation::KeySlot;
pub use secret::{fingerprint, is_fingerprint_form, Secret};
pub use sources::{Store, CREDENTIALS_DIRECTORY};
pub use token::claims::human_duration;
pub use token::json::MAX_JSON_DEPTH;
pub use token::key::{Key, Keyring, HS256_ONLY_PROVIDER, MAX_KEYS};
pub use token::seconds_from_f64;
pub use token::sign::{sign, Audience, Kid, SignOptions, Signer};
pub use token::time::UnixTime;
pub use token::verify::{
    check_token_size, decode_unverified, verify, Unverified, Verified, Verifier, VerifyOptions,
    DEFAULT_MAX_TOKEN_BYTES,
};
pub use warning::{Warning, WarningCode};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// docs/coming-from/jsonwebtoken-crate.md's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../docs/coming-from/jsonwebtoken-crate.md")]
pub struct ComingFromJsonwebtokenDoctests;
