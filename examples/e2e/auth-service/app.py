"""The auth service of the end-to-end example (examples/e2e): FastAPI on uvicorn.

- ``POST /login`` with ``{"username", "password"}`` issues an access token
  (15 minutes, ``token_type`` access) and a refresh token (``token_type``
  refresh, 7 days), both with ``iss`` e2e-auth and ``aud`` e2e-api;
- ``POST /refresh`` with ``{"refresh_token"}`` exchanges a refresh token for a
  new pair;
- ``GET /me`` answers the claims of a valid access token (so that this service
  verifies the same way the two APIs do); ``/ws`` is a WebSocket authenticated
  by ``Sec-WebSocket-Protocol: jwt-accord.bearer, <token>`` that greets the
  caller and echoes, closed with 4401 ``expired`` when the token expires;
- ``GET /healthz`` answers ``{"status": "ok", ...}``;
- ``GET /.well-known/jwt-accord`` answers its published report and
  ``GET /metrics`` its Prometheus metrics (docs/spec.md §16), from a
  ``jwt_accord.Service`` named ``auth``, role issuer, that watches its signers
  and verifiers.

The token handling is ``jwt_accord.fastapi``'s (docs/integrations/fastapi.md):
every refusal (status, ``WWW-Authenticate``, body; a WebSocket's close code
and reason) is the core's (docs/spec.md §17), the same bytes the Node and
Rust services send.

Configured only through its environment: ``ENVIRONMENT`` and the JWT secret
variables (resolved by jwt_accord, docs/spec.md §3), ``PORT`` (it listens on
127.0.0.1 only), ``ALLOWED_ORIGIN`` (the page's origin, for CORS) and
``ACCESS_TOKEN_TTL`` (seconds, default 900). It logs the resolution's one-line
summary at start-up, and refuses to start when the secret does not resolve.
"""

from __future__ import annotations

import hmac
import os
import sys
import uuid
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, Request, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

import jwt_accord
from jwt_accord.fastapi import Authenticated, BearerAuth, Refused, install, router

ACCESS_TTL = int(os.environ.get("ACCESS_TOKEN_TTL", "900"))
REFRESH_TTL = 7 * 24 * 3600

# Demo users: the example is about tokens, not passwords.
USERS = {"ada": {"password": "lovelace-1815", "name": "Ada Lovelace"}}

try:
    # [setup]
    resolution = jwt_accord.resolve_secret()  # reads os.environ
    print(resolution.summary(), flush=True)

    tokens = {"issuer": "e2e-auth", "audience": "e2e-api"}
    access = jwt_accord.Signer(resolution, **tokens, token_type="access", expires_in=ACCESS_TTL)
    refresh = jwt_accord.Signer(resolution, **tokens, token_type="refresh", expires_in=REFRESH_TTL)
    verify_access = jwt_accord.Verifier(resolution, **tokens, token_type="access")
    verify_refresh = jwt_accord.Verifier(resolution, **tokens, token_type="refresh")
    # [/setup]
    service = jwt_accord.Service(
        "auth",
        resolution,
        role="issuer",
        verifiers=(verify_access, verify_refresh),
        signers=(access, refresh),
    )
    # The realm is the same in the three back ends, so that their refusals are
    # the same bytes. The example shows the core's message in refusal bodies
    # (it names both fingerprints on drift); a production service keeps the
    # default, which shows them only in development and test.
    challenge = {"realm": "e2e", "environment": resolution.environment, "expose_messages": True}
    auth = BearerAuth(verify_access, **challenge)
    # Refresh tokens come in the JSON body: refused with the same challenge.
    refresh_auth = BearerAuth(verify_refresh, **challenge)
except jwt_accord.ResolutionError as exc:
    # Fail closed: a service that cannot resolve its secret does not start.
    print(f"auth-service: {exc.code}: {exc}", file=sys.stderr, flush=True)
    sys.exit(2)

app = FastAPI(title="jwt-accord e2e auth service", docs_url=None, redoc_url=None, openapi_url=None)
if os.environ.get("ALLOWED_ORIGIN"):
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[os.environ["ALLOWED_ORIGIN"]],
        allow_methods=["GET", "POST"],
        allow_headers=["authorization", "content-type"],
    )


install(app)  # refusals: the core's exact response, or close code 4401
app.include_router(router(service))  # GET /.well-known/jwt-accord, GET /metrics


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON body if it is an object, else ``{}``."""
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def token_pair(user: str) -> dict[str, Any]:
    """A new access token and refresh token for ``user``."""
    subject = {"sub": user, "name": USERS[user]["name"]}
    return {
        "access_token": access.sign(subject),
        "refresh_token": refresh.sign({**subject, "jti": uuid.uuid4().hex}),
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL,
    }


@app.post("/login")
async def login(request: Request) -> JSONResponse:
    """``{"username", "password"}`` -> a token pair, or 401 ``invalid_credentials``."""
    body = await json_object(request)
    user = USERS.get(str(body.get("username", "")))
    password = str(body.get("password", "")).encode()
    if user is None or not hmac.compare_digest(password, user["password"].encode()):
        message = "unknown user or wrong password"
        return JSONResponse({"code": "invalid_credentials", "message": message}, status_code=401)
    return JSONResponse(token_pair(str(body["username"])))


@app.post("/refresh")
async def refresh_tokens(request: Request) -> JSONResponse:
    """``{"refresh_token"}`` -> a new token pair, or 401 with the core's refusal."""
    body = await json_object(request)
    try:
        claims = verify_refresh.verify(str(body.get("refresh_token", "")))
    except jwt_accord.TokenError as error:
        raise Refused(refresh_auth.challenge.refusal(error), error) from error
    return JSONResponse(token_pair(claims["sub"]))


@app.get("/me")
def me(user: Annotated[Authenticated, Depends(auth)]) -> dict[str, Any]:
    """The claims of a valid access token, or the core's refusal."""
    return {"service": "auth", "sub": user.claims["sub"], "name": user.claims.get("name")}


@app.websocket("/ws")
async def live(websocket: WebSocket, user: Annotated[Authenticated, Depends(auth)]) -> None:
    """Greets the caller, then echoes until it closes or its token expires (4401)."""
    session = await auth.accept(websocket, user)
    await session.send_json({"service": "auth", "sub": user.claims["sub"], "hello": True})
    async for message in session.iter_text():
        await session.send_text(message)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    """Answers once the service is up, with its secret's fingerprint."""
    return {"status": "ok", "service": "auth", "fingerprint": resolution.fingerprint}


if __name__ == "__main__":
    # A WebSocket handshake's token may be as long as the core accepts (16 KiB),
    # so that a longer one is refused by the core (4401 token_too_large), not
    # dropped by the websockets library (8 KiB lines by default). Read when
    # uvicorn imports it, in run.
    os.environ.setdefault("WEBSOCKETS_MAX_LINE_LENGTH", str(32 * 1024))
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="info")
