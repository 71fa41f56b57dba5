"""Typed shapes of the dicts the API returns (for type checkers; plain dicts at runtime)."""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    "CandidateInfo",
    "ConsistencyFailure",
    "ConsistencyGroup",
    "ConsistencyMember",
    "ConsistencyResult",
    "SourceInfo",
    "UnverifiedToken",
    "VerifiedToken",
    "WarningInfo",
]


class SourceInfo(TypedDict):
    """The winning source of a resolution."""

    kind: str
    name: str


class WarningInfo(TypedDict):
    """One resolution warning."""

    code: str
    message: str
    source: str | None


class CandidateInfo(TypedDict):
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


class UnverifiedToken(TypedDict):
    """What ``decode_unverified`` returns: nothing in it has been checked."""

    header: dict[str, Any]
    claims: dict[str, Any]


class ConsistencyMember(TypedDict):
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


class ConsistencyResult(TypedDict):
    """What ``check_consistency`` returns."""

    status: str
    level: str
    environments: list[str]
    groups: list[ConsistencyGroup]
    failures: list[ConsistencyFailure]
    findings: list[str]
