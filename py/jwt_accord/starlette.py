"""jwt-accord for Starlette (and FastAPI, which is built on it): docs/spec.md §17.

The core decides how a request's token is found and how a refusal is
answered (status, ``WWW-Authenticate``, JSON body, WebSocket close code and
reason); this module only connects it to Starlette:

- ``BearerAuth``: finds the token (``Authorization: Bearer``, a cookie you
  name, or on a WebSocket ``Sec-WebSocket-Protocol: jwt-accord.bearer, <token>``;
  never a query parameter), verifies it and returns an ``Authenticated``, or
  raises ``Refused``. Awaiting it with a request or a WebSocket is all a
  Starlette endpoint needs; in FastAPI it is a dependency (``Depends(auth)``).
- ``install(app)``: the exception handler that answers ``Refused``: the core's
  exact response over HTTP; over a WebSocket, accept then close with 4401 and
  the error code (a close before accept reaches the browser as a bare 403).
- ``BearerAuth.accept``: accepts a verified WebSocket and returns a
  ``Session``, which closes with 4401 ``expired`` when the token expires.
- ``routes(service)``: ``GET /.well-known/jwt-accord`` (the published report)
  and ``GET /metrics`` (the Prometheus text).

Needs Starlette (``pip install 'jwt-accord[starlette]'``); ``import jwt_accord``
never imports this module.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the annotation
# of ``BearerAuth.__call__`` at run time, and cannot resolve a string one on an
# instance (it has no ``__globals__``). Hence ``Optional`` for Python 3.9.

import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar, cast

from jwt_accord._errors import JWTAccordError, MissingTokenError
from jwt_accord._http import Refusal
from jwt_accord._native import (
    REPORT_PATH,
    WEBSOCKET_CLOSE_CODE,
    WEBSOCKET_SUBPROTOCOL,
    Challenge,
    Service,
    Verifier,
    bearer_token,
    cookie_token,
    websocket_token,
)

try:
    import anyio
    from starlette.applications import Starlette
    from starlette.requests import HTTPConnection, Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute, Route
    from starlette.types import ExceptionHandler
    from starlette.websockets import WebSocket, WebSocketDisconnect
except ModuleNotFoundError:  # pragma: no cover - depends on the environment
    raise ImportError(
        "jwt_accord.starlette needs Starlette: pip install 'jwt-accord[starlette]'"
    ) from None

__all__ = [
    "METRICS_CONTENT_TYPE",
    "METRICS_PATH",
    "Authenticated",
    "BearerAuth",
    "Refused",
    "Session",
    "handle_refused",
    "install",
    "refusal_response",
    "routes",
]

METRICS_PATH = "/metrics"
"""Where ``routes`` serves the Prometheus text."""

METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The Prometheus text format's content type."""

_T = TypeVar("_T")


@dataclass(frozen=True)
class Authenticated:
    """A verified request: what ``Verifier.verify_full`` returned.

    Attributes:
        claims: The claims.
        header: The token's header.
        key_slot: ``"current"``, ``"next"`` or ``"previous"`` when the key came
            from a Resolution; None for a raw key.
        key_fingerprint: The fingerprint of the held key that verified it.
        expires_at: When the token stops verifying (its ``exp`` plus the
            verifier's leeway), in seconds since the epoch; None without ``exp``.
    """

    claims: dict[str, Any]
    header: dict[str, Any]
    key_slot: Optional[str]
    key_fingerprint: str
    expires_at: Optional[float] = field(default=None, repr=False)


class Refused(Exception):
    """A request refused, with the core's answer; raised by ``BearerAuth``.

    ``install(app)`` answers it. Its text (``str(refused)``) is the core's
    message, for the service's log: it quotes the token and names key
    fingerprints, so it reaches a client only in the body, and only where the
    challenge exposes messages.

    Attributes:
        refusal: What the core decided: status, ``WWW-Authenticate``, body,
            WebSocket close code and reason.
        error: The error refused.
        code: The error code (``missing_token``, ``expired``...).
    """

    def __init__(self, refusal: Refusal, error: JWTAccordError) -> None:
        super().__init__(str(error))
        self.refusal = refusal
        self.error = error
        self.code = error.code


class BearerAuth:
    r"""How requests authenticate: a verifier, a realm and where tokens are read.

    Awaiting it with a request (or a WebSocket) finds the token, verifies it
    and returns ``Authenticated``, or raises ``Refused``. In FastAPI it is a
    dependency: ``user: Annotated[Authenticated, Depends(auth)]`` on HTTP routes and
    WebSocket endpoints alike, or ``APIRouter(dependencies=[Depends(auth)])``
    for a whole router. Issuer, audience and token type are the verifier's
    options.

    Args:
        verifier: Verifies the tokens (its counts feed a ``Service`` watching it).
        realm: The ``WWW-Authenticate`` realm: 1 to 100 printable ASCII
            characters without ``"`` or ``\\``.
        environment: The service's environment (``resolution.environment``):
            refusal bodies carry the core's message by default only in
            ``development`` and ``test``.
        cookie: Also read the token from this cookie when a request has no
            ``Authorization`` header (not on WebSockets).
        expose_messages: Messages in refusal bodies always (True) or never
            (False), whatever the environment.
        clock: Seconds since the epoch (``time.time`` by default): for tests.

    Raises:
        ValueError: The realm or the environment is refused.
        TypeError: An argument has the wrong type.
    """

    def __init__(
        self,
        verifier: Verifier,
        *,
        realm: str,
        environment: str,
        cookie: Optional[str] = None,
        expose_messages: Optional[bool] = None,
        clock: Optional[Callable[[], float]] = None,
    ) -> None:
        if not isinstance(verifier, Verifier):
            raise TypeError(
                f"verifier must be a jwt_accord.Verifier, not {type(verifier).__name__}"
            )
        if cookie is not None and not isinstance(cookie, str):
            raise TypeError(f"cookie must be None or a str, not {type(cookie).__name__}")
        if clock is not None and not callable(clock):
            raise TypeError(f"clock must be callable, not {type(clock).__name__}")
        self.verifier = verifier
        self.challenge = Challenge(realm, environment=environment, expose_messages=expose_messages)
        self.cookie = cookie
        self._clock: Callable[[], float] = clock or time.time

    async def __call__(self, connection: HTTPConnection) -> Authenticated:
        """Authenticates a request or a WebSocket handshake (see ``authenticate``)."""
        return self.authenticate(connection)

    def authenticate(self, connection: HTTPConnection) -> Authenticated:
        """Finds and verifies the token of a request or a WebSocket handshake.

        Args:
            connection: A Starlette ``Request`` or ``WebSocket`` (not accepted yet).

        Returns:
            Authenticated: The claims, header and key slot.

        Raises:
            Refused: No token, a malformed request or a refused token, with
                the core's answer.
        """
        try:
            token = self._token(connection)
            verified = self.verifier.verify_full(token, now=self._clock())
        except JWTAccordError as error:
            raise Refused(self.challenge.refusal(error), error) from error
        exp = verified["claims"].get("exp")
        expires_at = None
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            expires_at = exp + self.verifier.leeway
        return Authenticated(
            claims=verified["claims"],
            header=verified["header"],
            key_slot=verified["key_slot"],
            key_fingerprint=verified["key_fingerprint"],
            expires_at=expires_at,
        )

    def _token(self, connection: HTTPConnection) -> str:
        headers = connection.headers
        if connection.scope["type"] == "websocket":
            return websocket_token(headers.getlist("sec-websocket-protocol"))
        try:
            return bearer_token(headers.getlist("authorization"))
        except MissingTokenError:
            if self.cookie is None:
                raise
            found = cookie_token(headers.getlist("cookie"), self.cookie)
            if found is None:
                raise
            return found

    async def accept(self, websocket: WebSocket, user: Authenticated) -> "Session":
        """Accepts a verified WebSocket with the subprotocol ``jwt-accord.bearer``.

        Args:
            websocket: The WebSocket ``user`` was authenticated from.
            user: What ``BearerAuth`` returned for it.

        Returns:
            Session: The connection, closed with 4401 ``expired`` when the
            token expires.
        """
        await websocket.accept(subprotocol=WEBSOCKET_SUBPROTOCOL)
        deadline = None
        if user.expires_at is not None:
            deadline = time.monotonic() + max(0.0, user.expires_at - self._clock())
        return Session(websocket, user, deadline)

    def __repr__(self) -> str:
        cookie = "" if self.cookie is None else f" cookie={self.cookie!r}"
        return f"<BearerAuth {self.challenge!r}{cookie}>"


class Session:
    """An accepted WebSocket that ends when its token expires.

    Each receive waits at most until the token's expiry (``exp`` plus the
    verifier's leeway); a receive or send at or after it closes the connection
    with 4401 ``expired`` and raises ``WebSocketDisconnect(4401, "expired")``,
    as a client's close would. The ``iter_*`` methods end instead.

    Attributes:
        websocket: The Starlette WebSocket (sending on it directly skips the
            expiry check).
        user: The verified handshake.
    """

    def __init__(self, websocket: WebSocket, user: Authenticated, deadline: Optional[float]):
        self.websocket = websocket
        self.user = user
        self._deadline = deadline

    @property
    def expires_in(self) -> Optional[float]:
        """Seconds until the token expires (0 once it has), or None without ``exp``."""
        if self._deadline is None:
            return None
        return max(0.0, self._deadline - time.monotonic())

    async def _expire(self) -> WebSocketDisconnect:
        self._deadline = -math.inf
        await self.websocket.close(code=WEBSOCKET_CLOSE_CODE, reason="expired")
        return WebSocketDisconnect(code=WEBSOCKET_CLOSE_CODE, reason="expired")

    async def _receive(self, receive: Callable[[], Awaitable[_T]]) -> _T:
        left = self.expires_in
        if left is None:
            return await receive()
        if left > 0:
            with anyio.move_on_after(left):
                return await receive()
        raise await self._expire()

    async def _send(self, send: Callable[[], Awaitable[None]]) -> None:
        if self.expires_in == 0:
            raise await self._expire()
        await send()

    async def receive_text(self) -> str:
        """The next text message.

        Raises:
            WebSocketDisconnect: The client closed, or the token expired.
        """
        return await self._receive(self.websocket.receive_text)

    async def receive_bytes(self) -> bytes:
        """The next binary message.

        Raises:
            WebSocketDisconnect: The client closed, or the token expired.
        """
        return await self._receive(self.websocket.receive_bytes)

    async def receive_json(self) -> Any:
        """The next message, parsed as JSON (text frames).

        Raises:
            WebSocketDisconnect: The client closed, or the token expired.
        """
        return await self._receive(self.websocket.receive_json)

    def iter_text(self) -> AsyncIterator[str]:
        """Text messages until the client closes or the token expires."""
        return _until_closed(self.receive_text)

    def iter_bytes(self) -> AsyncIterator[bytes]:
        """Binary messages until the client closes or the token expires."""
        return _until_closed(self.receive_bytes)

    def iter_json(self) -> AsyncIterator[Any]:
        """JSON messages until the client closes or the token expires."""
        return _until_closed(self.receive_json)

    async def send_text(self, data: str) -> None:
        """Sends a text message.

        Raises:
            WebSocketDisconnect: The token has expired (the connection is now closed).
        """
        await self._send(lambda: self.websocket.send_text(data))

    async def send_bytes(self, data: bytes) -> None:
        """Sends a binary message.

        Raises:
            WebSocketDisconnect: The token has expired (the connection is now closed).
        """
        await self._send(lambda: self.websocket.send_bytes(data))

    async def send_json(self, data: Any) -> None:
        """Sends ``data`` as JSON in a text message.

        Raises:
            WebSocketDisconnect: The token has expired (the connection is now closed).
        """
        await self._send(lambda: self.websocket.send_json(data))

    async def close(self, code: int = 1000, reason: Optional[str] = None) -> None:
        """Closes the connection."""
        await self.websocket.close(code=code, reason=reason)


async def _until_closed(receive: Callable[[], Awaitable[_T]]) -> AsyncIterator[_T]:
    try:
        while True:
            yield await receive()
    except WebSocketDisconnect:
        pass


def refusal_response(refusal: Refusal) -> Response:
    """The HTTP response of a refusal: its status, headers and body, unchanged.

    Args:
        refusal: What the core decided.

    Returns:
        Response: ``refusal.status``, ``Content-Type: application/json``,
        ``WWW-Authenticate`` when the refusal has one, and ``refusal.body``.
    """
    return Response(refusal.body, status_code=refusal.status, headers=refusal.headers())


async def handle_refused(connection: HTTPConnection, exc: Exception) -> Optional[Response]:
    """The exception handler ``install`` adds: answers a ``Refused``.

    Over HTTP, the core's response. Over a WebSocket, the handshake is
    accepted (with ``jwt-accord.bearer`` when the client offered it) and
    closed at once with the refusal's close code (4401) and reason (the error
    code), so the client sees why.

    Args:
        connection: The request or WebSocket.
        exc: The ``Refused`` raised.

    Returns:
        The response to send, or None over a WebSocket (already answered).
    """
    if not isinstance(exc, Refused):
        raise TypeError(f"handle_refused answers Refused, not {type(exc).__name__}")
    refusal = exc.refusal
    if not isinstance(connection, WebSocket):
        return refusal_response(refusal)
    websocket = connection
    offered = WEBSOCKET_SUBPROTOCOL in websocket.scope.get("subprotocols", ())
    await websocket.accept(subprotocol=WEBSOCKET_SUBPROTOCOL if offered else None)
    await websocket.close(code=refusal.close_code, reason=refusal.close_reason)
    return None


def install(app: Starlette) -> None:
    """Makes ``app`` answer ``Refused`` as the core says (``handle_refused``).

    Call it once, before the app serves, on the Starlette or FastAPI app
    whose routes use ``BearerAuth``. On WebSockets, authenticate before
    accepting (as ``Depends(auth)`` does): the handler accepts to close.

    Args:
        app: A ``starlette.applications.Starlette`` or ``fastapi.FastAPI``.
    """
    # One handler for both kinds of connection: Starlette's type names one or the other.
    app.add_exception_handler(Refused, cast("ExceptionHandler", handle_refused))


def routes(service: Service) -> list[BaseRoute]:
    """``GET /.well-known/jwt-accord`` and ``GET /metrics`` for ``service``.

    The published report (JSON, ``Cache-Control: no-store``) and the
    Prometheus text, both written by the core. Serve them where metrics are
    served, not to the internet: the report names key fingerprints.

    Args:
        service: The service whose report and metrics are served.

    Returns:
        list: Two Starlette routes (``Starlette(routes=[*routes(service), ...])``).
    """
    if not isinstance(service, Service):
        raise TypeError(f"service must be a jwt_accord.Service, not {type(service).__name__}")

    async def report(_: Request) -> Response:
        return Response(service.report_json(), headers=_REPORT_HEADERS)

    async def metrics(_: Request) -> Response:
        return Response(service.metrics(), headers={"Content-Type": METRICS_CONTENT_TYPE})

    return [
        Route(REPORT_PATH, report, methods=["GET"], include_in_schema=False),
        Route(METRICS_PATH, metrics, methods=["GET"], include_in_schema=False),
    ]


_REPORT_HEADERS: Mapping[str, str] = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
}
