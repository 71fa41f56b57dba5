//! Secrets mounted as files (docs/spec.md §15): `V_FILE` variables and
//! directory stores. The core reads nothing itself: a [`Files`] reader passed
//! in by the caller hands over each path's bytes, or why there are none.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;

use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode};

/// The most bytes a secret file may hold (64 KiB).
pub const MAX_FILE_BYTES: usize = 64 * 1024;

/// What reading one path gave.
#[derive(Clone, PartialEq, Eq)]
pub enum FileRead {
    /// The file's bytes, in a buffer wiped when dropped. A reader may stop
    /// after [`MAX_FILE_BYTES`] + 1 bytes: the core refuses anything longer.
    Content(Zeroizing<Vec<u8>>),
    /// There is no file at the path (in a directory store: the entry is not set).
    NotFound,
    /// The file exists but could not be read; the reason, for the message
    /// (e.g. `Permission denied (os error 13)`).
    Failed(String),
}

impl FileRead {
    /// Content from bytes.
    pub fn content(bytes: impl Into<Vec<u8>>) -> FileRead {
        FileRead::Content(Zeroizing::new(bytes.into()))
    }
}

impl fmt::Debug for FileRead {
    /// Never the content: only its length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileRead::Content(bytes) => write!(f, "Content({} bytes)", bytes.len()),
            FileRead::NotFound => f.write_str("NotFound"),
            FileRead::Failed(reason) => f.debug_tuple("Failed").field(reason).finish(),
        }
    }
}

/// Reads secret files for the resolver. Bindings pass a real reader (the
/// `fs` feature's `StdFiles`, or their host's file API); tests and vectors
/// pass a map of path to [`FileRead`], where a missing path is `NotFound`.
pub trait Files {
    /// Reads the file at `path`, exactly as given (no normalisation).
    fn read(&self, path: &str) -> FileRead;
}

/// No reader: every read fails. What [`crate::resolve`] uses, so that a
/// `_FILE` variable given to a caller that reads no files is an error, not
/// silently ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFiles;

/// The reason [`NoFiles`] gives.
pub const NO_FILE_READER: &str = "this caller reads no files (no file reader was given)";

impl Files for NoFiles {
    fn read(&self, _path: &str) -> FileRead {
        FileRead::Failed(NO_FILE_READER.to_owned())
    }
}

impl<S: BuildHasher> Files for HashMap<String, FileRead, S> {
    fn read(&self, path: &str) -> FileRead {
        self.get(path).cloned().unwrap_or(FileRead::NotFound)
    }
}

impl Files for BTreeMap<String, FileRead> {
    fn read(&self, path: &str) -> FileRead {
        self.get(path).cloned().unwrap_or(FileRead::NotFound)
    }
}

impl<F: Files + ?Sized> Files for &F {
    fn read(&self, path: &str) -> FileRead {
        (**self).read(path)
    }
}

/// The path of `entry` in the directory store `directory`.
pub(crate) fn entry_path(directory: &str, entry: &str) -> String {
    if directory.ends_with('/') {
        format!("{directory}{entry}")
    } else {
        format!("{directory}/{entry}")
    }
}

/// The value of the file `path` read for `name` (a variable or store entry):
/// UTF-8 of at most [`MAX_FILE_BYTES`], trailing line ends (`\n`, `\r\n`)
/// removed as the shell's `$(< file)` does. `None` when the file is missing
/// and `missing_ok` (a directory store's entry that is not set).
///
/// # Errors
/// `secret_file_invalid`, `secret_file_unreadable`.
pub(crate) fn value_of(
    read: FileRead,
    name: &str,
    path: &str,
    missing_ok: bool,
) -> Result<Option<Zeroizing<String>>, Error> {
    let bytes = match read {
        FileRead::Content(bytes) => bytes,
        FileRead::NotFound if missing_ok => return Ok(None),
        FileRead::NotFound => return Err(unreadable(name, path, "no such file")),
        FileRead::Failed(reason) => return Err(unreadable(name, path, &reason)),
    };
    let invalid = |message: String, reason: &str| {
        Error::new(ErrorCode::SecretFileInvalid, message)
            .with("name", name)
            .with("path", path)
            .with("reason", reason)
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(invalid(
            format!(
                "the file {path} read for {name} holds more than {MAX_FILE_BYTES} bytes; \
                 a secret file holds at most 64 KiB"
            ),
            "too_large",
        )
        .with("maximum", MAX_FILE_BYTES));
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Err(invalid(
            format!("the file {path} read for {name} is not UTF-8 text"),
            "not_utf8",
        ));
    };
    let mut end = text.len();
    while text[..end].ends_with('\n') {
        end -= 1;
        if text[..end].ends_with('\r') {
            end -= 1;
        }
    }
    Ok(Some(Zeroizing::new(text[..end].to_owned())))
}

fn unreadable(name: &str, path: &str, reason: &str) -> Error {
    Error::new(
        ErrorCode::SecretFileUnreadable,
        format!("the file {path} read for {name} cannot be read: {reason}"),
    )
    .with("name", name)
    .with("path", path)
    .with("reason", reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(bytes: &[u8]) -> Result<Option<String>, ErrorCode> {
        value_of(FileRead::content(bytes), "V", "/p", false)
            .map(|v| v.map(|s| s.as_str().to_owned()))
            .map_err(|e| e.code())
    }

    #[test]
    fn trailing_line_ends_go_as_in_the_shell() {
        assert_eq!(value(b"abc\n").unwrap().unwrap(), "abc");
        assert_eq!(value(b"abc\r\n\r\n\n").unwrap().unwrap(), "abc");
        assert_eq!(value(b"abc\r\r\n").unwrap().unwrap(), "abc\r");
        assert_eq!(value(b"a\nb ").unwrap().unwrap(), "a\nb ");
        assert_eq!(value(b"\n\n").unwrap().unwrap(), "");
    }

    #[test]
    fn content_rules() {
        assert_eq!(value(&[0xff, 0x41]), Err(ErrorCode::SecretFileInvalid));
        assert_eq!(
            value(&vec![b'a'; MAX_FILE_BYTES + 1]),
            Err(ErrorCode::SecretFileInvalid)
        );
        assert!(value(&vec![b'a'; MAX_FILE_BYTES]).is_ok());
        let missing = value_of(FileRead::NotFound, "V", "/p", true).unwrap();
        assert!(missing.is_none());
        let e = value_of(FileRead::NotFound, "V", "/p", false).unwrap_err();
        assert_eq!(e.code(), ErrorCode::SecretFileUnreadable);
        assert_eq!(
            format!("{:?}", FileRead::content("s3cret")),
            "Content(6 bytes)"
        );
    }
}
