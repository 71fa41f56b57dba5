"""The exceptions, and the one mapping from the core's error codes to them.

Every failure of the core has a stable code (docs/spec.md §10). Each code has
its own exception class, named so that a PyJWT user recognises it, under
``ResolutionError`` (secret resolution and policy) or ``TokenError`` (keys,
signing and verifying), both under ``JWTAccordError``. ``str(exc)`` is the
core's message, the same text in every jwt-accord binding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AmbiguousSourceError",
    "ConflictingClaimError",
    "DecodeError",
    "EnvironmentInvalidError",
    "EnvironmentMissingError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InsecureSecretError",
    "InvalidAlgorithmError",
    "InvalidAudienceError",
    "InvalidClaimTypeError",
    "InvalidClaimsError",
    "InvalidIssuerError",
    "InvalidKeyError",
    "InvalidRequestError",
    "InvalidSignatureError",
    "InvalidValueError",
    "JWTAccordError",
    "MissingRequiredClaimError",
    "MissingTokenError",
    "ResolutionError",
    "SecretFileInvalidError",
    "SecretFileUnreadableError",
    "SecretMissingError",
    "SecretReusedAcrossEnvironmentsError",
    "SecretTooShortError",
    "TokenError",
    "TokenTooLargeError",
    "UnknownKeyError",
    "WrongTokenTypeError",
]


class JWTAccordError(Exception):
    """Base of every jwt-accord error.

    Attributes:
        code: The stable error code (docs/spec.md §10), e.g. ``"expired"``.
        details: The specifics as a dict: the claim, the expected and found
            values, the token's ``kid`` and the held key fingerprints, the
            names tried... Never a secret.
    """

    code: str
    details: dict[str, Any]

    def __init__(
        self,
        message: str,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Creates the exception.

        Args:
            message: The message; ``str(exc)``.
            code: The error code; defaults to the code of the class.
            details: The specifics; defaults to an empty dict.

        Raises:
            TypeError: No code was given and the class has none of its own.
        """
        super().__init__(message)
        if code is None:
            code = _code_of(type(self))
        self.code = code
        self.details = dict(details) if details is not None else {}

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles with the code and details."""
        message = self.args[0] if self.args else ""
        return (type(self), (message, self.code, self.details))


class ResolutionError(JWTAccordError):
    """The secret could not be resolved, or failed the policy checks."""


class TokenError(JWTAccordError):
    """A key, signing or verifying failure."""


# Resolution (docs/spec.md §2 to §5).


class EnvironmentMissingError(ResolutionError):
    """No environment was given and ``ENVIRONMENT`` is unset or blank (``environment_missing``)."""


class EnvironmentInvalidError(ResolutionError):
    """The environment name is not a known name, alias or custom name (``environment_invalid``)."""


class SecretMissingError(ResolutionError):
    """No source holds a usable secret (``secret_missing``); details name every source tried."""


class SecretTooShortError(ResolutionError):
    """The secret is shorter than 32 bytes in a strict environment (``secret_too_short``)."""


class InsecureSecretError(ResolutionError):
    """The secret is public-key material, a placeholder or a fallback (``insecure_secret``)."""


class SecretReusedAcrossEnvironmentsError(ResolutionError):
    """Another environment's variable holds this secret (``secret_reused_across_environments``)."""


class InvalidValueError(ResolutionError):
    """A variable or store entry read is not valid UTF-8 text (``invalid_value``).

    A non-UTF-8 byte in ``os.environ`` is refused in every build rather than
    guessed at; ``details["name"]`` names the variable, never the value.
    """


class AmbiguousSourceError(ResolutionError):
    """Both a variable and its ``_FILE`` variable are set (``ambiguous_source``)."""


class SecretFileInvalidError(ResolutionError):
    """A secret file is not UTF-8 text of at most 64 KiB (``secret_file_invalid``)."""


class SecretFileUnreadableError(ResolutionError):
    """A secret file cannot be read (``secret_file_unreadable``).

    ``details`` name the variable or store entry, the path and the reason.
    """


# Tokens (docs/spec.md §8).


class TokenTooLargeError(TokenError):
    """The token is larger than ``max_token_bytes`` (``token_too_large``)."""


class DecodeError(TokenError):
    """The token, its header or its claims cannot be decoded (``malformed``)."""


class InvalidAlgorithmError(TokenError):
    """The header's ``alg`` is not exactly ``HS256`` (``unsupported_algorithm``)."""


class UnknownKeyError(TokenError):
    """The token's fingerprint-form ``kid`` matches none of the held keys (``unknown_key``).

    The services resolve different secrets: details hold the token's ``kid``
    and the ``held`` fingerprints.
    """


class InvalidSignatureError(TokenError):
    """No held key produces the token's signature (``invalid_signature``)."""


class InvalidClaimTypeError(TokenError):
    """A registered claim has the wrong JSON type or range (``invalid_claim_type``)."""


class MissingRequiredClaimError(TokenError):
    """A required claim is absent (``missing_claim``); ``details["claim"]`` names it."""


class ExpiredSignatureError(TokenError):
    """``exp`` has passed, or ``max_age`` is exceeded (``expired``)."""


class ImmatureSignatureError(TokenError):
    """``nbf`` or ``iat`` lies in the future (``not_yet_valid``)."""


class InvalidIssuerError(TokenError):
    """``iss`` is not one of the accepted issuers (``invalid_issuer``)."""


class InvalidAudienceError(TokenError):
    """``aud`` shares no value with the accepted audiences (``invalid_audience``)."""


class WrongTokenTypeError(TokenError):
    """Claim ``token_type`` is not the expected one (``wrong_token_type``)."""


class InvalidClaimsError(TokenError):
    """The claims to sign are not a dict of JSON values (``invalid_claims``)."""


class ConflictingClaimError(TokenError):
    """A signing option contradicts a claim given with another value (``conflicting_claim``)."""


class InvalidKeyError(TokenError):
    """A raw key is empty, short or public-key material, or a keyring is refused (``invalid_key``).

    A keyring holds one to eight keys.
    """


class MissingTokenError(TokenError):
    """A request carries no token (``missing_token``, docs/spec.md §17)."""


class InvalidRequestError(TokenError):
    """A request's credentials are malformed (``invalid_request``, docs/spec.md §17).

    Two ``Authorization`` headers, another scheme, no token or two after
    ``Bearer``: answered with HTTP 400.
    """


# The one mapping from codes to classes.
_CLASS_BY_CODE: dict[str, type[JWTAccordError]] = {
    "environment_missing": EnvironmentMissingError,
    "environment_invalid": EnvironmentInvalidError,
    "secret_missing": SecretMissingError,
    "secret_too_short": SecretTooShortError,
    "insecure_secret": InsecureSecretError,
    "secret_reused_across_environments": SecretReusedAcrossEnvironmentsError,
    "invalid_value": InvalidValueError,
    "ambiguous_source": AmbiguousSourceError,
    "secret_file_invalid": SecretFileInvalidError,
    "secret_file_unreadable": SecretFileUnreadableError,
    "token_too_large": TokenTooLargeError,
    "malformed": DecodeError,
    "unsupported_algorithm": InvalidAlgorithmError,
    "unknown_key": UnknownKeyError,
    "invalid_signature": InvalidSignatureError,
    "invalid_claim_type": InvalidClaimTypeError,
    "missing_claim": MissingRequiredClaimError,
    "expired": ExpiredSignatureError,
    "not_yet_valid": ImmatureSignatureError,
    "invalid_issuer": InvalidIssuerError,
    "invalid_audience": InvalidAudienceError,
    "wrong_token_type": WrongTokenTypeError,
    "invalid_claims": InvalidClaimsError,
    "conflicting_claim": ConflictingClaimError,
    "invalid_key": InvalidKeyError,
    "missing_token": MissingTokenError,
    "invalid_request": InvalidRequestError,
}
_CODE_BY_CLASS = {cls: code for code, cls in _CLASS_BY_CODE.items()}


def _code_of(cls: type[JWTAccordError]) -> str:
    for base in cls.__mro__:
        code = _CODE_BY_CLASS.get(base)
        if code is not None:
            return code
    raise TypeError(f"{cls.__name__} needs an explicit code; raise one of its subclasses instead")


def _from_core(code: str, kind: str, message: str, details: dict[str, Any]) -> JWTAccordError:
    """Builds the exception for a core error; called by the native module.

    Args:
        code: The error code.
        kind: ``"resolution"`` or ``"token"``: the base class for a code this
            version does not know yet.
        message: The core's message.
        details: The core's details.

    Returns:
        The exception instance (the caller raises it).
    """
    cls = _CLASS_BY_CODE.get(code) or (ResolutionError if kind == "resolution" else TokenError)
    return cls(message, code, details)
