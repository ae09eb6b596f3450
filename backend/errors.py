"""Refusals as RFC 9457 problem+json (API) or an error page (pages), in the user's language.

Services raise `Problem` subclasses with an English message id; the handler translates it with
the request's language. A refused request changes nothing: the tenancy middleware rolls back
the transaction of every response with a status of 400 or more.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

import asyncpg
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from backend.i18n import N_, gettext

log = structlog.get_logger()
PROBLEM_JSON = "application/problem+json"
ERROR_TITLE = N_("Error")


@dataclass
class FieldError:
    field: str
    message: str  # an English message id, translated when the problem is rendered
    params: dict = field(default_factory=dict)

    def render(self) -> dict:
        return {"field": self.field, "message": gettext(self.message, **self.params)}


_STATUS_TITLES = {
    400: N_("The request is not valid."),
    401: N_("Please sign in."),
    403: N_("You are not allowed to do this."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("This conflicts with what is already recorded."),
    413: N_("The upload is too large."),
    415: N_("This content type is not accepted."),
    422: N_("Some values are not valid."),
    429: N_("Too many requests; try again later."),
    500: N_("An unexpected error occurred; it has been logged."),
    503: N_("The service is busy; try again in a few seconds."),
}


class Problem(Exception):
    status = 400
    title = N_("The request is not valid.")

    def __init__(self, detail: str, errors: list[FieldError] | None = None, *, status: int | None = None, headers: dict[str, str] | None = None, **params: object):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.params = params
        self.headers = headers or {}  # e.g. Retry-After of a 429
        if status is not None:
            self.status = status
            self.title = _STATUS_TITLES.get(status, Problem.title)

    def body(self) -> dict:
        body = {
            "type": f"https://solidaire.coop/problems/{self.status}",
            "title": gettext(self.title),
            "status": self.status,
            "detail": gettext(self.detail, **self.params),
        }
        if self.errors:
            body["errors"] = [error.render() for error in self.errors]
        return body


class Invalid(Problem):
    status = 422
    title = N_("Some values are not valid.")


class NotFound(Problem):
    status = 404
    title = N_("Not found.")


class Conflict(Problem):
    status = 409
    title = N_("This conflicts with what is already recorded.")


class RuleViolation(Problem):
    """A rule of a domain refuses (its pure rules raise it; it is answered like any refusal): the
    field concerned ("" for the whole), an English message id, and how it refuses: a value (422, the
    default), the state of things (409), who asks (403), what was sent (400, 413, 415)."""

    status = 422
    title = N_("Some values are not valid.")

    def __init__(self, field: str, message: str, *, status: int | None = None, **params: object):
        super().__init__(message, errors=[FieldError(field, message, params)] if field else [], status=status, **params)
        self.field = field
        self.message = message



# msgspec's validation messages, reworded for people, in their language.
_VALIDATION_MESSAGES = [
    (re.compile(r"missing required field"), N_("This field is required.")),
    (re.compile(r"RFC3339 encoded date|Invalid date"), N_("Enter a date as YYYY-MM-DD.")),
    (re.compile(r"Invalid enum value"), N_("Choose one of the allowed values.")),
    (re.compile(r"length >= 1"), N_("This field is required.")),
    (re.compile(r"length <="), N_("This value is too long.")),
    (re.compile(r"Expected `int` <= (?P<max>\d+)"), N_("Enter a whole number of at most %(max)s.")),
    (re.compile(r"Expected `int` >= (?P<min>\d+)"), N_("Enter a whole number of at least %(min)s.")),
    (re.compile(r"Expected `int`"), N_("Enter a whole number.")),
    (re.compile(r"Expected `bool`"), N_("Enter true or false.")),
    (re.compile(r">= 0"), N_("Enter a number of zero or more.")),
    (re.compile(r"Invalid UUID"), N_("This identifier is not valid.")),
    (re.compile(r"Expected `object`"), N_("Expected a JSON object here.")),
    (re.compile(r"Expected `array`"), N_("Expected a JSON list here.")),
    (re.compile(r"matching regex"), N_("This value is not in the expected form.")),
]


def field_error(raw: dict) -> FieldError:
    message = str(raw.get("message", ""))
    # Litestar names the whole body "data"; msgspec's message names the field inside it.
    key = _path_in(message) or (raw.get("key") if raw.get("key") != "data" else "") or ""
    if key.endswith("email") and "matching regex" in message:
        return FieldError(key, N_("Enter an e-mail address, for example nom@exemple.ca."))
    for pattern, text in _VALIDATION_MESSAGES:
        if found := pattern.search(message):
            return FieldError(key, text, found.groupdict())
    return FieldError(key, N_("This value is not valid."))


def _path_in(message: str) -> str | None:
    if match := re.search(r"missing required field `([^`]+)`", message):
        return match.group(1)
    if match := re.search(r"at `\$\.([^`]+)`", message):
        return match.group(1)
    return None


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or PROBLEM_JSON in request.headers.get("accept", "")


def problem_response(request: Request, problem: Problem) -> Response:
    if not is_api(request):
        response = error_page(request, problem.status, gettext(problem.detail, **problem.params))
    else:
        response = Response(problem.body(), status_code=problem.status, media_type=PROBLEM_JSON)
    response.headers.update(problem.headers)
    return response


def error_page(request: Request, status: int, detail: str) -> Response:
    return Template(
        "error.html",
        context={"status": status, "title": gettext(_STATUS_TITLES.get(status, ERROR_TITLE)), "detail": detail},
        status_code=status,
    )


def validation_response(request: Request, exc: ValidationException) -> Response:
    raw = exc.extra if isinstance(exc.extra, list) else []
    errors = [field_error(item) for item in raw if isinstance(item, dict)]
    return problem_response(request, Problem(N_("Some values are not valid."), errors=errors, status=400))


def http_exception_response(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not is_api(request):
        slug = request.path_params.get("slug")
        if slug:
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return Redirect(f"/t/{slug}/login", query_params={"next": back})
    if status >= 500:
        return internal_error_response(request, exc)
    if _secure_cookies_over_plain_http(request, exc):
        return problem_response(request, Problem(COOKIES_NEED_HTTPS, status=status))
    response = problem_response(request, Problem(_STATUS_TITLES.get(status, Problem.title), status=status))
    response.headers.update(exc.headers or {})  # e.g. Retry-After of a 429, Allow of a 405
    return response


COOKIES_NEED_HTTPS = N_(
    "This page was opened over plain HTTP, but the service sends its cookies over HTTPS only (COOKIE_SECURE), so the browser could not "
    "send the form back. Open the service with https://, or ask whoever runs it to set COOKIE_SECURE=false on a local network without HTTPS."
)


def _secure_cookies_over_plain_http(request: Request, exc: HTTPException) -> bool:
    """A form refused because its CSRF cookie, Secure, never came back over http:// (a LAN)."""
    settings = getattr(request.app.state, "settings", None)
    return (
        isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail) and request.url.scheme == "http"
        and bool(getattr(settings, "cookie_secure", False))
    )


# Where a request met SQLite's write lock held past its timeout (or WAL's index being rebuilt):
# the tenancy middleware tries a reading request once more (backend/tenancy.py).
SQLITE_BUSY = "sqlite_busy"


def internal_error_response(request: Request, exc: Exception) -> Response:
    if isinstance(exc, sqlite3.OperationalError) and "database is locked" in str(exc):
        request.scope.setdefault("state", {})[SQLITE_BUSY] = True
        log.warning("database is locked", path=request.url.path)
        return problem_response(request, Problem(_STATUS_TITLES[503], status=503, headers={"retry-after": "2"}))
    log.exception("unhandled error", path=request.url.path, exc_info=exc)
    return problem_response(request, Problem(_STATUS_TITLES[500], status=HTTP_500_INTERNAL_SERVER_ERROR))


def database_busy_response(request: Request, exc: Exception) -> Response:
    """PostgreSQL refused a new connection (max_connections reached by the processes' pools, or it
    is starting or stopping): nothing was written; the client may try again shortly."""
    log.warning("database refused a connection", path=request.url.path, error=type(exc).__name__)
    return problem_response(request, Problem(_STATUS_TITLES[503], status=503, headers={"retry-after": "2"}))


EXCEPTION_HANDLERS = {
    Problem: problem_response,
    asyncpg.TooManyConnectionsError: database_busy_response,
    asyncpg.CannotConnectNowError: database_busy_response,
    ValidationException: validation_response,
    HTTPException: http_exception_response,
    Exception: internal_error_response,
}
