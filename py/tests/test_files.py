"""Secrets mounted as files (docs/spec.md §15) on the real file system, and the
``read_file`` callable. Tests run as root, so an unreadable file is made with
a directory (or a missing path), not with chmod."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

import jwt_accord

SECRET = "staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e"
NEXT = "next-secret-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f"


def staging(**variables: str) -> dict[str, str]:
    return {"ENVIRONMENT": "staging", **variables}


def python_open(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def test_file_variable_reads_the_file_and_shows_only_its_path(tmp_path: Path) -> None:
    path = tmp_path / "jwt"
    path.write_text(SECRET + "\n")
    resolution = jwt_accord.resolve_secret(staging(JWT_SECRET_STAGING_FILE=str(path)))
    assert resolution.source == {"kind": "file", "name": "JWT_SECRET_STAGING", "path": str(path)}
    # The trailing newline is not part of the secret.
    assert resolution.fingerprint == jwt_accord.fingerprint(SECRET)
    assert resolution.expose_secret() == SECRET
    assert f"file={path}" in resolution.summary()
    shown = repr(resolution) + str(resolution) + resolution.to_json() + str(resolution.keys)
    assert SECRET not in shown
    assert str(path) in resolution.to_json()


def test_python_open_and_the_default_reader_agree(tmp_path: Path) -> None:
    path = tmp_path / "jwt"
    path.write_bytes(SECRET.encode() + b"\r\n")
    variables = staging(JWT_SECRET_STAGING_FILE=str(path))
    default = jwt_accord.resolve_secret(variables)
    assert jwt_accord.resolve_secret(variables, read_file=python_open).to_json() == (
        default.to_json()
    )


def test_companion_file_is_a_held_key(tmp_path: Path) -> None:
    (tmp_path / "next").write_text(NEXT)
    resolution = jwt_accord.resolve_secret(
        staging(JWT_SECRET_STAGING=SECRET, JWT_SECRET_STAGING_NEXT_FILE=str(tmp_path / "next"))
    )
    assert [(k["slot"], k["source"], k["fingerprint"]) for k in resolution.keys] == [
        (
            "current",
            {"kind": "variable", "name": "JWT_SECRET_STAGING"},
            jwt_accord.fingerprint(SECRET),
        ),
        (
            "next",
            {"kind": "file", "name": "JWT_SECRET_STAGING_NEXT", "path": str(tmp_path / "next")},
            jwt_accord.fingerprint(NEXT),
        ),
    ]
    token = jwt_accord.sign({"sub": "u"}, NEXT, now=1_700_000_000, expires_in=60)
    full = jwt_accord.Verifier(resolution).verify_full(token, now=1_700_000_000)
    assert (full["key_slot"], full["key_fingerprint"]) == ("next", jwt_accord.fingerprint(NEXT))
    raw = jwt_accord.Verifier(NEXT).verify_full(token, now=1_700_000_000)
    assert raw["key_slot"] is None


@pytest.mark.parametrize("as_path", [False, True], ids=["str", "Path"])
def test_directory_store(tmp_path: Path, as_path: bool) -> None:
    (tmp_path / "jwt-secret-staging").write_text(SECRET + "\n")
    (tmp_path / "jwt-secret-staging-previous").write_text(NEXT)
    resolution = jwt_accord.resolve_secret(
        staging(), secret_dir=tmp_path if as_path else str(tmp_path)
    )
    entry = str(tmp_path / "jwt-secret-staging")
    assert resolution.source == {"kind": "store", "name": "jwt-secret-staging", "path": entry}
    assert [k["slot"] for k in resolution.keys] == ["current", "previous"]
    assert resolution.fingerprint == jwt_accord.fingerprint(SECRET)


def test_credentials_directory_is_the_store_when_none_is_passed(tmp_path: Path) -> None:
    (tmp_path / "jwt-secret-staging").write_text(SECRET)
    variables = staging(CREDENTIALS_DIRECTORY=str(tmp_path))
    resolution = jwt_accord.resolve_secret(variables)
    assert resolution.source["path"] == str(tmp_path / "jwt-secret-staging")
    # A store passed by the caller wins over CREDENTIALS_DIRECTORY.
    with pytest.raises(jwt_accord.SecretMissingError):
        jwt_accord.resolve_secret(variables, secret_store={})


def test_unreadable_file(tmp_path: Path) -> None:
    # Root reads any file whatever its mode: a directory is unreadable for everyone.
    with pytest.raises(jwt_accord.SecretFileUnreadableError) as info:
        jwt_accord.resolve_secret(staging(JWT_SECRET_STAGING_FILE=str(tmp_path)))
    reason = f"{os.strerror(errno.EISDIR)} (os error {errno.EISDIR})"
    assert info.value.details == {
        "name": "JWT_SECRET_STAGING_FILE",
        "path": str(tmp_path),
        "reason": reason,
    }
    assert str(info.value) == (
        f"the file {tmp_path} read for JWT_SECRET_STAGING_FILE cannot be read: {reason}"
    )
    # Python's open() fails the same way, and the reason is worded the same.
    with pytest.raises(jwt_accord.SecretFileUnreadableError) as again:
        jwt_accord.resolve_secret(
            staging(JWT_SECRET_STAGING_FILE=str(tmp_path)), read_file=python_open
        )
    assert str(again.value) == str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "absent")
    variables = staging(JWT_SECRET_STAGING_FILE=missing)
    with pytest.raises(jwt_accord.SecretFileUnreadableError) as info:
        jwt_accord.resolve_secret(variables)
    assert info.value.details["reason"] == "no such file"
    for reader in (python_open, lambda path: None):
        with pytest.raises(jwt_accord.SecretFileUnreadableError) as again:
            jwt_accord.resolve_secret(variables, read_file=reader)
        assert str(again.value) == str(info.value)


def test_oversize_file(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"a" * (64 * 1024 + 1))
    with pytest.raises(jwt_accord.SecretFileInvalidError) as info:
        jwt_accord.resolve_secret(staging(JWT_SECRET_STAGING_FILE=str(path)))
    assert info.value.details["reason"] == "too_large"
    largest = os.urandom(32 * 1024).hex()
    path.write_text(largest)
    read = jwt_accord.resolve_secret(staging(JWT_SECRET_STAGING_FILE=str(path)))
    assert read.fingerprint == jwt_accord.fingerprint(largest)


def test_read_file_results() -> None:
    variables = staging(JWT_SECRET_STAGING_FILE="/run/secrets/jwt")
    contents: list[str | bytes | bytearray] = [SECRET, SECRET.encode(), bytearray(SECRET.encode())]
    for content in contents:

        def give(path: str, content: str | bytes | bytearray = content) -> str | bytes | bytearray:
            return content

        got = jwt_accord.resolve_secret(variables, read_file=give)
        assert got.fingerprint == jwt_accord.fingerprint(SECRET)
    asked: list[str] = []

    def record(path: str) -> str:
        asked.append(path)
        return SECRET

    jwt_accord.resolve_secret(variables, read_file=record)
    assert asked == ["/run/secrets/jwt"]


def test_os_errors_are_failed_reads_worded_as_the_default_reader() -> None:
    variables = staging(JWT_SECRET_STAGING_FILE="/run/secrets/jwt")

    def denied(path: str) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", path)

    with pytest.raises(jwt_accord.SecretFileUnreadableError) as info:
        jwt_accord.resolve_secret(variables, read_file=denied)
    assert info.value.details["reason"] == f"Permission denied (os error {errno.EACCES})"

    def plain(path: str) -> bytes:
        raise OSError("vault sealed")

    with pytest.raises(jwt_accord.SecretFileUnreadableError) as info:
        jwt_accord.resolve_secret(variables, read_file=plain)
    assert info.value.details["reason"] == "vault sealed"


def test_read_file_bugs_propagate() -> None:
    variables = staging(JWT_SECRET_STAGING_FILE="/run/secrets/jwt")

    def broken(path: str) -> bytes:
        raise ValueError("a bug in the reader")

    with pytest.raises(ValueError, match="a bug in the reader"):
        jwt_accord.resolve_secret(variables, read_file=broken)
    wrong: Any = lambda path: 42  # noqa: E731
    with pytest.raises(TypeError, match=r'read_file\("/run/secrets/jwt"\) gave int'):
        jwt_accord.resolve_secret(variables, read_file=wrong)
    with pytest.raises(ValueError, match="not encodable as UTF-8"):
        jwt_accord.resolve_secret(variables, read_file=lambda path: "\udcff")


def test_bad_arguments(tmp_path: Path) -> None:
    not_callable: Any = "open"
    with pytest.raises(TypeError, match="read_file must be a callable"):
        jwt_accord.resolve_secret(staging(), read_file=not_callable)
    not_a_path: Any = 42
    with pytest.raises(TypeError, match="secret_dir must be a str or a path"):
        jwt_accord.resolve_secret(staging(), secret_dir=not_a_path)
    with pytest.raises(TypeError, match="secret_dir must be a str or a path"):
        jwt_accord.resolve_secret(staging(), secret_dir=b"/run/secrets")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not both"):
        jwt_accord.resolve_secret(staging(), secret_store={}, secret_dir=str(tmp_path))
