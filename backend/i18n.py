"""Languages: gettext catalogues through Babel, the request's locale in a context variable.

Message ids are English; French (fr_CA) is the default language. The `.po` catalogues (the
foundation's under backend/locale, each other domain's under its own locale/) are compiled in
memory and merged at start-up, so nothing compiled is kept in the repository.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_skeleton, get_datetime_format, get_day_names, get_timezone
from babel.dates import format_time as _format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency as _format_currency
from babel.numbers import get_currency_symbol
from babel.support import NullTranslations, Translations

from backend import domains

DEFAULT_LANGUAGE = "fr_CA"
# Language code -> its own name, as shown in the language switcher.
LANGUAGES = {"fr_CA": "Français", "en_CA": "English", "fi": "Suomi"}

_current = contextvars.ContextVar("solidaire_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    merged: Translations | None = None
    # Merged last, the foundation's catalogue wins where a domain translates a shared id otherwise.
    for locale_dir in reversed(domains.locale_dirs()):
        po = locale_dir / language / "LC_MESSAGES" / "messages.po"
        if po.exists():
            compiled = _compile(po, language)
            merged = compiled if merged is None else merged.merge(compiled)
    return merged or NullTranslations()


def _compile(po: Path, language: str) -> Translations:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@lru_cache(maxsize=1024)  # asked on every request, and babel parses each tag anew
def supported(language: str | None) -> str | None:
    """The supported language a tag like 'fr', 'fr-CA', 'en_US' or 'fi-FI' stands for, or None."""
    if not language:
        return None
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    for code in LANGUAGES:
        if Locale.parse(code).language == locale.language:
            return code
    return None


def negotiate(*preferences: str | None, accept_language: str | None = None, fallback: str | None = None) -> str:
    """The first supported of the explicit preferences, else the browser's, else the fallback
    (the organisation's language), else French."""
    for preference in preferences:
        if code := supported(preference):
            return code
    for tag in _accept_language_tags(accept_language or ""):
        if code := supported(tag):
            return code
    return supported(fallback) or DEFAULT_LANGUAGE


def _accept_language_tags(header: str) -> list[str]:
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def activate(language: str) -> contextvars.Token:
    return _current.set(language)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def using(language: str):
    """Messages, dates and amounts in `language` inside the block (an e-mail or a PDF for one
    person), then back to the request's language."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    return _current.get()


def gettext(message: str, **params: object) -> str:
    text = translations(_current.get()).ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(_current.get()).ungettext(singular, plural, n)
    return text % {"num": n, **params}


def base_language(language: str) -> str:
    """The language without its region: "fr" of fr_CA."""
    return language.split("_")[0]


def alongside(translate: Callable[..., str], second: str | None) -> Callable[..., str]:
    """`translate` (gettext or ngettext) giving the message in the current language followed by
    its translation in `second` where that reads otherwise ("Facture / Invoice"): a document
    written in two languages."""
    if second is None:
        return translate

    def both(*args: object, **params: object) -> str:
        first = translate(*args, **params)
        with using(second):
            other = translate(*args, **params)
        return first if other == first else f"{first} / {other}"

    return both


def label_of(labels: dict[str, dict[str, str]], kind: str, code: str | None) -> str:
    """The translated name of a stored code (`labels[kind][code]`, an English message id), or the
    code itself when it has none."""
    text = labels[kind].get(code or "")
    return gettext(text) if text else (code or "")


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated later, where the language is known."""
    return message



def format_date(value: dt.date | str | None, format: str = "medium") -> str:
    if isinstance(value, str):  # SQLite gives the dates of a raw query as text (2026-12-03)
        value = dt.date.fromisoformat(value[:10])
    return "" if value is None else _format_date(value, format=format, locale=_current.get())


def format_month(month: str) -> str:
    """A month stored as YYYY-MM, as people write it ("décembre 2026", "joulukuu 2026")."""
    year, number = month.split("-")
    return format_skeleton("yMMMM", dt.date(int(year), int(number), 1), locale=_current.get())


def weekday_name(index: int) -> str:
    """A day of the week in words (0: Monday), as the current language writes it ("lundi")."""
    return get_day_names("wide", locale=_current.get())[index]


def format_datetime(value: dt.datetime | None, timezone: str, format: str = "medium") -> str:
    """The date in `format` with the hour and minutes: people read meeting and booking times, and
    CLDR's medium and long datetimes add seconds (and a zone name: "18 h 00 min 00 s HNE")."""
    if value is None:
        return ""
    language = _current.get()
    if format not in ("medium", "long"):
        return _format_datetime(value, format=format, tzinfo=timezone, locale=language)
    local = value.astimezone(get_timezone(timezone))
    pattern = get_datetime_format(format, locale=language)
    return pattern.replace("{1}", _format_date(local, format=format, locale=language)).replace("{0}", _format_time(local, format="short", locale=language))


def format_time(value: dt.datetime | None, timezone: str) -> str:
    """The hour and minutes in the tenant's zone, as the reader's language writes them ("08 h 00",
    "8:00 AM", "8.00")."""
    return "" if value is None else _format_time(value.astimezone(get_timezone(timezone)), format="short", locale=_current.get())


def format_minutes(minutes: int) -> str:
    """A time of day given in minutes after midnight, as the reader's language writes it; the
    end of the day (1440) as midnight."""
    return _format_time(dt.time(minutes // 60 % 24, minutes % 60), format="short", locale=_current.get())


def format_money(cents: int, currency: str) -> str:
    return _format_currency(Decimal(cents) / 100, currency, locale=_current.get())


def currency_symbol(currency: str) -> str:
    """The currency's sign as the reader's language writes it: $ for CAD in Quebec, € for EUR."""
    return get_currency_symbol(currency, locale=_current.get())
