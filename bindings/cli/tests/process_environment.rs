//! The process environment as `resolve` reads it, from raw `envp` arrays that
//! `std::process::Command` cannot build (a name set twice, bytes that are not
//! UTF-8). The test binary re-runs itself (`exec_child`), and that child
//! replaces itself with the CLI through `execve`, passing the array as is.

use std::ffi::{c_char, c_int, CString, OsStr};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::Command;

extern "C" {
    fn execve(path: *const c_char, argv: *const *const c_char, envp: *const *const c_char)
        -> c_int;
}

/// `<PREFIX><i>` holds the i-th raw `envp` entry for the child.
const PREFIX: &str = "JWT_ACCORD_TEST_RAW_ENVP_";
const STAGING: &str = "staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e";
const OTHER: &str = "other-staging-secret-2b9e4f7a1c6d3e8f5a0b7c4d9e";

/// Runs `jwt-accord resolve` with exactly `envp`: the exit status and stderr.
fn resolve_with_envp(envp: &[&[u8]]) -> (i32, String) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "exec_child", "--nocapture", "--test-threads=1"])
        .env_clear();
    for (i, entry) in envp.iter().enumerate() {
        command.env(format!("{PREFIX}{i}"), OsStr::from_bytes(entry));
    }
    let out = command.output().unwrap();
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Not a test of its own: the child half of [`resolve_with_envp`].
#[test]
fn exec_child() {
    let mut envp = Vec::new();
    while let Some(entry) = std::env::var_os(format!("{PREFIX}{}", envp.len())) {
        envp.push(CString::new(entry.into_vec()).unwrap());
    }
    if envp.is_empty() {
        return;
    }
    let path = CString::new(env!("CARGO_BIN_EXE_jwt-accord")).unwrap();
    let resolve = CString::new("resolve").unwrap();
    let argv = [path.as_ptr(), resolve.as_ptr(), std::ptr::null()];
    let mut envp: Vec<*const c_char> = envp.iter().map(|e| e.as_ptr()).collect();
    envp.push(std::ptr::null());
    // SAFETY: every pointer is a NUL-terminated string alive until execve
    // returns, and both arrays end with a null pointer.
    unsafe { execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    panic!("execve failed: {}", std::io::Error::last_os_error());
}

fn entry(name: &str, value: &str) -> Vec<u8> {
    format!("{name}={value}").into_bytes()
}

#[test]
fn a_name_the_resolver_reads_set_twice_is_refused() {
    for (name, first, second) in [
        ("JWT_SECRET_STAGING", STAGING, OTHER),
        ("JWT_SECRET_STAGING", STAGING, STAGING),
        ("ENVIRONMENT", "staging", "production"),
        ("JWT_SECRET_PRODUCTION", OTHER, STAGING),
    ] {
        let mut envp = vec![
            entry("ENVIRONMENT", "staging"),
            entry("JWT_SECRET_STAGING", STAGING),
        ];
        envp.retain(|e| !e.starts_with(format!("{name}=").as_bytes()));
        envp.push(entry(name, first));
        envp.push(entry(name, second));
        let envp: Vec<&[u8]> = envp.iter().map(Vec::as_slice).collect();
        let (status, stderr) = resolve_with_envp(&envp);
        assert_eq!(status, 2, "{name}: {stderr}");
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name} is set more than once")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            !stderr.contains(STAGING) && !stderr.contains(OTHER),
            "{stderr}"
        );
    }
}

#[test]
fn an_unrelated_name_set_twice_is_not_read() {
    let envp = [
        entry("ENVIRONMENT", "staging"),
        entry("JWT_SECRET_STAGING", STAGING),
        entry("UNRELATED", "1"),
        entry("UNRELATED", "2"),
    ];
    let envp: Vec<&[u8]> = envp.iter().map(Vec::as_slice).collect();
    let (status, stderr) = resolve_with_envp(&envp);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn a_non_utf8_value_read_is_invalid_value_as_in_every_build() {
    let value: &[u8] = b"JWT_SECRET_STAGING=staging-secret-\xff-7f3a9c2e5b8d1f4a6c0e9b2d7a5f";
    let envp: [&[u8]; 2] = [b"ENVIRONMENT=staging", value];
    let (status, stderr) = resolve_with_envp(&envp);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("invalid_value: variable JWT_SECRET_STAGING is not valid UTF-8"),
        "{stderr}"
    );
    assert!(!stderr.contains("7f3a9c2e"), "{stderr}");
}

#[test]
fn a_non_utf8_value_not_read_is_ignored() {
    let envp: [&[u8]; 4] = [
        b"ENVIRONMENT=staging",
        b"JWT_SECRET_STAGING=staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e",
        b"JWT_SECRET_UNRELATED=\xff\xfe",
        b"OTHER=\xff",
    ];
    let (status, stderr) = resolve_with_envp(&envp);
    assert_eq!(status, 0, "{stderr}");
}
