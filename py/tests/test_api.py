"""The Python API's own behaviour: defaults, the secret store, claims
conversion, keys, threads."""

from __future__ import annotations

import enum
import inspect
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any

import pytest

import jwt_accord

KEY = "api-test-secret-3c8f1a6d9b2e5f7a0c4d"
OLD = "api-test-old-secret-7e0b3d6a9c2f5e8b1a4d"
NOW = 1_700_000_000


def test_version_and_constants() -> None:
    assert jwt_accord.__version__ == "0.1.0"
    assert jwt_accord.MAX_KEYS == 8
    assert jwt_accord.DEFAULT_MAX_TOKEN_BYTES == 16384
    assert jwt_accord.MAX_JSON_DEPTH > 0


def test_all_is_complete() -> None:
    # Submodules (jwt_accord.prometheus, once imported) are not names of the package.
    public = {
        name
        for name in dir(jwt_accord)
        if not name.startswith("_") and not inspect.ismodule(getattr(jwt_accord, name))
    }
    assert set(jwt_accord.__all__) - {"__version__"} == public


# --- resolve_secret ---------------------------------------------------------------


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "stage")
    monkeypatch.setenv("JWT_SECRET_STAGING", KEY)
    resolution = jwt_accord.resolve_secret()
    assert (resolution.environment, resolution.environment_source) == ("staging", "ENVIRONMENT")
    assert resolution.source == {"kind": "variable", "name": "JWT_SECRET_STAGING"}


def test_explicit_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    resolution = jwt_accord.resolve_secret(environment="dev")
    assert (resolution.environment, resolution.environment_source) == ("development", "argument")
    assert resolution.source["kind"] == "development_fallback"


class Env(Mapping[str, str]):
    """A Mapping that is not a dict."""

    def __init__(self, **items: str) -> None:
        self._items = items

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def test_any_mapping_works_for_environ_and_store() -> None:
    resolution = jwt_accord.resolve_secret(
        Env(ENVIRONMENT="qa"), secret_store=Env(**{"jwt-secret-qa": KEY})
    )
    assert resolution.source == {"kind": "store", "name": "jwt-secret-qa"}


def test_store_is_asked_only_for_the_core_names_after_the_environment() -> None:
    asked: list[str] = []

    def store(name: str) -> str | None:
        asked.append(name)
        return None

    with pytest.raises(jwt_accord.EnvironmentMissingError):
        jwt_accord.resolve_secret({}, secret_store=store)
    with pytest.raises(jwt_accord.EnvironmentInvalidError):
        jwt_accord.resolve_secret({"ENVIRONMENT": "no such env!"}, secret_store=store)
    assert asked == []
    jwt_accord.resolve_secret(
        {"ENVIRONMENT": "preview-eu", "JWT_SECRET_KEY": KEY}, secret_store=store
    )
    # Each entry of docs/spec.md §3, then its rotation companions (§14).
    assert asked == [
        "jwt-secret-preview-eu",
        "jwt-secret-preview-eu-next",
        "jwt-secret-preview-eu-previous",
        "jwt-secret-key",
        "jwt-secret-key-next",
        "jwt-secret-key-previous",
        "jwt-secret",
        "jwt-secret-next",
        "jwt-secret-previous",
    ]


def test_store_entries_take_part_in_the_report() -> None:
    resolution = jwt_accord.resolve_secret(
        {"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": KEY},
        secret_store={"jwt-secret-staging": OLD + "\n"},
    )
    assert [w["code"] for w in resolution.warnings] == ["whitespace_trimmed", "shadowed_conflict"]
    store_candidate = resolution.candidates[3]
    assert store_candidate == {
        "kind": "store",
        "name": "jwt-secret-staging",
        "present": True,
        "fingerprint": jwt_accord.fingerprint(OLD),
        "outcome": "shadowed",
    }


def test_resolution_repr_and_secret() -> None:
    resolution = jwt_accord.resolve_secret({"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": KEY})
    fp = jwt_accord.fingerprint(KEY)
    assert repr(resolution) == (
        f'<Resolution environment="staging" source="JWT_SECRET_STAGING" '
        f"fingerprint=sha256:{fp} warnings=0>"
    )
    assert resolution.expose_secret() == KEY


def test_development_resolution_is_a_key_despite_a_short_secret() -> None:
    resolution = jwt_accord.resolve_secret({"ENVIRONMENT": "dev", "JWT_SECRET_KEY": "short"})
    assert [w["code"] for w in resolution.warnings] == ["secret_too_short"]
    token = jwt_accord.sign({"sub": "u"}, resolution, now=NOW, expires_in=60)
    assert jwt_accord.verify(token, resolution, now=NOW)["sub"] == "u"
    with pytest.raises(jwt_accord.InvalidKeyError):
        jwt_accord.verify(token, "short", now=NOW)


# --- claims conversion -----------------------------------------------------------------


class Color(enum.IntEnum):
    RED = 1


class Name(str, enum.Enum):
    ADA = "ada"


def test_claims_round_trip() -> None:
    claims = {
        "str": "Zoë 🙂",
        "int": -5,
        "float": 2.5,
        "true": True,
        "false": False,
        "none": None,
        "list": [1, "two", [3.0], {"four": 4}],
        "tuple": (1, 2),
        "dict": OrderedDict([("z", 1), ("a", 2)]),
        "mapping": MappingProxyType({"k": [1]}),
        "intenum": Color.RED,
        "strenum": Name.ADA,
    }
    token = jwt_accord.sign(claims, KEY, now=NOW, set_issued_at=False)
    decoded = jwt_accord.decode_unverified(token)["claims"]
    assert decoded == {
        **claims,
        "tuple": [1, 2],
        "dict": {"a": 2, "z": 1},
        "mapping": {"k": [1]},
        "strenum": "ada",
    }
    assert type(decoded["intenum"]) is int
    assert type(decoded["float"]) is float
    assert type(decoded["true"]) is bool


def test_any_mapping_is_accepted_as_claims() -> None:
    token = jwt_accord.sign(Env(sub="u"), KEY, now=NOW)
    assert jwt_accord.decode_unverified(token)["claims"] == {"sub": "u", "iat": NOW}


def test_keys_are_sorted_and_output_is_deterministic() -> None:
    a = jwt_accord.sign({"b": 1, "a": {"y": 1, "x": 2}}, KEY, now=NOW)
    b = jwt_accord.sign({"a": {"x": 2, "y": 1}, "b": 1}, KEY, now=NOW)
    assert a == b


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (datetime(2030, 1, 1, tzinfo=timezone.utc), 1893456000),
        (datetime(2030, 1, 1), 1893456000),  # naive: UTC, as PyJWT
        (datetime(2030, 1, 1, 2, tzinfo=timezone(timedelta(hours=2))), 1893456000),
        (datetime(2030, 1, 1, 0, 0, 0, 999_999, tzinfo=timezone.utc), 1893456000),
    ],
)
def test_datetime_time_claims(value: datetime, seconds: int) -> None:
    for claim in ("exp", "nbf", "iat"):
        token = jwt_accord.sign({claim: value}, KEY, now=NOW, set_issued_at=False)
        assert jwt_accord.decode_unverified(token)["claims"] == {claim: seconds}


def test_option_conflicts_compare_converted_datetimes() -> None:
    exp = datetime.fromtimestamp(NOW + 900, tz=timezone.utc)
    token = jwt_accord.sign({"exp": exp}, KEY, now=NOW, expires_in=900)
    assert jwt_accord.decode_unverified(token)["claims"]["exp"] == NOW + 900
    with pytest.raises(jwt_accord.ConflictingClaimError):
        jwt_accord.sign({"exp": exp}, KEY, now=NOW, expires_in=60)


# --- keys and options ----------------------------------------------------------------


def test_str_bytes_and_bytearray_keys_agree() -> None:
    tokens = {
        jwt_accord.sign({"sub": "u"}, key, now=NOW)
        for key in (KEY, KEY.encode(), bytearray(KEY.encode()), [KEY], (KEY, OLD))
    }
    assert len(tokens) == 1


def test_rotation() -> None:
    old_token = jwt_accord.sign({"sub": "u"}, OLD, now=NOW, expires_in=60)
    verifier = jwt_accord.Verifier([KEY, OLD])
    assert verifier.fingerprints == [jwt_accord.fingerprint(KEY), jwt_accord.fingerprint(OLD)]
    assert verifier.verify_full(old_token, now=NOW)["key_fingerprint"] == jwt_accord.fingerprint(
        OLD
    )
    signer = jwt_accord.Signer([KEY, OLD])
    assert signer.fingerprint == jwt_accord.fingerprint(KEY)


def test_kid_options() -> None:
    def header(**options: Any) -> dict[str, Any]:
        token = jwt_accord.sign({}, KEY, now=NOW, **options)
        decoded: dict[str, Any] = jwt_accord.decode_unverified(token)["header"]
        return decoded

    assert header()["kid"] == header(kid=True)["kid"] == jwt_accord.fingerprint(KEY)
    assert "kid" not in header(kid=False)
    assert header(kid="2026-rotation")["kid"] == "2026-rotation"


def test_verify_options() -> None:
    token = jwt_accord.sign(
        {"sub": "u"}, KEY, now=NOW, issuer="auth", audience=["api", "web"], token_type="access"
    )
    verify = jwt_accord.Verifier(
        KEY, issuer=("other", "auth"), audience="web", token_type="access", required=[], max_age=60
    ).verify
    assert verify(token, now=NOW + 60)["sub"] == "u"
    with pytest.raises(jwt_accord.ExpiredSignatureError):
        verify(token, now=NOW + 61)
    with pytest.raises(jwt_accord.MissingRequiredClaimError) as info:
        jwt_accord.verify(token, KEY, now=NOW, issuer="auth", audience="api")
    assert info.value.details == {"claim": "exp"}
    with pytest.raises(jwt_accord.WrongTokenTypeError):
        jwt_accord.verify(token, KEY, now=NOW, audience="api", required=(), token_type="refresh")
    with pytest.raises(jwt_accord.InvalidAudienceError):
        jwt_accord.verify(token, KEY, now=NOW, required=[])


def test_durations_may_be_timedeltas() -> None:
    token = jwt_accord.sign(
        {}, KEY, now=NOW, expires_in=timedelta(minutes=15), not_before=timedelta(0)
    )
    assert jwt_accord.decode_unverified(token)["claims"] == {
        "exp": NOW + 900,
        "iat": NOW,
        "nbf": NOW,
    }
    late = NOW + 905
    verifier = jwt_accord.Verifier(KEY, leeway=timedelta(seconds=5), max_age=timedelta(hours=1))
    assert verifier.verify(token, now=late - 1)["exp"] == NOW + 900
    with pytest.raises(jwt_accord.ExpiredSignatureError):
        verifier.verify(token, now=late)


def test_now_defaults_to_time_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1_234_567_890.75)
    token = jwt_accord.Signer(KEY, expires_in=10).sign({})
    assert jwt_accord.decode_unverified(token)["claims"] == {"exp": 1234567900, "iat": 1234567890}
    assert jwt_accord.Verifier(KEY).verify(token) == {"exp": 1234567900, "iat": 1234567890}
    monkeypatch.setattr(time, "time", lambda: 1_234_567_900.0)
    with pytest.raises(jwt_accord.ExpiredSignatureError):
        jwt_accord.verify(token, KEY)


def test_float_now_is_floored() -> None:
    token = jwt_accord.sign({}, KEY, now=NOW + 0.99)
    assert jwt_accord.decode_unverified(token)["claims"] == {"iat": NOW}


# --- threads -------------------------------------------------------------------------


def test_signer_and_verifier_are_shared_across_threads() -> None:
    signer = jwt_accord.Signer(KEY, issuer="auth", audience="api", expires_in=60)
    verifier = jwt_accord.Verifier([OLD, KEY], issuer="auth", audience="api")
    errors: list[BaseException] = []
    big = "x" * 8000  # verified with the GIL released

    def work(index: int) -> None:
        try:
            for i in range(500):
                claims = {"sub": f"{index}-{i}", "pad": big if i % 10 == 0 else ""}
                token = signer.sign(claims, now=NOW)
                got = verifier.verify(token, now=NOW)
                assert (got["sub"], got["pad"]) == (claims["sub"], claims["pad"])
                with pytest.raises(jwt_accord.ExpiredSignatureError):
                    verifier.verify(token, now=NOW + 60)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
