"""Server-rendered pages: one Jinja environment for pages, PDFs and e-mails, translated by gettext."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine

from backend import i18n

TEMPLATE_DIRS = [Path(__file__).parent / "templates", Path(__file__).parent.parent / "tenants" / "templates"]


def make_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(path)) for path in TEMPLATE_DIRS]),
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
        format_money=i18n.format_money,
    )
    return env


environment = make_environment()
template_engine = JinjaTemplateEngine.from_environment(environment)


def render(template: str, **context: object) -> str:
    """Renders a template outside a request (PDFs, e-mails), in the current language."""
    return environment.get_template(template).render(**context)
