//! Name/value sources passed in by the caller: a snapshot of variables and
//! already-fetched secret-store entries. The core never reads either itself.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use zeroize::Zeroizing;

use crate::environment::{
    is_ascii_space, select_environment, upper, Environment, ENVIRONMENT_VARIABLE, KNOWN,
};
use crate::error::{Error, ErrorCode};
use crate::resolve::all_variable_names;

/// A read-only map of names to values.
pub trait Lookup {
    /// The value for `name`, if set. Names are case-sensitive.
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl<S: BuildHasher> Lookup for HashMap<String, String, S> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// A list of pairs, as read from an env file: the last occurrence of a name
/// wins, as in a shell.
impl<K: AsRef<str>, V: AsRef<str>> Lookup for [(K, V)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(key, _)| key.as_ref() == name)
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Lookup for Vec<(K, V)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

/// No entries: `resolve(&vars, &(), None)` when there is no secret store.
impl Lookup for () {
    fn lookup(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl<L: Lookup + ?Sized> Lookup for &L {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}

/// What hosts put in place of bytes that are not UTF-8 (Node's `process.env`,
/// Python's lossy conversions, wasm-bindgen's strings). A value the resolver
/// reads that holds it is refused in every build: the bytes meant cannot be
/// known, and two hosts would resolve different secrets (docs/decisions.md).
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// Whether `value` holds [`REPLACEMENT`]. A scan of the chars, not
/// `str::contains`: a non-ASCII `char` pattern goes through the substring
/// searcher, which costs the WASM module ~0.4 KB (benches/README.md).
pub(crate) fn holds_replacement(value: &str) -> bool {
    value.chars().any(|c| c == REPLACEMENT)
}

/// Variables fetched for [`crate::resolve`]: names, and values held in
/// buffers wiped when dropped.
pub type Variables = Vec<(String, Zeroizing<String>)>;

/// The names of the variables [`crate::resolve`] reads, in the order it reads
/// them, when the `ENVIRONMENT` variable holds `environment_variable` (`None`:
/// not fetched yet or unset): `ENVIRONMENT` unless `explicit` names the
/// environment; then, once an environment is selected, `JWT_SECRET_<ENV>`,
/// `JWT_SECRET_KEY`, `JWT_SECRET` (docs/spec.md §3), every other known
/// environment's `JWT_SECRET_<NAME>` and alias names, which the reuse check
/// compares against (docs/spec.md §5), `CREDENTIALS_DIRECTORY` (§15), then
/// each source's rotation companions `_NEXT` and `_PREVIOUS` (§14) and the
/// `_FILE` variable of every one of these names (§15).
///
/// A binding fetches these and only these, so that no unrelated variable
/// leaves the host: call once with `None`; if the list holds `ENVIRONMENT`,
/// fetch it and call again with its value. [`fetch_variables`] does exactly
/// that. When no environment can be selected the list stops at `ENVIRONMENT`:
/// `resolve` fails on it alone.
pub fn variables_read(explicit: Option<&str>, environment_variable: Option<&str>) -> Vec<String> {
    let mut names = Vec::new();
    let explicit = explicit.filter(|raw| !raw.trim_matches(is_ascii_space).is_empty());
    if explicit.is_none() {
        names.push(ENVIRONMENT_VARIABLE.to_owned());
    }
    let given: Vec<(&str, &str)> = environment_variable
        .map(|value| (ENVIRONMENT_VARIABLE, value))
        .into_iter()
        .collect();
    if let Ok((environment, _)) = select_environment(explicit, given.as_slice()) {
        names.extend(all_variable_names(&environment));
    }
    names
}

/// Every known environment's `JWT_SECRET_<NAME>` (canonical name and aliases)
/// other than `environment`'s, in the known environments' order: the names the
/// reuse check reads (docs/spec.md §5).
pub(crate) fn foreign_variable_names(environment: &Environment) -> Vec<String> {
    KNOWN
        .iter()
        .filter(|(other, _)| *other != environment.as_str())
        .flat_map(|(other, aliases)| std::iter::once(other).chain(aliases.iter()))
        .map(|label| format!("JWT_SECRET_{}", upper(label)))
        .collect()
}

/// Fetches, through `fetch`, exactly the variables [`variables_read`] names
/// (`ENVIRONMENT` first, when it is read) and nothing else, as the snapshot to
/// pass to [`crate::resolve`] with the same `explicit` environment. `fetch`
/// returns a name's value, or `None` when it is unset; its error stops the
/// fetching and is returned as is.
///
/// # Errors
/// Only `fetch`'s.
pub fn fetch_variables<E>(
    explicit: Option<&str>,
    mut fetch: impl FnMut(&str) -> Result<Option<Zeroizing<String>>, E>,
) -> Result<Variables, E> {
    let mut variables = Variables::new();
    let reads_environment = variables_read(explicit, None)
        .iter()
        .any(|name| name == ENVIRONMENT_VARIABLE);
    if reads_environment {
        if let Some(value) = fetch(ENVIRONMENT_VARIABLE)? {
            variables.push((ENVIRONMENT_VARIABLE.to_owned(), value));
        }
    }
    let environment_variable = variables.first().map(|(_, value)| value.as_str());
    for name in variables_read(explicit, environment_variable) {
        if name == ENVIRONMENT_VARIABLE {
            continue;
        }
        if let Some(value) = fetch(&name)? {
            variables.push((name, value));
        }
    }
    Ok(variables)
}

/// Refuses a value of `names` in `source` that holds [`REPLACEMENT`]
/// (`kind`: `variable` or `store`, as in the report): error `invalid_value`, naming the
/// variable or entry, never the value.
pub(crate) fn refuse_non_text<'a, L: Lookup + ?Sized>(
    source: &L,
    kind: &str,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), Error> {
    for name in names {
        if source.lookup(name).is_some_and(holds_replacement) {
            return Err(non_text(kind, name));
        }
    }
    Ok(())
}

/// The `invalid_value` error for `name`.
pub(crate) fn non_text(kind: &str, name: &str) -> Error {
    let label = if kind == "store" { "store entry" } else { kind };
    Error::new(
        ErrorCode::InvalidValue,
        format!(
            "{label} {name} is not valid UTF-8 text: it holds U+FFFD, which hosts put in place of \
             bytes that are not UTF-8, so the bytes meant cannot be known; jwt-accord refuses it \
             rather than resolve a secret another service would read differently"
        ),
    )
    .with("kind", kind)
    .with("name", name)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    use super::*;
    use crate::resolve;

    /// A snapshot that records every name looked up.
    struct Recording {
        values: HashMap<String, String>,
        read: RefCell<BTreeSet<String>>,
    }

    impl Lookup for Recording {
        fn lookup(&self, name: &str) -> Option<&str> {
            self.read.borrow_mut().insert(name.to_owned());
            self.values.get(name).map(String::as_str)
        }
    }

    const SECRET: &str = "a-long-random-secret-value-9f8e7d6c5b4a3f2e1d0c";

    /// An explicit environment and the variables set.
    type Case<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);

    fn recording(pairs: &[(&str, &str)]) -> Recording {
        Recording {
            values: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            read: RefCell::default(),
        }
    }

    /// `variables_read` names exactly what `resolve` (policy checks included) reads.
    #[test]
    fn variables_read_is_what_resolve_reads() {
        let cases: [Case; 5] = [
            (Some("staging"), &[("JWT_SECRET_STAGING", SECRET)]),
            (None, &[("ENVIRONMENT", "prod"), ("JWT_SECRET_KEY", SECRET)]),
            (
                None,
                &[("ENVIRONMENT", "preview-eu"), ("JWT_SECRET", SECRET)],
            ),
            (None, &[("ENVIRONMENT", "Not An Environment!")]),
            (Some(" "), &[]),
        ];
        for (explicit, pairs) in cases {
            let variables = recording(pairs);
            let _ = resolve(&variables, &(), explicit);
            let environment = variables.values.get(ENVIRONMENT_VARIABLE);
            let expected: BTreeSet<String> =
                variables_read(explicit, environment.map(String::as_str))
                    .into_iter()
                    .collect();
            assert_eq!(*variables.read.borrow(), expected, "{explicit:?} {pairs:?}");
        }
    }

    #[test]
    fn fetch_variables_fetches_only_what_resolve_reads() {
        let host: HashMap<&str, &str> = [
            ("ENVIRONMENT", "staging"),
            ("JWT_SECRET_STAGING", SECRET),
            ("UNRELATED_SECRET", "never-leaves-the-host"),
        ]
        .into_iter()
        .collect();
        for explicit in [None, Some("staging")] {
            let mut asked = Vec::new();
            let variables = fetch_variables(explicit, |name| {
                asked.push(name.to_owned());
                Ok::<_, ()>(host.get(name).map(|v| Zeroizing::new((*v).to_owned())))
            })
            .unwrap();
            assert!(!asked.iter().any(|name| name == "UNRELATED_SECRET"));
            assert_eq!(
                asked.iter().any(|name| name == ENVIRONMENT_VARIABLE),
                explicit.is_none()
            );
            assert_eq!(asked, variables_read(explicit, Some("staging")));
            let resolution = resolve(&variables, &(), explicit).unwrap();
            assert_eq!(resolution.source().name, "JWT_SECRET_STAGING");
        }
    }

    #[test]
    fn fetch_errors_stop_the_fetching() {
        let mut calls = 0;
        let result = fetch_variables(None, |_| {
            calls += 1;
            Err::<Option<Zeroizing<String>>, _>("host failure")
        });
        assert_eq!(result.unwrap_err(), "host failure");
        assert_eq!(calls, 1);
    }
}
