"""A FastAPI service written against PyJWT, as services are today.

It issues tokens at ``POST /login`` and protects ``GET /me``. Migrating it to
jwt-accord is the one line below: ``import jwt`` becomes
``import jwt_accord.pyjwt as jwt``; test_app.py runs the same tests on both.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

SECRET_KEY = os.environ.get("JWT_SECRET_KEY", "")
ALGORITHM = "HS256"
ISSUER = "auth.example"
AUDIENCE = "api.example"
ACCESS_TOKEN_MINUTES = 15
USERS = {"ada": "correct horse battery staple"}

app = FastAPI(title="pyjwt-migration example")
bearer = HTTPBearer(auto_error=False)


class Login(BaseModel):
    """The login form."""

    username: str
    password: str


def create_access_token(subject: str, minutes: int = ACCESS_TOKEN_MINUTES) -> str:
    """An access token for ``subject``, valid for ``minutes``."""
    now = datetime.now(tz=timezone.utc)
    claims = {
        "sub": subject,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "scope": "read",
    }
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, Any]:
    """The verified claims of the request's bearer token, or a 401."""
    if credentials is None:
        raise HTTPException(401, "not authenticated", {"WWW-Authenticate": "Bearer"})
    try:
        claims: dict[str, Any] = jwt.decode(
            credentials.credentials,
            SECRET_KEY,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=timedelta(seconds=10),
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise HTTPException(401, "token expired", {"WWW-Authenticate": "Bearer"}) from None
    except jwt.InvalidTokenError:
        raise HTTPException(401, "invalid token", {"WWW-Authenticate": "Bearer"}) from None
    return claims


@app.post("/login")
def login(form: Login) -> dict[str, str]:
    """Checks the password and issues an access token."""
    if USERS.get(form.username) != form.password:
        raise HTTPException(401, "wrong username or password")
    return {"access_token": create_access_token(form.username), "token_type": "bearer"}


@app.get("/me")
def me(claims: Annotated[dict[str, Any], Depends(current_user)]) -> dict[str, Any]:
    """Who the token says the caller is."""
    return {"user": claims["sub"], "scope": claims["scope"]}
