"""jwt-accord for FastAPI: docs/spec.md §17, and the report and metrics routes.

FastAPI is built on Starlette, and so is this module on
``jwt_accord.starlette``: ``BearerAuth`` is a dependency (``Depends(auth)``)
on HTTP routes and WebSocket endpoints, ``install(app)`` answers its refusals
with the core's exact response (FastAPI's ``HTTPException`` would wrap the
body in ``{"detail": ...}``), and ``router(service)`` serves the published
report and the metrics.

Example:
    >>> auth = BearerAuth(verifier, realm="api", environment="production")  # doctest: +SKIP
    >>> install(app)  # doctest: +SKIP
    >>> @app.get("/me")  # doctest: +SKIP
    ... async def me(user: Annotated[Authenticated, Depends(auth)]) -> dict[str, Any]:
    ...     return user.claims

Needs FastAPI (``pip install 'jwt-accord[fastapi]'``); ``import jwt_accord``
never imports this module.
"""

from __future__ import annotations

from jwt_accord._native import Service
from jwt_accord.starlette import (
    METRICS_CONTENT_TYPE,
    METRICS_PATH,
    Authenticated,
    BearerAuth,
    Refused,
    Session,
    handle_refused,
    install,
    refusal_response,
    routes,
)

try:
    from fastapi import APIRouter
except ModuleNotFoundError:  # pragma: no cover - depends on the environment
    raise ImportError(
        "jwt_accord.fastapi needs FastAPI: pip install 'jwt-accord[fastapi]'"
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
    "router",
    "routes",
]


def router(service: Service) -> APIRouter:
    """``GET /.well-known/jwt-accord`` and ``GET /metrics`` for ``service``.

    The published report (JSON, ``Cache-Control: no-store``) and the
    Prometheus text, both written by the core, left out of the OpenAPI
    schema. Serve them where metrics are served, not to the internet.

    Args:
        service: The service whose report and metrics are served.

    Returns:
        APIRouter: For ``app.include_router(router(service))``.
    """
    return APIRouter(routes=routes(service))
