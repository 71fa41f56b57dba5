"""Service (docs/spec.md §16): the published report, the metrics text and the
prometheus_client collector, checked through a real CollectorRegistry."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

import jwt_accord
from jwt_accord.prometheus import ServiceCollector

CURRENT = "staging-secret-in-use-today-7f3a9c2e5b8d1f4a"
NEXT = "staging-secret-of-tomorrow-0b1c2d3e4f5a6b7c"
NOW = 1_700_000_000

Samples = set[tuple[str, tuple[tuple[str, str], ...], float]]


@pytest.fixture
def resolution() -> jwt_accord.Resolution:
    return jwt_accord.resolve_secret(
        {"JWT_SECRET_STAGING": CURRENT, "JWT_SECRET_STAGING_NEXT": NEXT},
        environment="staging",
    )


def samples(text: str) -> Samples:
    """Every sample of an exposition text: name, sorted labels, value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items())), sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def families(text: str) -> list[tuple[str, str, str]]:
    """Every family of an exposition text: name, type, help."""
    return [(f.name, f.type, f.documentation) for f in text_string_to_metric_families(text)]


def scrape(registry: CollectorRegistry) -> str:
    return generate_latest(registry).decode()


def value(text: str, name: str, **labels: str) -> float:
    found = [v for n, ls, v in samples(text) if n == name and dict(ls) == labels]
    assert len(found) == 1, (name, labels, text)
    return found[0]


def test_report_path_is_the_cores() -> None:
    assert jwt_accord.REPORT_PATH == "/.well-known/jwt-accord"


def test_report_is_the_resolution_with_service_and_role(
    resolution: jwt_accord.Resolution,
) -> None:
    service = jwt_accord.Service("api", resolution, role="verifier")
    report = service.report()
    assert report == {**resolution.to_dict(), "service": "api", "role": "verifier"}
    assert json.loads(service.report_json()) == report
    assert "role" not in jwt_accord.Service("api", resolution).report()
    assert service.name == "api"
    # The report is what check_consistency reads.
    peer = jwt_accord.Service("auth", resolution, role="issuer").report()
    assert jwt_accord.check_consistency([report, peer])["status"] == "consistent"


def test_collector_matches_the_cores_metrics(resolution: jwt_accord.Resolution) -> None:
    verifier = jwt_accord.Verifier(resolution, issuer="auth")
    signer = jwt_accord.Signer(resolution, issuer="auth", expires_in=60)
    service = jwt_accord.Service("api", resolution, verifiers=[verifier], signers=(signer,))
    registry = CollectorRegistry()
    registry.register(ServiceCollector(service))

    assert samples(scrape(registry)) == samples(service.metrics())
    assert families(scrape(registry)) == families(service.metrics())
    assert value(service.metrics(), "jwt_accord_signatures_total", service="api") == 0

    token = signer.sign({"sub": "u1"}, now=NOW)
    verifier.verify(token, now=NOW)
    rotated = jwt_accord.Signer(NEXT).sign({"iss": "auth", "exp": NOW + 60}, now=NOW)
    verifier.verify(rotated, now=NOW)
    with pytest.raises(jwt_accord.ExpiredSignatureError):
        verifier.verify(token, now=NOW + 3600)
    with pytest.raises(jwt_accord.DecodeError):
        verifier.verify("not-a-token", now=NOW)

    scraped = scrape(registry)
    assert samples(scraped) == samples(service.metrics())
    total = "jwt_accord_verifications_total"
    assert value(scraped, "jwt_accord_signatures_total", service="api") == 1
    assert value(scraped, total, service="api", result="ok", slot="current") == 1
    assert value(scraped, total, service="api", result="ok", slot="next") == 1
    assert value(scraped, total, service="api", result="expired") == 1
    assert value(scraped, total, service="api", result="malformed") == 1
    assert value(scraped, total, service="api", result="unknown_key") == 0
    keys = {
        dict(labels)["fingerprint"]
        for name, labels, _ in samples(scraped)
        if name == "jwt_accord_key_info"
    }
    assert keys == {key["fingerprint"] for key in resolution.keys}


def test_copies_share_counts_and_services_sum_them(resolution: jwt_accord.Resolution) -> None:
    signer = jwt_accord.Signer(resolution)
    one = jwt_accord.Service("api", resolution, signers=[signer, signer])
    other = jwt_accord.Service("api", resolution, signers=[signer])
    signer.sign({"sub": "u1"}, now=NOW)
    # Watched twice: counted twice; each service sees the shared count.
    assert value(one.metrics(), "jwt_accord_signatures_total", service="api") == 2
    assert value(other.metrics(), "jwt_accord_signatures_total", service="api") == 1


def test_no_secret_in_report_metrics_or_repr(resolution: jwt_accord.Resolution) -> None:
    verifier = jwt_accord.Verifier(resolution)
    service = jwt_accord.Service("api", resolution, role="issuer", verifiers=[verifier])
    registry = CollectorRegistry()
    collector = ServiceCollector(service)
    registry.register(collector)
    shown = [
        service.report_json(),
        repr(service.report()),
        service.metrics(),
        service.metric_families_json(),
        repr(service),
        str(service),
        repr(collector),
        scrape(registry),
    ]
    for secret in (CURRENT, NEXT):
        for text in shown:
            assert secret not in text
            assert secret[:12] not in text
    assert repr(service) == (
        f'<Service name="api" role=issuer fingerprint=sha256:{resolution.fingerprint}>'
    )
    assert repr(jwt_accord.Service("w", resolution)).startswith('<Service name="w" role=both ')


@pytest.mark.parametrize(
    ("name", "role", "message"),
    [
        ("", None, "the service name must be 1 to 200 bytes, found 0"),
        ("a" * 201, None, "the service name must be 1 to 200 bytes, found 201"),
        ("api\tx", None, "the service name must not hold control characters"),
        (
            "api",
            "admin",
            'role must be "issuer" or "verifier" (or absent: both), found "admin"',
        ),
    ],
)
def test_refused_name_or_role(
    resolution: jwt_accord.Resolution, name: str, role: str | None, message: str
) -> None:
    # The core's message, unchanged.
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        jwt_accord.Service(name, resolution, role=role)


def test_wrong_argument_types(resolution: jwt_accord.Resolution) -> None:
    bad: list[dict[str, object]] = [
        {"name": 1, "resolution": resolution},
        {"name": "api", "resolution": "not a resolution"},
        {"name": "api", "resolution": resolution, "role": 1},
        {"name": "api", "resolution": resolution, "verifiers": 3},
        {"name": "api", "resolution": resolution, "verifiers": [jwt_accord.Signer(CURRENT)]},
        {"name": "api", "resolution": resolution, "signers": [jwt_accord.Verifier(CURRENT)]},
    ]
    for arguments in bad:
        with pytest.raises(TypeError):
            jwt_accord.Service(**arguments)  # type: ignore[arg-type]
    signer = jwt_accord.Signer(CURRENT)
    wrong = "verifiers must be an iterable of Verifier, found jwt_accord.Signer"
    with pytest.raises(TypeError, match=wrong):
        jwt_accord.Service("api", resolution, verifiers=[signer])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"must be a jwt_accord\.Service"):
        ServiceCollector("api")  # type: ignore[arg-type]


def test_import_jwt_accord_does_not_import_prometheus_client() -> None:
    code = "import sys, jwt_accord; print('prometheus_client' in sys.modules)"
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert ran.stdout.strip() == "False"
