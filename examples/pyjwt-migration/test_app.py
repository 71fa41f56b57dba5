"""The example's own tests, run twice: on app.py as written, and migrated.

Once against app.py as written (PyJWT), once against app.py with only
``import jwt`` replaced by ``import jwt_accord.pyjwt as jwt`` (issue 20,
"Done when"). Run by ``make test-python``.
"""

# ruff: noqa: D103

from __future__ import annotations

import base64
import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

APP = Path(__file__).with_name("app.py")
SECRET = "example-secret-for-the-migration-0123456789"
OTHER_SECRET = "another-secret-nobody-here-holds-9876543210"
IMPORTS = {"pyjwt": "import jwt", "jwt_accord": "import jwt_accord.pyjwt as jwt"}


def load_app(import_line: str) -> ModuleType:
    """app.py with its one ``import jwt`` line replaced by ``import_line``."""
    source = APP.read_text(encoding="utf-8")
    lines = source.splitlines()
    assert lines.count("import jwt") == 1
    migrated = "\n".join(import_line if line == "import jwt" else line for line in lines)
    name = f"pyjwt_migration_app_{len(import_line)}"
    spec = importlib.util.spec_from_loader(name, loader=None, origin=str(APP))
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the models' annotations through it.
    exec(compile(migrated, str(APP), "exec"), module.__dict__)
    return module


@pytest.fixture(params=sorted(IMPORTS))
def service(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("JWT_SECRET_KEY", SECRET)
    return load_app(IMPORTS[request.param])


@pytest.fixture
def client(service: ModuleType) -> Iterator[TestClient]:
    with TestClient(service.app) as client:
        yield client


def login(client: TestClient) -> str:
    response = client.post(
        "/login", json={"username": "ada", "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    token: str = response.json()["access_token"]
    return token


def test_the_import_line_is_the_difference(service: ModuleType) -> None:
    assert service.jwt.__name__ in ("jwt", "jwt_accord.pyjwt")


def test_login_then_me(client: TestClient) -> None:
    token = login(client)
    response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"user": "ada", "scope": "read"}


def test_wrong_password(client: TestClient) -> None:
    response = client.post("/login", json={"username": "ada", "password": "guess"})
    assert response.status_code == 401


def test_no_token(client: TestClient) -> None:
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "not authenticated"}


def test_expired_token(client: TestClient, service: ModuleType) -> None:
    token = service.create_access_token("ada", minutes=-1)
    response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "token expired"}


def test_within_leeway(client: TestClient, service: ModuleType) -> None:
    token = service.jwt.encode(
        {
            "sub": "ada",
            "scope": "read",
            "iss": service.ISSUER,
            "aud": service.AUDIENCE,
            "iat": 1,
            "exp": int(time.time()) - 5,
        },
        SECRET,
        algorithm="HS256",
    )
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def bad_tokens(service: ModuleType, good: str) -> dict[str, str]:
    claims = {
        "sub": "ada",
        "scope": "read",
        "iss": service.ISSUER,
        "aud": service.AUDIENCE,
        "iat": 1,
        "exp": 2**32,
    }
    header, payload, signature = good.split(".")
    none_header = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=")
    return {
        "another secret": service.jwt.encode(claims, OTHER_SECRET, algorithm="HS256"),
        "tampered": f"{header}.{payload[:-2]}AA.{signature}",
        "alg none": f"{none_header.decode()}.{payload}.",
        "wrong audience": service.jwt.encode({**claims, "aud": "other"}, SECRET, algorithm="HS256"),
        "wrong issuer": service.jwt.encode({**claims, "iss": "other"}, SECRET, algorithm="HS256"),
        "no sub": service.jwt.encode(
            {k: v for k, v in claims.items() if k != "sub"}, SECRET, algorithm="HS256"
        ),
        "garbage": "not.a.token",
    }


def test_refused_tokens(client: TestClient, service: ModuleType) -> None:
    for name, token in bad_tokens(service, login(client)).items():
        response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
        assert (name, response.status_code) == (name, 401)
        assert response.json() == {"detail": "invalid token"}, name


def test_tokens_cross_between_the_two(client: TestClient, service: ModuleType) -> None:
    """During a migration, tokens issued by either side verify on the other."""
    other = load_app(IMPORTS["pyjwt" if service.jwt.__name__ != "jwt" else "jwt_accord"])
    token = other.create_access_token("ada")
    response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json() == {"user": "ada", "scope": "read"}
