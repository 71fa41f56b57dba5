"""Bad input gets a TypeError/ValueError or a JWTAccordError with a clear
message, never a crash of the interpreter."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest

import jwt_accord

KEY = "bad-input-secret-5e2a9c7b1d4f8e3a6c0b"
TOKEN = jwt_accord.sign({"sub": "u"}, KEY, now=1_700_000_000, expires_in=60)


def nested_dict(depth: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


def nested_list(depth: int) -> list[Any]:
    root: list[Any] = []
    node = root
    for _ in range(depth):
        child: list[Any] = []
        node.append(child)
        node = child
    return root


# --- claims ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "claim", "found"),
    [
        ({"roles": {"admin", "user"}}, "roles", "set"),
        ({"blob": b"bytes"}, "blob", "bytes"),
        ({"when": datetime(2030, 1, 1)}, "when", "datetime.datetime"),
        ({"exp": date(2030, 1, 1)}, "exp", "datetime.date"),
        ({"price": Decimal("1.5")}, "price", "decimal.Decimal"),
        ({"meta": {"tags": [1, object()]}}, "meta", "object"),
        ({"meta": {"when": datetime(2030, 1, 1)}}, "meta", "datetime.datetime"),
        ({"n": 2**64}, "n", "int"),
        ({"n": -(2**63) - 1}, "n", "int"),
        ({"x": math.nan}, "x", "float"),
        ({"x": -math.inf}, "x", "float"),
        ({"text": "\ud800"}, "text", "str"),
    ],
)
def test_claims_without_a_json_form_name_the_claim(claims: Any, claim: str, found: str) -> None:
    with pytest.raises(jwt_accord.InvalidClaimsError) as info:
        jwt_accord.sign(claims, KEY)
    exc = info.value
    assert exc.code == "invalid_claims"
    assert exc.details["claim"] == claim
    assert exc.details["found"] == found
    assert f'claim "{claim}"' in str(exc)


def test_int_limits_are_kept() -> None:
    claims = {"big": 2**64 - 1, "small": -(2**63)}
    token = jwt_accord.sign(claims, KEY, now=0, set_issued_at=False)
    assert jwt_accord.decode_unverified(token)["claims"] == claims


def test_non_str_keys() -> None:
    with pytest.raises(jwt_accord.InvalidClaimsError) as info:
        jwt_accord.sign({"meta": {1: "x"}}, KEY)
    assert info.value.details == {"claim": "meta", "path": '["meta"]', "found": "int"}
    with pytest.raises(jwt_accord.InvalidClaimsError):
        jwt_accord.sign(cast(Any, {None: "x"}), KEY)


@pytest.mark.parametrize("claims", [object(), {1, 2}, b"{}", 3 + 4j])
def test_claims_that_are_not_a_dict(claims: Any) -> None:
    with pytest.raises(jwt_accord.InvalidClaimsError, match="claims must be"):
        jwt_accord.sign(claims, KEY)


@pytest.mark.parametrize("depth", [jwt_accord.MAX_JSON_DEPTH, 1_000, 100_000])
def test_deep_nesting_is_refused_without_recursing(depth: int) -> None:
    for claims in (nested_dict(depth), {"a": nested_list(depth)}):
        with pytest.raises(jwt_accord.InvalidClaimsError) as info:
            jwt_accord.sign(claims, KEY)
        assert info.value.details == {"reason": "too_deep"}


def test_nesting_up_to_the_bound_is_fine() -> None:
    claims = nested_dict(jwt_accord.MAX_JSON_DEPTH - 1)  # the claims object is one level
    token = jwt_accord.sign(claims, KEY, now=0)
    assert jwt_accord.decode_unverified(token)["claims"]["a"]["a"] is not None


def test_claims_changed_during_conversion() -> None:
    claims: dict[str, Any] = {}

    class Mutating(datetime):
        def utctimetuple(self) -> Any:
            claims.update((f"k{i}", i) for i in range(100))
            return super().utctimetuple()

    claims["exp"] = Mutating(2030, 1, 1)
    token = jwt_accord.sign(claims, KEY, now=0)  # the dict as it was when the call began
    assert jwt_accord.decode_unverified(token)["claims"] == {"exp": 1893456000, "iat": 0}


def test_cyclic_claims() -> None:
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(jwt_accord.InvalidClaimsError):
        jwt_accord.sign(cyclic, KEY)


# --- keys -------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, 42, 4.2, object(), {"k": KEY}, [KEY, 1], memoryview(b"x")])
def test_wrong_key_types(key: Any) -> None:
    for action in (
        lambda: jwt_accord.Signer(key),
        lambda: jwt_accord.Verifier(key),
        lambda: jwt_accord.sign({}, key),
        lambda: jwt_accord.verify(TOKEN, key),
    ):
        with pytest.raises(TypeError, match="key"):
            action()


def test_empty_and_oversized_keyrings() -> None:
    with pytest.raises(jwt_accord.InvalidKeyError) as info:
        jwt_accord.Verifier([])
    assert info.value.details["reason"] == "empty_keyring"
    with pytest.raises(jwt_accord.InvalidKeyError) as info:
        jwt_accord.Verifier([KEY + str(i) for i in range(jwt_accord.MAX_KEYS + 1)])
    assert info.value.details["reason"] == "too_many_keys"


def test_key_with_lone_surrogate() -> None:
    with pytest.raises(ValueError, match="surrogate"):
        jwt_accord.Signer(KEY + "\udcff")


# --- tokens -----------------------------------------------------------------


@pytest.mark.parametrize("token", [None, 42, TOKEN.encode(), [TOKEN], object()])
def test_non_string_tokens(token: Any) -> None:
    verifier = jwt_accord.Verifier(KEY)
    for action in (
        lambda: verifier.verify(token),
        lambda: verifier.verify_full(token),
        lambda: jwt_accord.verify(token, KEY),
        lambda: jwt_accord.decode_unverified(token),
    ):
        with pytest.raises(TypeError, match="token must be str"):
            action()


@pytest.mark.parametrize("size", [16_385, 1_000_000, 50_000_000])
def test_huge_tokens(size: int) -> None:
    huge = "a" * size
    with pytest.raises(jwt_accord.TokenTooLargeError) as info:
        jwt_accord.verify(huge, KEY)
    assert info.value.details == {"size": size, "maximum": 16384}
    with pytest.raises(jwt_accord.TokenTooLargeError):
        jwt_accord.decode_unverified(huge)


def test_huge_token_with_a_raised_limit_is_verified_with_the_gil_released() -> None:
    token = jwt_accord.sign({"pad": "x" * 100_000}, KEY, now=0, expires_in=60)
    claims = jwt_accord.verify(token, KEY, now=0, max_token_bytes=200_000)
    assert len(claims["pad"]) == 100_000


@pytest.mark.parametrize("token", ["", ".", "..", "a.b.c", "\ud800.x.y", "é.é.é", TOKEN + "="])
def test_garbage_tokens(token: str) -> None:
    with pytest.raises(jwt_accord.DecodeError):
        jwt_accord.verify(token, KEY)


# --- options and now ----------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"expires_in": "900"},
        {"expires_in": 1.5},
        {"expires_in": True},
        {"not_before": "0"},
        {"issuer": 1},
        {"audience": 5},
        {"audience": ["api", 5]},
        {"kid": 3},
        {"kid": None},
        {"set_issued_at": "yes"},
    ],
)
def test_wrong_sign_option_types(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        jwt_accord.Signer(KEY, **options)
    with pytest.raises(TypeError):
        jwt_accord.sign({}, KEY, **options)


@pytest.mark.parametrize(
    "options",
    [
        {"issuer": 1},
        {"issuer": [b"auth"]},
        {"audience": {"api": 1}},
        {"required": "exp"},
        {"required": [1]},
        {"leeway": "10"},
        {"max_age": 1.5},
        {"token_type": 1},
        {"unknown_option": 1},
    ],
)
def test_wrong_verify_option_types(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        jwt_accord.Verifier(KEY, **options)
    with pytest.raises(TypeError):
        jwt_accord.verify(TOKEN, KEY, **options)


def test_fractional_timedelta() -> None:
    with pytest.raises(ValueError, match="whole seconds"):
        jwt_accord.Signer(KEY, expires_in=timedelta(seconds=1.5))
    # A leeway is a tolerance: a fraction rounds up (docs/decisions.md, "Habits from other
    # libraries"), so a float or a fractional timedelta is accepted.
    assert jwt_accord.Verifier(KEY, leeway=timedelta(milliseconds=1)).leeway == 1
    assert jwt_accord.Verifier(KEY, leeway=1.5).leeway == 2


@pytest.mark.parametrize("leeway", [math.nan, math.inf, -0.5, -1.0, 1e300])
def test_leeway_out_of_range(leeway: float) -> None:
    with pytest.raises(ValueError, match="leeway"):
        jwt_accord.Verifier(KEY, leeway=leeway)


@pytest.mark.parametrize("options", [{"leeway": -1}, {"max_age": -5}, {"max_token_bytes": -1}])
def test_negative_verify_options(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        jwt_accord.Verifier(KEY, **options)


@pytest.mark.parametrize("now", ["0", True, [0], object()])
def test_wrong_now_types(now: Any) -> None:
    with pytest.raises(TypeError, match="now"):
        jwt_accord.sign({}, KEY, now=now)
    with pytest.raises(TypeError, match="now"):
        jwt_accord.Verifier(KEY).verify(TOKEN, now=now)


@pytest.mark.parametrize("now", [math.nan, math.inf, -math.inf, 1e300, 2.0**54, 10**400])
def test_now_out_of_range(now: float | int) -> None:
    with pytest.raises(ValueError, match="now"):
        jwt_accord.sign({}, KEY, now=now)


def test_positional_options_are_refused() -> None:
    with pytest.raises(TypeError):
        jwt_accord.Signer(KEY, 900)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        jwt_accord.verify(TOKEN, KEY, 0)  # type: ignore[call-arg]


# --- resolution -----------------------------------------------------------------


class BrokenMapping(Mapping[str, str]):
    def __getitem__(self, key: str) -> str:
        raise RuntimeError("backend down")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("backend down")

    def __len__(self) -> int:
        return 1


@pytest.mark.parametrize("environ", [["ENVIRONMENT", "dev"], "ENVIRONMENT=dev", 42, object()])
def test_non_mapping_environ(environ: Any) -> None:
    with pytest.raises(TypeError, match="environ must be a mapping"):
        jwt_accord.resolve_secret(environ)


# Only the names the resolver reads are looked up: an entry it does not read
# (a non-str key) is never seen (test_environment_reads.py).
@pytest.mark.parametrize(
    "environ", [{"ENVIRONMENT": 1}, {"ENVIRONMENT": "dev", "JWT_SECRET": b"x" * 40}]
)
def test_environ_with_non_str_entries(environ: Any) -> None:
    with pytest.raises(TypeError, match="environ"):
        jwt_accord.resolve_secret(environ)


def test_failing_mapping_propagates_its_error() -> None:
    with pytest.raises(RuntimeError, match="backend down"):
        jwt_accord.resolve_secret(BrokenMapping())


@pytest.mark.parametrize("store", [42, "jwt-secret", ["jwt-secret"]])
def test_wrong_store_types(store: Any) -> None:
    with pytest.raises(TypeError, match="secret_store"):
        jwt_accord.resolve_secret({"ENVIRONMENT": "dev"}, secret_store=store)


def test_store_giving_a_wrong_type() -> None:
    with pytest.raises(TypeError, match="jwt-secret-development"):
        jwt_accord.resolve_secret({"ENVIRONMENT": "dev"}, secret_store=cast(Any, lambda name: 42))
    with pytest.raises(TypeError, match="expected str or None"):
        jwt_accord.resolve_secret(
            {"ENVIRONMENT": "dev"}, secret_store=cast(Any, {"jwt-secret-key": b"x" * 40})
        )


def test_store_raising_propagates() -> None:
    def store(name: str) -> str | None:
        raise ConnectionError("secret manager unreachable")

    with pytest.raises(ConnectionError):
        jwt_accord.resolve_secret({"ENVIRONMENT": "dev"}, secret_store=store)


def test_environment_argument_type() -> None:
    with pytest.raises(TypeError):
        jwt_accord.resolve_secret({}, environment=1)  # type: ignore[arg-type]


def test_environ_values_that_are_not_unicode_do_not_break_resolution() -> None:
    resolution = jwt_accord.resolve_secret(
        {"ENVIRONMENT": "dev", "LANG_JUNK": "caf\udce9", "JWT_SECRET_KEY": KEY}
    )
    assert resolution.fingerprint == jwt_accord.fingerprint(KEY)


# --- the rest ------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, 1, ["x"], object()])
def test_fingerprint_types(secret: Any) -> None:
    with pytest.raises(TypeError, match="secret must be str or bytes"):
        jwt_accord.fingerprint(secret)


@pytest.mark.parametrize("reports", ["[]", {"service": "a"}, None, 42])
def test_consistency_needs_a_list(reports: Any) -> None:
    with pytest.raises(TypeError, match="reports must be a list"):
        jwt_accord.check_consistency(reports)


def test_consistency_reports_must_be_json() -> None:
    with pytest.raises(TypeError, match=r"reports\[1\]"):
        jwt_accord.check_consistency([{"service": "a"}, {"service": object()}])
    with pytest.raises(ValueError, match="deeper"):
        jwt_accord.check_consistency([nested_dict(100_000)])
    # Anything JSON that is not a readable report counts as a failure, not an exception.
    reports: Any = [1, "x", None, {"service": "a"}]
    result = jwt_accord.check_consistency(reports)
    assert [f["code"] for f in result["failures"]] == ["invalid_report"] * 4


def test_classes_cannot_be_built_or_subclassed_wrongly() -> None:
    with pytest.raises(TypeError):
        jwt_accord.Resolution()
    with pytest.raises(TypeError):
        type("Sub", (jwt_accord.Signer,), {})
    with pytest.raises(AttributeError):
        jwt_accord.Signer(KEY).fingerprint = "x"  # type: ignore[misc]
