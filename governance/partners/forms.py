"""How the program's forms read the numbers people type: amounts of money, hours, times of day,
written the French, English or Finnish way. A value that is not a number is given back as it was,
for the schema to refuse it next to its field with the other refused fields."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import msgspec

from backend.errors import FieldError, Problem
from backend.web import convert


def decimal(value: str) -> Decimal | None:
    """A number as people write it: 0,54 or 0.54, 1 000,50 or 1,000.50 (None: not a number)."""
    value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("$", "").replace("€", "")
    if "," in value and "." in value:
        value = value.replace(",", "")
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def scaled(value: str, factor: int) -> int | str:
    """A number times `factor`, rounded half up to a whole (dollars to cents: 100, hours to minutes: 60)."""
    number = decimal(value)
    return value if number is None else int((number * factor).to_integral_value(ROUND_HALF_UP))


def cents(value: str) -> int | str:
    return scaled(value, 100)


def minute_of_day(value: str) -> int | str:
    """A time of day (12:30) as minutes after midnight."""
    hours, _, minutes = value.partition(":")
    if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(minutes) < 60:
        return int(hours) * 60 + int(minutes)
    return value


def converted(values: dict, schema: type[msgspec.Struct], retold: dict[str, tuple[str, str]]) -> msgspec.Struct:
    """`convert`, with the refusals of some fields said in the form's words: a field of the schema
    -> (the form's field, its message). The schema's own words would be about cents or minutes."""
    try:
        return convert(values, schema)
    except Problem as problem:
        problem.errors = [FieldError(*retold[error.field]) if error.field in retold else error for error in problem.errors]
        raise
