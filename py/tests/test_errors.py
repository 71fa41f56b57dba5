"""The exception hierarchy and the one code -> class mapping."""

from __future__ import annotations

import pickle

import pytest

import jwt_accord
from jwt_accord import _errors, _native

EXPECTED_NAMES = {
    "environment_missing": "EnvironmentMissingError",
    "environment_invalid": "EnvironmentInvalidError",
    "secret_missing": "SecretMissingError",
    "secret_too_short": "SecretTooShortError",
    "insecure_secret": "InsecureSecretError",
    "secret_reused_across_environments": "SecretReusedAcrossEnvironmentsError",
    "invalid_value": "InvalidValueError",
    "ambiguous_source": "AmbiguousSourceError",
    "secret_file_invalid": "SecretFileInvalidError",
    "secret_file_unreadable": "SecretFileUnreadableError",
    "token_too_large": "TokenTooLargeError",
    "malformed": "DecodeError",
    "unsupported_algorithm": "InvalidAlgorithmError",
    "unknown_key": "UnknownKeyError",
    "invalid_signature": "InvalidSignatureError",
    "invalid_claim_type": "InvalidClaimTypeError",
    "missing_claim": "MissingRequiredClaimError",
    "expired": "ExpiredSignatureError",
    "not_yet_valid": "ImmatureSignatureError",
    "invalid_issuer": "InvalidIssuerError",
    "invalid_audience": "InvalidAudienceError",
    "wrong_token_type": "WrongTokenTypeError",
    "invalid_claims": "InvalidClaimsError",
    "conflicting_claim": "ConflictingClaimError",
    "invalid_key": "InvalidKeyError",
    "missing_token": "MissingTokenError",
    "invalid_request": "InvalidRequestError",
}


def test_every_core_code_has_its_class_under_the_right_base() -> None:
    codes = _native.error_codes()
    assert [code for code, _ in codes] == list(EXPECTED_NAMES)
    for code, kind in codes:
        cls = _errors._CLASS_BY_CODE[code]
        assert cls.__name__ == EXPECTED_NAMES[code]
        assert getattr(jwt_accord, cls.__name__) is cls
        base = jwt_accord.ResolutionError if kind == "resolution" else jwt_accord.TokenError
        assert issubclass(cls, base)
        assert cls.__bases__ == (base,)
        assert code in (cls.__doc__ or "")
    assert set(_errors._CLASS_BY_CODE) == set(EXPECTED_NAMES)


def test_bases() -> None:
    assert issubclass(jwt_accord.JWTAccordError, Exception)
    assert jwt_accord.ResolutionError.__bases__ == (jwt_accord.JWTAccordError,)
    assert jwt_accord.TokenError.__bases__ == (jwt_accord.JWTAccordError,)


def test_raised_error_carries_code_details_and_message() -> None:
    with pytest.raises(jwt_accord.JWTAccordError) as info:
        jwt_accord.verify("a.b", "k" * 32)
    exc = info.value
    assert type(exc) is jwt_accord.DecodeError
    assert exc.code == "malformed"
    assert exc.details == {"part": "token"}
    assert str(exc) == "token must have three dot-separated segments, found 2"
    assert exc.args == (str(exc),)


def test_resolution_errors_are_resolution_errors() -> None:
    with pytest.raises(jwt_accord.ResolutionError) as info:
        jwt_accord.resolve_secret({})
    assert type(info.value) is jwt_accord.EnvironmentMissingError
    assert info.value.code == "environment_missing"


def test_a_code_this_version_does_not_know_falls_back_to_its_base() -> None:
    exc = _errors._from_core("some_future_code", "token", "message", {"a": 1})
    assert type(exc) is jwt_accord.TokenError
    assert (exc.code, exc.details, str(exc)) == ("some_future_code", {"a": 1}, "message")
    exc = _errors._from_core("another", "resolution", "m", {})
    assert type(exc) is jwt_accord.ResolutionError


def test_constructed_by_hand_the_code_comes_from_the_class() -> None:
    exc = jwt_accord.ExpiredSignatureError("token expired")
    assert (exc.code, exc.details, str(exc)) == ("expired", {}, "token expired")
    with pytest.raises(TypeError, match="needs an explicit code"):
        jwt_accord.TokenError("which one?")
    assert jwt_accord.TokenError("m", "custom").code == "custom"


def test_user_subclass_inherits_the_code() -> None:
    class AppExpired(jwt_accord.ExpiredSignatureError):
        pass

    assert AppExpired("x").code == "expired"


def test_exceptions_pickle_with_code_and_details() -> None:
    with pytest.raises(jwt_accord.TokenError) as info:
        jwt_accord.verify(jwt_accord.sign({"sub": "u"}, "k" * 32, now=0, expires_in=1), "k" * 32)
    exc = info.value
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc) is jwt_accord.ExpiredSignatureError
    assert (copy.code, copy.details, str(copy)) == (exc.code, exc.details, str(exc))
