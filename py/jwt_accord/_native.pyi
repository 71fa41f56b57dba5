# Hand-written stub of the pyo3 module (bindings/python), checked by mypy.stubtest.
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Final, Literal, final

from typing_extensions import TypeAlias

from jwt_accord._errors import JWTAccordError
from jwt_accord._http import Refusal
from jwt_accord._types import (
    CandidateInfo,
    ConsistencyResult,
    KeyInfo,
    SourceInfo,
    UnverifiedToken,
    VerifiedToken,
    WarningInfo,
)

_KeyLike: TypeAlias = str | bytes | bytearray | Resolution
_Key: TypeAlias = _KeyLike | Sequence[_KeyLike]
_Names: TypeAlias = str | Sequence[str]
_Now: TypeAlias = int | float | None
_Seconds: TypeAlias = int | timedelta
_Leeway: TypeAlias = int | float | timedelta
_Algorithms: TypeAlias = Sequence[Literal["HS256"]] | None
_Store: TypeAlias = Mapping[str, str | None] | Callable[[str], str | None]
_ReadFile: TypeAlias = Callable[[str], bytes | bytearray | str | None]
_HeaderValues: TypeAlias = str | Sequence[str] | None

__all__ = [
    "DEFAULT_MAX_TOKEN_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_KEYS",
    "REPORT_PATH",
    "WEBSOCKET_CLOSE_CODE",
    "WEBSOCKET_SUBPROTOCOL",
    "Challenge",
    "Resolution",
    "Service",
    "Signer",
    "Verifier",
    "__version__",
    "_panic_for_tests",
    "bearer_token",
    "check_consistency",
    "cookie_token",
    "decode_unverified",
    "error_codes",
    "fingerprint",
    "resolve_secret",
    "sign",
    "verify",
    "websocket_token",
]

__version__: Final[str]
MAX_JSON_DEPTH: Final[int]
MAX_KEYS: Final[int]
DEFAULT_MAX_TOKEN_BYTES: Final[int]
REPORT_PATH: Final[str]
WEBSOCKET_SUBPROTOCOL: Final[str]
WEBSOCKET_CLOSE_CODE: Final[int]

@final
class Resolution:
    @property
    def environment(self) -> str: ...
    @property
    def environment_source(self) -> str: ...
    @property
    def source(self) -> SourceInfo: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def keys(self) -> list[KeyInfo]: ...
    @property
    def warnings(self) -> list[WarningInfo]: ...
    @property
    def candidates(self) -> list[CandidateInfo]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def summary(self) -> str: ...
    def expose_secret(self) -> str: ...

@final
class Signer:
    def __new__(
        cls,
        key: _Key,
        *,
        expires_in: _Seconds | None = None,
        issuer: str | None = None,
        audience: _Names | None = None,
        subject: str | None = None,
        token_type: str | None = None,
        not_before: _Seconds | None = None,
        jti: str | None = None,
        set_issued_at: bool = True,
        kid: bool | str = True,
        algorithm: Literal["HS256"] = "HS256",
    ) -> Signer: ...
    def sign(self, claims: Mapping[str, Any], now: _Now = None) -> str: ...
    @property
    def fingerprint(self) -> str: ...

@final
class Verifier:
    def __new__(
        cls,
        key_or_keys: _Key,
        *,
        issuer: _Names | None = None,
        audience: _Names | None = None,
        leeway: _Leeway = 0,
        required: Sequence[str] | None = ...,
        token_type: str | None = None,
        max_age: _Seconds | None = None,
        max_token_bytes: int = 16384,
        algorithms: _Algorithms = None,
    ) -> Verifier: ...
    def verify(self, token: str, now: _Now = None) -> dict[str, Any]: ...
    def verify_full(self, token: str, now: _Now = None) -> VerifiedToken: ...
    @property
    def fingerprints(self) -> list[str]: ...
    @property
    def leeway(self) -> int: ...

@final
class Service:
    def __new__(
        cls,
        name: str,
        resolution: Resolution,
        *,
        role: str | None = None,
        verifiers: Iterable[Verifier] | None = (),
        signers: Iterable[Signer] | None = (),
    ) -> Service: ...
    @property
    def name(self) -> str: ...
    def report_json(self) -> str: ...
    def report(self) -> dict[str, Any]: ...
    def metrics(self) -> str: ...
    def metric_families_json(self) -> str: ...

@final
class Challenge:
    def __new__(
        cls, realm: str, *, environment: str, expose_messages: bool | None = None
    ) -> Challenge: ...
    @property
    def realm(self) -> str: ...
    @property
    def expose_messages(self) -> bool: ...
    def refusal(self, error: JWTAccordError) -> Refusal: ...

def bearer_token(authorization: _HeaderValues) -> str: ...
def websocket_token(protocols: _HeaderValues) -> str: ...
def cookie_token(cookies: _HeaderValues, name: str) -> str | None: ...
def resolve_secret(
    environ: Mapping[str, str] | None = None,
    *,
    environment: str | None = None,
    secret_store: _Store | None = None,
    secret_dir: str | os.PathLike[str] | None = None,
    read_file: _ReadFile | None = None,
) -> Resolution: ...
def fingerprint(secret: str | bytes | bytearray) -> str: ...
def sign(
    claims: Mapping[str, Any],
    key: _Key,
    *,
    now: _Now = None,
    expires_in: _Seconds | None = None,
    issuer: str | None = None,
    audience: _Names | None = None,
    subject: str | None = None,
    token_type: str | None = None,
    not_before: _Seconds | None = None,
    jti: str | None = None,
    set_issued_at: bool = True,
    kid: bool | str = True,
    algorithm: Literal["HS256"] = "HS256",
) -> str: ...
def verify(
    token: str,
    key: _Key,
    *,
    now: _Now = None,
    issuer: _Names | None = None,
    audience: _Names | None = None,
    leeway: _Leeway = 0,
    required: Sequence[str] | None = ...,
    token_type: str | None = None,
    max_age: _Seconds | None = None,
    max_token_bytes: int = 16384,
    algorithms: _Algorithms = None,
) -> dict[str, Any]: ...
def decode_unverified(token: str) -> UnverifiedToken: ...
def check_consistency(reports: Sequence[Mapping[str, Any]]) -> ConsistencyResult: ...
def error_codes() -> list[tuple[str, str]]: ...
def _panic_for_tests() -> None: ...
