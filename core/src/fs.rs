//! A [`Files`] reader over `std::fs`, behind the `fs` cargo feature (off by
//! default, so the default build does no I/O at all).

use std::io::{ErrorKind, Read};

use zeroize::Zeroizing;

use crate::files::{FileRead, Files, MAX_FILE_BYTES};

/// Reads secret files with `std::fs`: follows symbolic links (a Kubernetes
/// secret volume's `..data` layout needs nothing special), reads at most
/// [`MAX_FILE_BYTES`] + 1 bytes, and reports a missing file as
/// [`FileRead::NotFound`] and any other failure with the OS's reason.
#[derive(Clone, Copy, Debug, Default)]
pub struct StdFiles;

impl Files for StdFiles {
    fn read(&self, path: &str) -> FileRead {
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return FileRead::NotFound,
            Err(e) => return FileRead::Failed(e.to_string()),
        };
        let mut bytes = Zeroizing::new(Vec::new());
        let limit = u64::try_from(MAX_FILE_BYTES + 1).unwrap_or(u64::MAX);
        match file.take(limit).read_to_end(&mut bytes) {
            Ok(_) => FileRead::Content(bytes),
            Err(e) => FileRead::Failed(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_missing_and_directories() {
        let dir = std::env::temp_dir().join(format!("jwt-accord-fs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("secret");
        std::fs::write(&file, "value\n").unwrap();
        assert_eq!(
            StdFiles.read(file.to_str().unwrap()),
            FileRead::content("value\n")
        );
        assert_eq!(
            StdFiles.read(dir.join("missing").to_str().unwrap()),
            FileRead::NotFound
        );
        assert!(matches!(
            StdFiles.read(dir.to_str().unwrap()),
            FileRead::Failed(_)
        ));
        std::fs::write(&file, vec![b'a'; MAX_FILE_BYTES + 100]).unwrap();
        match StdFiles.read(file.to_str().unwrap()) {
            FileRead::Content(bytes) => assert_eq!(bytes.len(), MAX_FILE_BYTES + 1),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
