//! Reading one source (docs/spec.md §3, §14, §15): a variable, its `_FILE`
//! variable, or a store entry (passed in, or a file of a directory store).

use zeroize::Zeroizing;

use crate::environment::is_ascii_space;
use crate::error::{Error, ErrorCode, Result};
use crate::files::{entry_path, value_of, Files};
use crate::lookup::Lookup;
use crate::report::SourceKind;

/// Where store entries come from.
#[derive(Clone, Copy)]
pub enum Store<'a> {
    /// The caller passes no store: when the variable `CREDENTIALS_DIRECTORY`
    /// (systemd) is set, that directory is the store; otherwise there is none.
    Absent,
    /// Entries the caller already fetched (a secret manager's).
    Entries(&'a dyn Lookup),
    /// A directory store: each entry is the file named after it in this folder
    /// (a Kubernetes secret volume, `/run/secrets`); a missing file is an
    /// entry that is not set.
    Directory(&'a str),
}

/// The variable naming systemd's credentials folder (docs/spec.md §15).
pub const CREDENTIALS_DIRECTORY: &str = "CREDENTIALS_DIRECTORY";

/// The `_FILE` variable of `name`.
pub(crate) fn file_variable(name: &str) -> String {
    format!("{name}_FILE")
}

/// A value read, and where it came from.
pub(crate) struct Read {
    pub value: Zeroizing<String>,
    pub kind: SourceKind,
    pub path: Option<String>,
}

/// The variables, the effective store and the file reader of one resolution.
pub(crate) struct Reader<'a> {
    pub variables: &'a dyn Lookup,
    pub store: Store<'a>,
    pub files: &'a dyn Files,
}

pub(crate) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim_matches(is_ascii_space).is_empty())
}

impl<'a> Reader<'a> {
    /// The store that applies: [`Store::Absent`] becomes the
    /// `CREDENTIALS_DIRECTORY` directory when that variable is set.
    pub fn effective_store(variables: &'a dyn Lookup, store: Store<'a>) -> Store<'a> {
        match store {
            Store::Absent => non_blank(variables.lookup(CREDENTIALS_DIRECTORY))
                .map_or(Store::Absent, |d| {
                    Store::Directory(d.trim_matches(is_ascii_space))
                }),
            other => other,
        }
    }

    /// Variable `name`, or the file its `name_FILE` variable names.
    ///
    /// # Errors
    /// `ambiguous_source`, `secret_file_invalid`, `secret_file_unreadable`.
    pub fn variable(&self, name: &str) -> Result<Option<Read>> {
        let value = self.variables.lookup(name);
        let file_name = file_variable(name);
        let Some(path) = non_blank(self.variables.lookup(&file_name)) else {
            return Ok(value.map(|v| Read {
                value: Zeroizing::new(v.to_owned()),
                kind: SourceKind::Variable,
                path: None,
            }));
        };
        let path = path.trim_matches(is_ascii_space);
        if non_blank(value).is_some() {
            return Err(Error::new(
                ErrorCode::AmbiguousSource,
                format!(
                    "both {name} and {file_name} are set: jwt-accord does not pick one; \
                     unset one of them"
                ),
            )
            .with("name", name)
            .with("file_variable", file_name.as_str())
            .with("path", path));
        }
        let value = value_of(self.files.read(path), &file_name, path, false)?;
        Ok(value.map(|value| Read {
            value,
            kind: SourceKind::File,
            path: Some(path.to_owned()),
        }))
    }

    /// Store entry `name`.
    ///
    /// # Errors
    /// `secret_file_invalid`, `secret_file_unreadable` (directory stores).
    pub fn entry(&self, name: &str) -> Result<Option<Read>> {
        match self.store {
            Store::Absent => Ok(None),
            Store::Entries(entries) => Ok(entries.lookup(name).map(|v| Read {
                value: Zeroizing::new(v.to_owned()),
                kind: SourceKind::Store,
                path: None,
            })),
            Store::Directory(directory) => {
                let path = entry_path(directory, name);
                let value = value_of(self.files.read(&path), name, &path, true)?;
                Ok(value.map(|value| Read {
                    value,
                    kind: SourceKind::Store,
                    path: Some(path),
                }))
            }
        }
    }

    /// A variable (`store` false) or store entry.
    pub fn read(&self, name: &str, store: bool) -> Result<Option<Read>> {
        if store {
            self.entry(name)
        } else {
            self.variable(name)
        }
    }
}
