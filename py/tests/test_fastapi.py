"""jwt_accord.fastapi and jwt_accord.starlette (docs/spec.md §17, issue 19):
every case of tests/vectors/http.json through FastAPI's TestClient, over HTTP
and WebSocket; a real uvicorn server on 127.0.0.1 hit with httpx2 and the
websockets client; the report and metrics routes; the docs page's examples.
"""

import contextlib
import http.client
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import httpx2
import prometheus_client.parser
import pytest
import uvicorn
import websockets.exceptions
import websockets.sync.client
from conftest import REPO, load_cases, vector_key
from fastapi import Depends, FastAPI, WebSocket
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.websockets import WebSocketDisconnect

import jwt_accord
import jwt_accord.starlette
from jwt_accord.fastapi import Authenticated, BearerAuth, Refused, install, router

CASES = [case for case in load_cases("http") if "error" not in case["result"]]
HTTP_CASES = [case for case in CASES if "websocket_protocols" not in case]
WS_CASES = [case for case in CASES if "websocket_protocols" in case]
# The token errors of the HTTP cases, carried by a WebSocket handshake instead.
WS_TOKEN_ERRORS = [
    case
    for case in HTTP_CASES
    if case["result"]
    .get("www_authenticate", "")
    .endswith(f'error_description="{case["result"].get("close_reason")}"')
    and 'error="invalid_token"' in case["result"]["www_authenticate"]
]

SECRET = "fastapi-tests-secret-3b9d1f7a2c8e4d6b0a5f"
NOW = 1_700_000_000
QUERY = "?access_token={t}&token={t}&jwt={t}"


def params(cases: list[dict[str, Any]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", [pytest.param(c, id=c["name"]) for c in cases])


def vector_auth(case: dict[str, Any]) -> BearerAuth:
    verifier = jwt_accord.Verifier([vector_key(k) for k in case["keys"]], **case["options"])
    return BearerAuth(
        verifier,
        realm=case["realm"],
        environment=case["environment"],
        cookie=case.get("cookie_name"),
        expose_messages=case.get("expose_messages"),
        clock=lambda: case["now"],
    )


def echo_app(auth: BearerAuth) -> FastAPI:
    """/me answers the claims; /live accepts and echoes until the token expires."""
    app = FastAPI()
    install(app)

    @app.get("/me")
    async def me(user: Annotated[Authenticated, Depends(auth)]) -> dict[str, Any]:
        return user.claims

    @app.websocket("/live")
    async def live(websocket: WebSocket, user: Annotated[Authenticated, Depends(auth)]) -> None:
        session = await auth.accept(websocket, user)
        await session.send_json({"sub": user.claims.get("sub"), "slot": user.key_slot})
        async for message in session.iter_text():
            await session.send_text(message)

    return app


def assert_refusal(response: httpx2.Response, result: dict[str, Any]) -> None:
    assert response.status_code == result["status"]
    assert response.headers.get("www-authenticate") == result["www_authenticate"]
    assert response.headers["content-type"] == "application/json"
    assert response.content == result["body"].encode()
    assert response.headers.get_list("www-authenticate") == [result["www_authenticate"]]


def token_of(case: dict[str, Any]) -> str:
    (authorization,) = case["authorization"]
    assert authorization.startswith("Bearer ")
    return str(authorization.removeprefix("Bearer "))


# HTTP: every vector through FastAPI's TestClient


@params(HTTP_CASES)
def test_http_vectors(case: dict[str, Any]) -> None:
    client = TestClient(echo_app(vector_auth(case)))
    headers = [("authorization", v.encode()) for v in case.get("authorization", [])]
    headers += [("cookie", v.encode()) for v in case.get("cookies", [])]
    valid = case["keys"] and jwt_accord.sign({}, vector_key(case["keys"][0]), now=case["now"])
    # A valid token in the query string is never read.
    response = client.get("/me" + QUERY.format(t=valid), headers=headers)
    result = case["result"]
    if "claims" in result:
        assert response.status_code == 200
        assert response.json() == result["claims"]
    else:
        assert_refusal(response, result)


def test_http_vectors_cover_the_issue() -> None:
    """At least the 14 bad requests of issue 19: no header, the wrong scheme,
    two tokens, each token error."""
    refused = {c["result"]["close_reason"] for c in HTTP_CASES if "status" in c["result"]}
    assert len([c for c in HTTP_CASES if "status" in c["result"]]) >= 14
    assert {"missing_token", "invalid_request", "expired", "unknown_key", "malformed"} <= refused


def test_authenticated_carries_header_slot_and_fingerprint() -> None:
    resolution = jwt_accord.resolve_secret({"ENVIRONMENT": "test", "JWT_SECRET_TEST": SECRET})
    auth = BearerAuth(
        jwt_accord.Verifier(resolution), realm="api", environment="test", clock=lambda: NOW
    )
    app = FastAPI()
    install(app)

    @app.get("/who")
    async def who(user: Annotated[Authenticated, Depends(auth)]) -> dict[str, Any]:
        return {"header": user.header, "slot": user.key_slot, "key": user.key_fingerprint}

    token = jwt_accord.sign({"sub": "u1"}, resolution, now=NOW, expires_in=60)
    response = TestClient(app).get("/who", headers={"Authorization": f"Bearer {token}"})
    assert response.json() == {
        "header": {"typ": "JWT", "alg": "HS256", "kid": resolution.fingerprint},
        "slot": "current",
        "key": resolution.fingerprint,
    }


def test_a_whole_router_protected_by_its_dependencies() -> None:
    from fastapi import APIRouter

    auth = BearerAuth(jwt_accord.Verifier(SECRET), realm="admin", environment="production")
    admin = APIRouter(dependencies=[Depends(auth)])

    @admin.get("/admin/ping")
    async def ping() -> str:
        return "pong"

    app = FastAPI()
    install(app)
    app.include_router(admin)
    client = TestClient(app)
    response = client.get("/admin/ping")
    assert (response.status_code, response.headers["www-authenticate"]) == (
        401,
        'Bearer realm="admin"',
    )
    token = jwt_accord.sign({"sub": "u1"}, SECRET, expires_in=60)
    assert client.get("/admin/ping", headers={"Authorization": f"Bearer {token}"}).json() == "pong"


def test_setup_errors_are_argument_errors() -> None:
    verifier = jwt_accord.Verifier(SECRET)
    with pytest.raises(ValueError, match=r"^the realm must be"):
        BearerAuth(verifier, realm='a"b', environment="production")
    with pytest.raises(TypeError, match=r"^verifier must be a jwt_accord\.Verifier, not str$"):
        BearerAuth(SECRET, realm="api", environment="production")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^cookie must be None or a str, not bytes$"):
        BearerAuth(verifier, realm="api", environment="production", cookie=b"s")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^clock must be callable, not int$"):
        BearerAuth(verifier, realm="api", environment="production", clock=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^service must be a jwt_accord\.Service"):
        router(verifier)  # type: ignore[arg-type]
    auth = BearerAuth(verifier, realm="api", environment="test", cookie="session")
    assert (
        repr(auth) == "<BearerAuth <Challenge realm=\"api\" expose_messages=True> cookie='session'>"
    )


def test_refused_keeps_the_message_for_the_log() -> None:
    auth = BearerAuth(jwt_accord.Verifier(SECRET), realm="api", environment="production")
    app = FastAPI()
    install(app)
    seen: list[Refused] = []

    @app.get("/me")
    async def me(request: Request) -> dict[str, Any]:
        try:
            return auth.authenticate(request).claims
        except Refused as refused:
            seen.append(refused)
            raise

    expired = jwt_accord.sign({"sub": "u1"}, SECRET, now=NOW, expires_in=60)
    response = TestClient(app).get("/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.content == b'{"code":"expired"}'
    (refused,) = seen
    assert refused.code == "expired"
    assert isinstance(refused.error, jwt_accord.ExpiredSignatureError)
    assert str(refused) == str(refused.error)
    assert str(refused).startswith("token expired")


# WebSocket: the vectors through TestClient's websocket_connect


def ws_headers(case: dict[str, Any]) -> httpx2.Headers:
    """The handshake's header lines, repeated as the vector gives them."""
    headers = [("sec-websocket-protocol", v) for v in case["websocket_protocols"]]
    return httpx2.Headers(headers + [("authorization", v) for v in case.get("authorization", [])])


@params(WS_CASES)
def test_websocket_vectors(case: dict[str, Any]) -> None:
    client = TestClient(echo_app(vector_auth(case)))
    valid = jwt_accord.sign({}, vector_key(case["keys"][0]), now=case["now"])
    offered = "jwt-accord.bearer" in ",".join(case["websocket_protocols"])
    with client.websocket_connect("/live" + QUERY.format(t=valid), headers=ws_headers(case)) as ws:
        assert ws.accepted_subprotocol == ("jwt-accord.bearer" if offered else None)
        result = case["result"]
        if "claims" in result:
            assert ws.receive_json() == {"sub": result["claims"]["sub"], "slot": None}
            ws.send_text("ping")
            assert ws.receive_text() == "ping"
            return
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.reason) == (4401, result["close_reason"])
        assert result["close_code"] == 4401


@params(WS_TOKEN_ERRORS)
def test_websocket_token_errors(case: dict[str, Any]) -> None:
    """Each token error of the HTTP vectors, carried by the subprotocol: 4401 and the code."""
    client = TestClient(echo_app(vector_auth(case)))
    with client.websocket_connect(
        "/live", subprotocols=["jwt-accord.bearer", token_of(case)]
    ) as ws:
        assert ws.accepted_subprotocol == "jwt-accord.bearer"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.reason) == (4401, case["result"]["close_reason"])


def test_websocket_token_errors_cover_every_token_error() -> None:
    assert {case["result"]["close_reason"] for case in WS_TOKEN_ERRORS} >= {
        "token_too_large",
        "malformed",
        "unsupported_algorithm",
        "unknown_key",
        "invalid_signature",
        "invalid_claim_type",
        "missing_claim",
        "expired",
        "not_yet_valid",
        "invalid_issuer",
        "invalid_audience",
        "wrong_token_type",
    }


def expiring_auth(left: float, leeway: int = 0) -> tuple[BearerAuth, str]:
    """An auth whose clock stands ``left`` seconds before the token stops verifying."""
    token = jwt_accord.sign({"sub": "u1"}, SECRET, now=NOW, expires_in=60)
    verifier = jwt_accord.Verifier(SECRET, leeway=leeway)
    assert verifier.leeway == leeway
    auth = BearerAuth(
        verifier, realm="api", environment="production", clock=lambda: NOW + 60 + leeway - left
    )
    return auth, token


@pytest.mark.parametrize("leeway", [0, 5])
def test_a_session_closes_when_its_token_expires(leeway: int) -> None:
    auth, token = expiring_auth(0.25, leeway)
    client = TestClient(echo_app(auth))
    started = time.monotonic()
    with client.websocket_connect("/live", subprotocols=["jwt-accord.bearer", token]) as ws:
        assert ws.receive_json() == {"sub": "u1", "slot": None}
        ws.send_text("before")
        assert ws.receive_text() == "before"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
    took = time.monotonic() - started
    assert (info.value.code, info.value.reason) == (4401, "expired")
    assert 0.2 < took < 3


def test_a_send_after_expiry_closes_with_expired() -> None:
    auth, token = expiring_auth(0.2)
    app = FastAPI()
    install(app)
    raised: list[WebSocketDisconnect] = []

    @app.websocket("/push")
    async def push(websocket: WebSocket, user: Annotated[Authenticated, Depends(auth)]) -> None:
        session = await auth.accept(websocket, user)
        assert session.expires_in is not None
        assert 0 < session.expires_in <= 0.2
        await anyio.sleep(0.3)
        assert session.expires_in == 0
        try:
            await session.send_text("too late")
        except WebSocketDisconnect as closed:
            raised.append(closed)

    with (
        TestClient(app).websocket_connect("/push", subprotocols=["jwt-accord.bearer", token]) as ws,
        pytest.raises(WebSocketDisconnect) as info,
    ):
        ws.receive_text()
    assert (info.value.code, info.value.reason) == (4401, "expired")
    assert [(r.code, r.reason) for r in raised] == [(4401, "expired")]


def test_a_session_without_exp_does_not_expire() -> None:
    token = jwt_accord.sign({"sub": "u1"}, SECRET)
    verifier = jwt_accord.Verifier(SECRET, required=[])
    auth = BearerAuth(verifier, realm="api", environment="production")
    with TestClient(echo_app(auth)).websocket_connect(
        "/live", subprotocols=["jwt-accord.bearer", token]
    ) as ws:
        assert ws.receive_json() == {"sub": "u1", "slot": None}
        ws.send_text("x")
        assert ws.receive_text() == "x"


# The query string is never read


def test_a_query_parameter_token_is_never_read() -> None:
    token = jwt_accord.sign({"sub": "u1"}, SECRET, expires_in=60)
    auth = BearerAuth(jwt_accord.Verifier(SECRET), realm="api", environment="production")
    client = TestClient(echo_app(auth))
    for name in ["access_token", "token", "jwt", "authorization", "bearer"]:
        response = client.get(f"/me?{name}={token}")
        assert (response.status_code, response.content) == (401, b'{"code":"missing_token"}')
        with client.websocket_connect(f"/live?{name}={token}") as ws:
            assert ws.accepted_subprotocol is None
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_text()
            assert (info.value.code, info.value.reason) == (4401, "missing_token")


# Report and metrics


def published() -> tuple[jwt_accord.Service, BearerAuth]:
    resolution = jwt_accord.resolve_secret(
        {"ENVIRONMENT": "production", "JWT_SECRET_PRODUCTION": SECRET}
    )
    verifier = jwt_accord.Verifier(resolution)
    service = jwt_accord.Service("api", resolution, role="verifier", verifiers=[verifier])
    return service, BearerAuth(verifier, realm="api", environment=resolution.environment)


def test_report_and_metrics_routes() -> None:
    service, auth = published()
    app = echo_app(auth)
    app.include_router(router(service))
    client = TestClient(app)
    token = jwt_accord.sign({"sub": "u1"}, SECRET, expires_in=60)
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/me", headers={"Authorization": f"Bearer {token}x"}).status_code == 401

    report = client.get("/.well-known/jwt-accord")
    assert report.status_code == 200
    assert report.headers["content-type"] == "application/json"
    assert report.headers["cache-control"] == "no-store"
    assert report.text == service.report_json()
    assert SECRET not in report.text

    metrics = client.get("/metrics")
    assert metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert metrics.text == service.metrics()
    assert 'jwt_accord_verifications_total{service="api",result="ok",slot="current"} 1' in (
        metrics.text
    )
    assert 'result="invalid_signature"} 1' in metrics.text
    # Not in the OpenAPI schema.
    assert "/metrics" not in json.dumps(client.get("/openapi.json").json())


def test_starlette_without_fastapi() -> None:
    """A plain Starlette app: await the auth in the endpoint, routes() for the rest."""
    service, auth = published()

    async def me(request: Request) -> JSONResponse:
        user = await auth(request)
        return JSONResponse(user.claims)

    app = Starlette(routes=[Route("/me", me), *jwt_accord.starlette.routes(service)])
    jwt_accord.starlette.install(app)
    client = TestClient(app)
    response = client.get("/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert (response.status_code, response.content) == (400, b'{"code":"invalid_request"}')
    token = jwt_accord.sign({"sub": "u1"}, SECRET, expires_in=60)
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["sub"] == "u1"
    assert client.get("/metrics").text == service.metrics()


# A real uvicorn server on 127.0.0.1


@contextlib.contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` on uvicorn in a thread, on a free port of 127.0.0.1; always stopped."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws_ping_interval=None)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not uv.started:
            assert thread.is_alive(), "uvicorn stopped"
            assert time.monotonic() < deadline, "uvicorn did not start in 10 s"
            time.sleep(0.02)
        yield f"127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, jwt_accord.Service]]:
    service, auth = published()
    app = echo_app(auth)
    app.include_router(router(service))
    with serve(app) as address:
        yield address, service


def connect(
    address: str, path: str, protocols: list[str]
) -> websockets.sync.client.ClientConnection:
    """A real WebSocket client offering ``protocols``."""
    return websockets.sync.client.connect(
        f"ws://{address}{path}",
        subprotocols=[websockets.Subprotocol(p) for p in protocols],
        open_timeout=5,
        close_timeout=5,
    )


def test_real_server_http(server: tuple[str, jwt_accord.Service]) -> None:
    address, _ = server
    case = {c["name"]: c for c in HTTP_CASES}["non_ascii_algorithm_keeps_the_header_ascii"]
    with httpx2.Client(base_url=f"http://{address}", timeout=5) as client:
        token = jwt_accord.sign({"sub": "u1"}, SECRET, expires_in=60)
        assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["sub"] == "u1"
        assert_refusal(
            client.get("/me"),
            {c["name"]: c for c in HTTP_CASES}["no_authorization_header"]["result"],
        )
        # A stranger's token with a non-ASCII alg: a 401 with an ASCII header, never a 500.
        stranger = client.get("/me", headers={"Authorization": case["authorization"][0]})
        assert_refusal(stranger, case["result"])
        assert stranger.headers["www-authenticate"].isascii()


def test_real_server_raw_non_ascii_header_bytes(server: tuple[str, jwt_accord.Service]) -> None:
    """Bytes that are not ASCII in the Authorization header: 400, never a 500."""
    address, _ = server
    host, port = address.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.putrequest("GET", "/me")
        conn.putheader("Authorization", "Bearer t\u00f6k\u00e9n".encode())
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status == 400
    assert body == b'{"code":"invalid_request"}'
    assert response.getheader("WWW-Authenticate") == (
        'Bearer realm="api", error="invalid_request", error_description="invalid_request"'
    )


def test_real_server_websocket(server: tuple[str, jwt_accord.Service]) -> None:
    address, _ = server
    token = jwt_accord.sign({"sub": "u1"}, SECRET, expires_in=60)
    with connect(address, "/live", ["jwt-accord.bearer", token]) as ws:
        assert ws.subprotocol == "jwt-accord.bearer"
        assert json.loads(ws.recv(timeout=5)) == {"sub": "u1", "slot": "current"}
        ws.send("hello")
        assert ws.recv(timeout=5) == "hello"
    for protocols, reason in [
        (["jwt-accord.bearer", token + "x"], "invalid_signature"),
        (["jwt-accord.bearer", jwt_accord.sign({}, SECRET, now=NOW, expires_in=1)], "expired"),
        (["graphql-ws"], "missing_token"),
        (["jwt-accord.bearer"], "invalid_request"),
    ]:
        with connect(address, f"/live?token={token}", protocols) as ws:
            assert ws.subprotocol == (
                "jwt-accord.bearer" if "jwt-accord.bearer" in protocols else None
            )
            with pytest.raises(websockets.exceptions.ConnectionClosed) as info:
                ws.recv(timeout=5)
            assert info.value.rcvd is not None
            assert (info.value.rcvd.code, info.value.rcvd.reason) == (4401, reason), protocols


def test_real_server_websocket_expiry() -> None:
    auth, token = expiring_auth(0.3)
    with (
        serve(echo_app(auth)) as address,
        connect(address, "/live", ["jwt-accord.bearer", token]) as ws,
    ):
        assert json.loads(ws.recv(timeout=5))["sub"] == "u1"
        with pytest.raises(websockets.exceptions.ConnectionClosed) as info:
            ws.recv(timeout=5)
    assert info.value.rcvd is not None
    assert (info.value.rcvd.code, info.value.rcvd.reason) == (4401, "expired")


def test_real_server_report_and_scrape(server: tuple[str, jwt_accord.Service]) -> None:
    address, service = server
    with httpx2.Client(base_url=f"http://{address}", timeout=5) as client:
        report = client.get("/.well-known/jwt-accord")
        assert report.headers["cache-control"] == "no-store"
        assert report.json() == service.report()
        metrics = client.get("/metrics")
    assert metrics.text == service.metrics()
    families = {
        f.name: f for f in prometheus_client.parser.text_string_to_metric_families(metrics.text)
    }
    assert {"jwt_accord_key_info", "jwt_accord_verifications", "jwt_accord_signatures"} <= set(
        families
    )
    (key,) = families["jwt_accord_key_info"].samples
    assert key.labels["fingerprint"] == jwt_accord.fingerprint(SECRET)
    assert key.labels["slot"] == "current"


# docs/integrations/fastapi.md: its code blocks run, and its refusal table is the vectors'

DOC = REPO / "docs" / "integrations" / "fastapi.md"


def doc_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.M | re.S)


def test_docs_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("JWT_SECRET_PRODUCTION", SECRET)
    namespace: dict[str, Any] = {"__name__": "docs_fastapi"}
    blocks = doc_blocks()
    assert len(blocks) >= 2
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"{DOC.name} block {number}", "exec", dont_inherit=True), namespace)


def test_docs_refusal_table_is_the_vectors() -> None:
    rows = re.findall(
        r"^\| [^|]+ \| (\d{3}) \| `([^`]+)` \| `([^`]+)` \|$",
        DOC.read_text(encoding="utf-8"),
        re.M,
    )
    assert len(rows) >= 3
    triples = {
        (str(c["result"]["status"]), c["result"]["www_authenticate"], c["result"]["body"])
        for c in HTTP_CASES
        if "status" in c["result"]
    }
    for row in rows:
        assert row in triples


def test_docs_page_exists() -> None:
    assert Path(DOC).is_file()
