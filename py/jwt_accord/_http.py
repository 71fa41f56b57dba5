"""``Refusal``: the answer to a refused request, as the core words it (docs/spec.md §17)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Refusal"]


@dataclass(frozen=True)
class Refusal:
    """How to answer a request whose credentials are missing or refused.

    Built by ``Challenge.refusal``; every field is the core's, identical in
    every jwt-accord binding.

    Attributes:
        status: 401 (missing or refused token), 400 (malformed request), or
            500 for an error no request can cause (the service's own keys).
        www_authenticate: The ``WWW-Authenticate`` header value (ASCII), or
            None with a 500.
        body: The JSON body: ``{"code": ...}``, plus ``"message"`` where the
            challenge exposes messages.
        close_code: The WebSocket close code: 4401 (``WEBSOCKET_CLOSE_CODE``),
            or 1011 with a 500.
        close_reason: The WebSocket close reason: the error code.
    """

    status: int
    www_authenticate: str | None
    body: str
    close_code: int
    close_reason: str

    def headers(self) -> dict[str, str]:
        """The headers to send with ``body``.

        Returns:
            dict: ``Content-Type: application/json``, and ``WWW-Authenticate``
            when the refusal has one.
        """
        headers = {"Content-Type": "application/json"}
        if self.www_authenticate is not None:
            headers["WWW-Authenticate"] = self.www_authenticate
        return headers
