"""Typed shapes of the dicts the API returns (for type checkers; plain dicts at runtime)."""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "CandidateInfo",
    "ConsistencyFailure",
    "ConsistencyGroup",
    "ConsistencyMember",
    "ConsistencyResult",
    "KeyInfo",
    "RotationInfo",
    "SourceInfo",
    "UnverifiedToken",
    "VerifiedToken",
    "WarningInfo",
]


class _FilePath(TypedDict, total=False):
    """The file read, for a ``file`` source or a directory store's entry."""

    path: str


class SourceInfo(_FilePath):
    """Where a key came from.

    Its kind (``variable``, ``store``, ``file``, ``development_fallback``),
    name, and ``path`` when read from a file.
    """

    kind: str
    name: str


class KeyInfo(TypedDict):
    """One key a resolution holds (``Resolution.keys``)."""

    slot: str
    source: SourceInfo
    fingerprint: str


class WarningInfo(TypedDict):
    """One resolution warning."""

    code: str
    message: str
    source: str | None


class CandidateInfo(_FilePath):
    """One source of the resolution order and what became of it."""

    kind: str
    name: str
    present: bool
    fingerprint: str | None
    outcome: str


class VerifiedToken(TypedDict):
    """What ``Verifier.verify_full`` returns."""

    claims: dict[str, Any]
    header: dict[str, Any]
    key_fingerprint: str
    key_slot: str | None


class UnverifiedToken(TypedDict):
    """What ``decode_unverified`` returns: nothing in it has been checked."""

    header: dict[str, Any]
    claims: dict[str, Any]


class _CompanionKeys(TypedDict, total=False):
    """The fingerprints of a service's ``next`` and ``previous`` keys, when held."""

    next: str
    previous: str


class ConsistencyMember(_CompanionKeys):
    """One service in a consistency group."""

    service: str
    role: str | None
    environment: str
    source: str


class ConsistencyGroup(TypedDict):
    """Services that resolve the same fingerprint."""

    fingerprint: str
    services: list[ConsistencyMember]


class ConsistencyFailure(TypedDict):
    """A service that failed to resolve, or whose report could not be read."""

    service: str
    code: str
    message: str


class RotationInfo(TypedDict):
    """The next step of a rotation under way.

    ``step`` is ``pre_seed_next``, ``switch_issuers`` or ``retire_previous``;
    ``keys`` the fingerprints concerned; ``waiting_for`` the services it waits for.
    """

    step: str
    keys: list[str]
    waiting_for: list[str]


class _RotationUnderWay(TypedDict, total=False):
    """``rotation``: present when a rotation is under way."""

    rotation: RotationInfo


class ConsistencyResult(_RotationUnderWay):
    """What ``check_consistency`` returns."""

    schema: str
    status: str
    level: str
    environments: list[str]
    groups: list[ConsistencyGroup]
    failures: list[ConsistencyFailure]
    findings: list[str]
