"""Who is asking: sessions by cookie (pages), bearer tokens (API), roles per tenant, guards."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from backend import i18n

SESSION_COOKIE = "solidaire_session"
LANGUAGE_COOKIE = "solidaire_lang"

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so that a wrong e-mail costs as long as a wrong
    password; made at the first sign-in, not at every process's start."""
    return _hasher.hash("not a password")


async def hash_password(password: str) -> str:
    # Argon2 is meant to be slow (~0.15 s); a thread keeps the event loop serving meanwhile.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        verified = await asyncio.to_thread(_hasher.verify, password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return verified and password_hash is not None


def new_token() -> tuple[str, str]:
    """A fresh secret and the hash under which it is stored (the secret itself is never stored)."""
    secret = secrets.token_urlsafe(32)
    return secret, token_hash(secret)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()



@dataclass(frozen=True)
class Principal:
    user_id: object
    email: str
    full_name: str
    locale: str | None
    roles: frozenset[str]

    def has_any(self, roles: tuple[str, ...]) -> bool:
        return bool(self.roles.intersection(roles))


PrincipalLoader = Callable[[Any, str], Awaitable["Principal | None"]]


class AuthenticationMiddleware:
    """Puts the signed-in Principal (or None) in scope["user"], inside the tenant's transaction.
    The loaders (by bearer token, by session cookie) come from the package that keeps the people."""

    def __init__(self, app: ASGIApp, by_token: PrincipalLoader, by_session: PrincipalLoader) -> None:
        self.app = app
        self.by_token = by_token
        self.by_session = by_session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            tenant = scope.get("state", {}).get("tenant")
            headers = dict(scope["headers"])
            authorization = headers.get(b"authorization", b"").decode("latin-1")
            principal = None
            if tenant is not None and authorization.lower().startswith("bearer "):
                principal = await self.by_token(tenant, authorization[7:].strip())
            elif tenant is not None and _cookie_may_sign(scope) and (cookie := read_cookie(headers, SESSION_COOKIE)):
                principal = await self.by_session(tenant, cookie)
            scope["user"] = principal
            if tenant is not None:
                language = i18n.negotiate(
                    read_cookie(headers, LANGUAGE_COOKIE),
                    principal.locale if principal else None,
                    accept_language=headers.get(b"accept-language", b"").decode("latin-1"),
                    fallback=tenant.locale,
                )
                token = i18n.activate(language)
                try:
                    await self.app(scope, receive, send)
                finally:
                    i18n.reset(token)
                return
        await self.app(scope, receive, send)


def _cookie_may_sign(scope: Scope) -> bool:
    """The session cookie signs pages, and API reads (the register's CSV and PDF links). A change
    through the API needs a bearer token: the API is exempt from the forms' CSRF check."""
    return not scope["path"].startswith("/api/") or scope["method"] in ("GET", "HEAD")


def read_cookie(headers: dict[bytes, bytes], name: str) -> str | None:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


def requires(*roles: str):
    """A guard: the signed-in user holds one of these roles in the request's tenant (any role when
    none is named)."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # async: no thread hop
        principal = connection.scope.get("user")
        if principal is None:
            raise NotAuthorizedException()
        if not (principal.has_any(roles) if roles else principal.roles):
            raise PermissionDeniedException()

    return guard


signed_in = requires()  # someone with a role in this tenant
