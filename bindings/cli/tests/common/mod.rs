//! Runs the built `jwt-accord` binary from the repository root, with an empty
//! environment unless a test passes variables, and collects what it printed.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const DRIFT_AUTH: &str = "examples/drift/auth.env";
pub const DRIFT_BACKEND: &str = "examples/drift/backend.env";
pub const DRIFT_HELPER: &str = "examples/drift/e2e-helper.env";
pub const FIXED_AUTH: &str = "examples/fixed/auth.env";
pub const FIXED_BACKEND: &str = "examples/fixed/backend.env";
pub const FIXED_HELPER: &str = "examples/fixed/e2e-helper.env";

/// 2023-11-14 22:13:20 UTC: tests pass `--now` so tokens are reproducible.
pub const NOW: &str = "1700000000";

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {:?}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit status, showing the output when it differs.
    pub fn expect(self, status: i32) -> Run {
        assert_eq!(
            self.status, status,
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn run_with(args: &[&str], vars: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jwt-accord"));
    command
        .args(args)
        .current_dir(root())
        .env_clear()
        .envs(vars.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Run {
        status: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

pub fn run(args: &[&str]) -> Run {
    run_with(args, &[], None)
}

/// A fresh directory under the target's temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `contents` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The fingerprint of an example's variable, computed by the core.
pub fn fingerprint_of(file: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let value = text
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{file} has no {name}"));
    jwt_accord::fingerprint(value.as_bytes())
}

/// A token signed as the drift auth service at NOW, valid for 15 minutes.
pub fn auth_token() -> String {
    let run = run(&[
        "sign",
        "--env-file",
        DRIFT_AUTH,
        "--subject",
        "user-42",
        "--expires-in",
        "900",
        "--now",
        NOW,
    ])
    .expect(0);
    run.stdout.trim().to_owned()
}
