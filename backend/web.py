"""Server-rendered pages: one Jinja environment for pages, PDFs and e-mails, translated by gettext."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import msgspec
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from litestar import Request, Response
from litestar.params import URLEncodedBody
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template

from backend import domains, i18n
from backend.errors import FieldError, Invalid, Problem, field_error
from backend.i18n import N_, gettext


def make_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(path)) for path in domains.template_dirs()]),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.globals.update(
        languages=i18n.LANGUAGES,
        current_language=i18n.current_language,
        format_date=i18n.format_date,
        format_datetime=i18n.format_datetime,
        format_month=i18n.format_month,
        weekday_name=i18n.weekday_name,
        format_time=i18n.format_time,
        format_minutes=i18n.format_minutes,
        format_money=i18n.format_money,
        currency_symbol=i18n.currency_symbol,
        menu=lambda org, person, here: domains.menu(domains.nav_links(), person.roles, org.kind, here.removeprefix(f"/t/{org.slug}/").rstrip("/")),
    )
    return env


environment = make_environment()
template_engine = JinjaTemplateEngine.from_environment(environment)


def render(template: str, **context: object) -> str:
    """Renders a template outside a request (PDFs, e-mails), in the current language."""
    return environment.get_template(template).render(**context)


# --- pages: what every domain's page controllers share ------------------------------------------

Form = URLEncodedBody[dict[str, Any]]


def page(request: Request, template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any) -> Template:
    return Template(
        template,
        context={"tenant": request.state.tenant, "user": request.user, "path": request.url.path, **context},
        status_code=status_code,
        headers=headers,
    )


def text(form: dict[str, Any], name: str, *, strip: bool = True) -> str:
    """A form field's text; a field sent twice (a list) or a file counts as blank."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def typed_decimal(value: str) -> Decimal | None:
    """A number as people type it in a form: 0,54 or 0.54, 1 000,50 or 1,000.50, the currency sign
    left out; None when it is not a finite number."""
    value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("$", "").replace("€", "")
    if "," in value and "." in value:  # 1,000.50: the comma groups thousands
        value = value.replace(",", "")
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def typed_scaled(value: str, factor: int) -> int | str:
    """A typed number times `factor`, rounded half up to a whole (dollars to cents: 100, hours to
    minutes: 60); as typed when it is not a number, for the schema to refuse in words."""
    number = typed_decimal(value)
    return value if number is None else int((number * factor).to_integral_value(ROUND_HALF_UP))


def typed_cents(amount: str) -> int | str:
    """An amount typed in a form (10, 10,00, 1 000,00, 10 $) in cents; as typed when it is not one."""
    return typed_scaled(amount, 100)


def listed(form: dict[str, Any], name: str) -> list[str]:
    """The values of a field a form may send several times (checkboxes of one name), blanks left out."""
    value = form.get(name)
    values = value if isinstance(value, list) else [value] if value is not None else []
    return [v for v in values if isinstance(v, str) and v]


def from_form(form: dict[str, Any], schema: type[msgspec.Struct], *, checkboxes: tuple[str, ...] = ()) -> msgspec.Struct:
    """A form as a schema. A ticked box is true, an unticked one false. A blank field is None where
    the value may be empty, the schema's default where it has one, else refused as required."""
    values: dict[str, Any] = {}
    for field in msgspec.structs.fields(schema):
        if field.name in checkboxes:
            values[field.name] = field.name in form
        elif value := text(form, field.name):
            values[field.name] = value
        elif field.name in form and _nullable(field):
            values[field.name] = None
        elif field.name in form and (field.required or field.default is msgspec.UNSET):
            values[field.name] = ""  # refused by the schema: "This field is required."
    return convert(values, schema)


def convert(values: dict[str, Any], schema: type[msgspec.Struct]) -> msgspec.Struct:
    """Values read from a form as the schema, or a 422 that names every refused field in the
    user's language (msgspec stops at the first: each field is then checked on its own)."""
    try:
        return msgspec.convert(values, schema, strict=False)
    except msgspec.ValidationError as error:
        errors = [found for field in msgspec.structs.fields(schema) if (found := _refusal(values, schema, field.name))]
        raise Invalid(N_("Some values are not valid."), errors=errors or [field_error({"message": str(error)})]) from error


def _refusal(values: dict[str, Any], schema: type[msgspec.Struct], name: str) -> FieldError | None:
    given = {name: values[name]} if name in values else {}
    try:
        msgspec.convert(given, _one_field(schema, name), strict=False)
    except msgspec.ValidationError as error:
        return field_error({"message": str(error)})
    return None


@functools.cache
def _one_field(schema: type[msgspec.Struct], name: str) -> type[msgspec.Struct]:
    [field] = [f for f in msgspec.structs.fields(schema) if f.name == name]
    default = msgspec.NODEFAULT if field.required else (field.default if field.default is not msgspec.NODEFAULT else msgspec.field(default_factory=field.default_factory))
    return msgspec.defstruct(f"{schema.__name__}_{name}", [(name, field.type, default)], forbid_unknown_fields=False)


def _nullable(field: msgspec.structs.FieldInfo) -> bool:
    info = msgspec.inspect.type_info(field.type)
    return isinstance(info, msgspec.inspect.UnionType) and info.includes_none


def errors_by_field(problem: Problem) -> dict[str, str]:
    rendered = {e.field: e.render()["message"] for e in problem.errors}
    return rendered or {"": gettext(problem.detail, **problem.params)}


# What a refused form post shows on its page again; anything else (403, 404: not the person's, or
# not there) is the error page.
FORM_REFUSALS = (400, 409, 422)


async def submit(
    action: Callable[[], Awaitable[Any]],
    then: str | Callable[[Any], str],
    again: Callable[..., Awaitable[Response] | Response],
    errors: Callable[[Problem], dict[str, str]] = errors_by_field,
) -> Response:
    """The post/redirect/get of a page's form: do `action` (reading the form inside it, so that a
    badly typed value is refused like any other); done, redirect to `then` (a URL, or made from
    what the action returned); refused, the page again with the refusal's status and its errors by
    the fields: `again(status_code=…, errors=…)` (a page function with its other arguments bound)."""
    try:
        done = await action()
    except Problem as problem:
        if problem.status not in FORM_REFUSALS:
            raise
        shown = again(status_code=problem.status, errors=errors(problem))
        return await shown if inspect.isawaitable(shown) else shown
    return Redirect(then(done) if callable(then) else then)
