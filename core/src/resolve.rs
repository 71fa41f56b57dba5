//! The canonical resolution order (docs/spec.md §3 and §4), with the rotation
//! companions of the winner (§14) and secrets read from files (§15).

use sha2::{Digest, Sha256};

use crate::environment::{is_ascii_space, select_environment, Environment};
use crate::error::{Error, ErrorCode, Result};
use crate::files::{entry_path, Files, NoFiles};
use crate::lookup::{foreign_variable_names, refuse_non_text, Lookup};
use crate::policy;
use crate::report::{Candidate, HeldKey, Outcome, Resolution, Source, SourceKind};
use crate::rotation::{companion_name, KeySlot, COMPANIONS};
use crate::secret::{hex, Secret};
use crate::sources::{file_variable, non_blank, Read, Reader, Store, CREDENTIALS_DIRECTORY};
use crate::warning::{Warning, WarningCode};

/// The name reported for the derived development fallback.
pub const DEVELOPMENT_FALLBACK: &str = "development_fallback";

/// The variable names read for `environment`, in resolution order:
/// `JWT_SECRET_<ENV>`, `JWT_SECRET_KEY`, `JWT_SECRET`.
pub fn variable_names(environment: &Environment) -> [String; 3] {
    [
        format!("JWT_SECRET_{}", environment.upper()),
        "JWT_SECRET_KEY".to_owned(),
        "JWT_SECRET".to_owned(),
    ]
}

/// The secret-store entry names for `environment`, in resolution order:
/// `jwt-secret-<env>`, `jwt-secret-key`, `jwt-secret`: the sources of
/// docs/spec.md §3. [`store_entries_read`] adds their rotation companions.
pub fn store_entry_names(environment: &Environment) -> [String; 3] {
    [
        format!("jwt-secret-{}", environment.as_str()),
        "jwt-secret-key".to_owned(),
        "jwt-secret".to_owned(),
    ]
}

/// Every store entry the resolver reads for `environment`: each entry of
/// [`store_entry_names`] followed by its companions `-next` and `-previous`
/// (docs/spec.md §14; a non-winning source's companions are read to warn
/// about them). A caller fetches these and only these.
pub fn store_entries_read(environment: &Environment) -> Vec<String> {
    with_companions(&store_entry_names(environment), true)
}

fn with_companions(names: &[String], store: bool) -> Vec<String> {
    names
        .iter()
        .flat_map(|name| {
            let companions = COMPANIONS.map(|slot| companion_name(name, store, slot));
            std::iter::once(name.clone()).chain(companions)
        })
        .collect()
}

/// The development fallback for `environment`: the 64 lower-case hex characters
/// of SHA-256 over `jwt-accord/development-fallback/v1/<env>`. Public by
/// construction, which is why policy refuses it in strict environments.
pub fn development_fallback(environment: &str) -> String {
    hex(&Sha256::digest(format!(
        "jwt-accord/development-fallback/v1/{environment}"
    )))
}

/// Everything one resolution reads, passed in by the caller (the core does no
/// I/O): for [`resolve_with`].
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The variables (a snapshot of the process environment, or an env file).
    pub variables: &'a dyn Lookup,
    /// Where store entries come from.
    pub store: Store<'a>,
    /// Reads the files that `_FILE` variables and a directory store name.
    pub files: &'a dyn Files,
    /// The explicit environment, if any (else the `ENVIRONMENT` variable).
    pub environment: Option<&'a str>,
}

impl<'a> Inputs<'a> {
    /// Variables only: no store (so `CREDENTIALS_DIRECTORY` applies when set),
    /// no file reader ([`NoFiles`]: a file to read is an error), no explicit
    /// environment. Set the other fields with struct update syntax.
    pub fn new(variables: &'a dyn Lookup) -> Inputs<'a> {
        Inputs {
            variables,
            store: Store::Absent,
            files: &NoFiles,
            environment: None,
        }
    }
}

/// Resolves the secret from variables and already-fetched store entries,
/// without files: [`resolve_with`] with [`Store::Entries`] and [`NoFiles`]
/// (a `_FILE` variable is then `secret_file_unreadable`, never ignored).
///
/// # Errors
/// As [`resolve_with`].
pub fn resolve<V, S>(variables: &V, store: &S, environment: Option<&str>) -> Result<Resolution>
where
    V: Lookup + ?Sized,
    S: Lookup + ?Sized,
{
    resolve_with(&Inputs {
        variables: &variables,
        store: Store::Entries(&store),
        files: &NoFiles,
        environment,
    })
}

/// Resolves the secret: picks the environment (explicit argument, else
/// `ENVIRONMENT`), walks the six sources in order (each variable possibly read
/// from the file its `_FILE` variable names), then the development fallback;
/// applies the policy checks; adds the winner's rotation companions and warns
/// about other sources' companions; returns the report. Pure: everything read
/// comes from `inputs`.
///
/// # Errors
/// `environment_missing`, `environment_invalid`, `secret_missing`,
/// `secret_too_short`, `insecure_secret`, `secret_reused_across_environments`
/// (for the current key or a companion), `invalid_value` (a value read holds
/// U+FFFD), `ambiguous_source`, `secret_file_invalid`, `secret_file_unreadable`.
pub fn resolve_with(inputs: &Inputs<'_>) -> Result<Resolution> {
    let variables = inputs.variables;
    let (environment, origin) = select_environment(inputs.environment, variables)?;
    let [v1, v2, v3] = variable_names(&environment);
    let [s1, s2, s3] = store_entry_names(&environment);
    // Every value read must be text: no source is used until all are checked.
    let read_names = all_variable_names(&environment);
    refuse_non_text(variables, "variable", read_names.iter().map(String::as_str))?;
    if let Store::Entries(entries) = inputs.store {
        let names = store_entries_read(&environment);
        refuse_non_text(entries, "store", names.iter().map(String::as_str))?;
    }
    let reader = Reader {
        variables,
        store: Reader::effective_store(variables, inputs.store),
        files: inputs.files,
    };
    let mut warnings = Vec::new();
    let mut candidates = Vec::with_capacity(7);
    let mut winner: Option<(usize, Source, Secret)> = None;

    let sources = [
        (false, v1, false),
        (false, v2, false),
        (false, v3, true),
        (true, s1, false),
        (true, s2, false),
        (true, s3, true),
    ];
    // Every source's companions are read (and checked) before any is used.
    let mut companions = Vec::with_capacity(sources.len());
    for (store, name, _) in &sources {
        let mut pair = Vec::with_capacity(2);
        for slot in COMPANIONS {
            let companion = companion_name(name, *store, slot);
            let read = reader.read(&companion, *store)?;
            pair.push((slot, companion, read));
        }
        companions.push(pair);
    }
    for (index, (store, name, legacy)) in sources.iter().enumerate() {
        let default_kind = if *store {
            SourceKind::Store
        } else {
            SourceKind::Variable
        };
        let Some(read) = reader.read(name, *store)? else {
            candidates.push(Candidate::new(
                default_kind,
                name.clone(),
                None,
                None,
                Outcome::NotSet,
            ));
            continue;
        };
        let Some(secret) = usable(&read, name, &mut warnings) else {
            candidates.push(Candidate::new(
                read.kind,
                name.clone(),
                read.path,
                None,
                Outcome::Empty,
            ));
            continue;
        };
        let source = Source {
            kind: read.kind,
            name: name.clone(),
            path: read.path,
        };
        match &winner {
            None => {
                if *legacy {
                    warnings.push(Warning::new(
                        WarningCode::LegacySource,
                        Some(name),
                        format!(
                            "{name} is a legacy name; move the secret to {}",
                            legacy_replacement(*store, &environment)
                        ),
                    ));
                }
                candidates.push(Candidate::from_source(&source, &secret, Outcome::Used));
                winner = Some((index, source, secret));
            }
            Some((_, used_source, used)) => {
                if secret.expose() != used.expose() {
                    warnings.push(Warning::new(
                        WarningCode::ShadowedConflict,
                        Some(name),
                        format!(
                            "{name} ({}) is shadowed by {} ({}) and differs: a service that \
                             reads {name} directly will not agree",
                            secret.fingerprint(),
                            used_source.name,
                            used.fingerprint()
                        ),
                    ));
                }
                candidates.push(Candidate::from_source(&source, &secret, Outcome::Shadowed));
            }
        }
    }

    if !environment.is_strict() {
        let fallback = Secret::new(development_fallback(environment.as_str()));
        let source = Source {
            kind: SourceKind::DevelopmentFallback,
            name: DEVELOPMENT_FALLBACK.into(),
            path: None,
        };
        if winner.is_none() {
            warnings.push(Warning::new(
                WarningCode::DevelopmentFallback,
                Some(DEVELOPMENT_FALLBACK),
                format!(
                    "no secret is configured; using the public development fallback for {} ({}). \
                     It is refused outside development and test",
                    environment,
                    fallback.fingerprint()
                ),
            ));
            candidates.push(Candidate::from_source(&source, &fallback, Outcome::Used));
            winner = Some((sources.len(), source, fallback));
        } else {
            // Derived, never read directly by anyone: listed, but no conflict warning.
            candidates.push(Candidate::from_source(
                &source,
                &fallback,
                Outcome::Shadowed,
            ));
        }
    }

    let Some((won, source, secret)) = winner else {
        let tried: Vec<&str> = candidates.iter().map(|c| c.name.as_str()).collect();
        return Err(Error::new(
            ErrorCode::SecretMissing,
            format!(
                "no JWT secret for {environment}: tried variables {}, {}, {} and store entries {}, \
                 {}, {}",
                tried[0], tried[1], tried[2], tried[3], tried[4], tried[5]
            ),
        )
        .with("environment", environment.as_str())
        .with("tried", tried));
    };

    policy::check(
        variables,
        &environment,
        &source,
        &secret,
        &mut warnings,
        true,
    )?;
    let mut keys = vec![HeldKey {
        slot: KeySlot::Current,
        source: source.clone(),
        secret: secret.clone(),
    }];
    for (index, pair) in companions.into_iter().enumerate() {
        for (slot, name, read) in pair {
            let Some(read) = read else { continue };
            if index == won {
                let Some(companion) = usable(&read, &name, &mut warnings) else {
                    continue;
                };
                let companion_source = Source {
                    kind: read.kind,
                    name,
                    path: read.path,
                };
                if let Some(held) = keys
                    .iter()
                    .find(|k| k.secret.expose() == companion.expose())
                {
                    warnings.push(Warning::new(
                        WarningCode::RotationSecretDuplicate,
                        Some(&companion_source.name),
                        format!(
                            "{} ({}) equals the {} key {}; it is dropped: a rotation needs a new \
                             secret",
                            companion_source.name,
                            companion.fingerprint(),
                            held.slot,
                            held.source.name
                        ),
                    ));
                    continue;
                }
                policy::check(
                    variables,
                    &environment,
                    &companion_source,
                    &companion,
                    &mut warnings,
                    false,
                )?;
                keys.push(HeldKey {
                    slot,
                    source: companion_source,
                    secret: companion,
                });
            } else if non_blank(Some(&read.value)).is_some() {
                let stray = Secret::new(read.value.trim_matches(is_ascii_space).as_bytes());
                let owner = &sources[index].1;
                warnings.push(Warning::new(
                    WarningCode::StrayRotationSecret,
                    Some(&name),
                    format!(
                        "{name} ({}) is present but {owner} is not the source used ({} is): only \
                         the winning source's companions are held, so a service that reads \
                         {owner} would accept a different set of keys",
                        stray.fingerprint(),
                        source.name
                    ),
                ));
            }
        }
    }

    Ok(Resolution {
        environment,
        environment_origin: origin,
        source,
        secret,
        keys,
        warnings,
        candidates,
    })
}

/// The secret of a value read (docs/spec.md §4): surrounding ASCII whitespace
/// stripped (warning `whitespace_trimmed`); `None` with warning `empty_value`
/// when nothing is left.
fn usable(read: &Read, name: &str, warnings: &mut Vec<Warning>) -> Option<Secret> {
    let value = read.value.trim_matches(is_ascii_space);
    if value.is_empty() {
        warnings.push(Warning::new(
            WarningCode::EmptyValue,
            Some(name),
            format!("{name} is set but empty; it is skipped"),
        ));
        return None;
    }
    let secret = Secret::new(value.as_bytes());
    if value.len() != read.value.len() {
        warnings.push(Warning::new(
            WarningCode::WhitespaceTrimmed,
            Some(name),
            format!(
                "{name} had surrounding whitespace, which was stripped (fingerprint {}); \
                 a service that does not strip it will disagree",
                secret.fingerprint()
            ),
        ));
    }
    Some(secret)
}

/// Every variable [`resolve_with`] may read for `environment`, beyond
/// `ENVIRONMENT`: the three sources, the foreign names of the reuse check,
/// `CREDENTIALS_DIRECTORY`, then each source's companions and every one's
/// `_FILE` variable, and the foreign `_FILE` names.
pub(crate) fn all_variable_names(environment: &Environment) -> Vec<String> {
    let own = variable_names(environment);
    let foreign = foreign_variable_names(environment);
    let read = with_companions(&own, false);
    let mut names: Vec<String> = own.to_vec();
    names.extend(foreign.iter().cloned());
    names.push(CREDENTIALS_DIRECTORY.to_owned());
    for name in &read {
        if !own.contains(name) {
            names.push(name.clone());
        }
        names.push(file_variable(name));
    }
    names.extend(foreign.iter().map(|name| file_variable(name)));
    names
}

/// The files [`resolve_with`] will ask `Inputs::files` for, given the same
/// variables, store and explicit environment: the path of every non-empty
/// `_FILE` variable it reads, then every directory-store entry's path. For a
/// binding that prefers to read them all up front and pass a map. Empty when
/// no environment can be selected.
pub fn paths_read(
    variables: &dyn Lookup,
    store: Store<'_>,
    environment: Option<&str>,
) -> Vec<String> {
    let Ok((environment, _)) = select_environment(environment, variables) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let own = with_companions(&variable_names(&environment), false);
    for name in &own {
        if let Some(path) = non_blank(variables.lookup(&file_variable(name))) {
            paths.push(path.trim_matches(is_ascii_space).to_owned());
        }
    }
    if let Store::Directory(directory) = Reader::effective_store(variables, store) {
        for entry in store_entries_read(&environment) {
            paths.push(entry_path(directory, &entry));
        }
    }
    paths
}

fn legacy_replacement(store: bool, environment: &Environment) -> String {
    if store {
        format!("jwt-secret-{}", environment.as_str())
    } else {
        format!("JWT_SECRET_{}", environment.upper())
    }
}
