"""How the program's forms read what people type besides numbers (backend.web.typed_scaled): times
of day, and the refusals of a form's fields gathered. A value that cannot be read is given back as
it was, for the schema to refuse it next to its field with the other refused fields."""

from __future__ import annotations

import msgspec

from backend.errors import FieldError, Problem
from backend.web import convert


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
