"""One decoder for every JSON body of the API.

Litestar reads a JSON body into plain values, then converts them to the handler's schema with
msgspec's lax rules: "12" becomes 12, "true" becomes True, and a body sent as text/plain is parsed
all the same. Every JSON operation goes through `JSONRequest.json`, which instead

- refuses a body that is not sent as JSON (415),
- refuses invalid UTF-8 anywhere in it, malformed JSON and nesting too deep to decode (400),
- decodes it straight into the handler's schema with msgspec's strict rules (no string-to-number
  or string-to-boolean coercion): a value of the wrong type is a 400 that names its field.

A body too large is refused by Litestar itself (`request_max_body_size`, 413) before it is read
whole. Pages' forms are not JSON: they are read by their own extractor and keep their lax
conversion (`backend.web.from_form`), a form field being a string by nature.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any, Union

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.serialization import default_deserializer
from litestar.types import Empty

from backend.errors import Problem
from backend.i18n import N_

JSON_TYPES = ("application/json",)


def is_json(media_type: str) -> bool:
    media_type = media_type.strip().lower()
    return media_type in JSON_TYPES or (media_type.startswith("application/") and media_type.endswith("+json"))


class JSONRequest(Request):
    """The application's request class (`Litestar(request_class=JSONRequest)`)."""

    async def json(self) -> Any:
        if self._json is not Empty:
            return self._json
        if (cached := self._connection_state.json) is not Empty:
            self._json = cached
            return cached
        media_type, _ = self.content_type
        if not is_json(media_type):
            raise Problem(N_("Send this body as JSON, with the header Content-Type: application/json."), status=415)
        body = await self.body()
        self._json = self._connection_state.json = decode(body or b"null", self._target(), self.route_handler.resolve_type_decoders())
        return self._json

    def _target(self) -> Any:
        field = self.route_handler.parsed_data_field
        return Any if field is None else field.annotation


def decode(body: bytes, target: Any, type_decoders: Any = None) -> Any:
    """`body` as `target`, strictly, or the refusal that says what is wrong with it."""
    try:
        body.decode("utf-8")  # RFC 8259: JSON is UTF-8, the whole of it
    except UnicodeDecodeError as error:
        raise Problem(N_("The body is not valid UTF-8 (byte %(position)s)."), position=error.start) from error
    try:
        return msgspec.json.decode(body, type=target, strict=True, dec_hook=partial(default_deserializer, type_decoders=type_decoders))
    except RecursionError as error:
        raise Problem(N_("The body is nested too deep.")) from error
    except msgspec.ValidationError as error:
        # As Litestar reports a value that does not fit the schema: a 400 naming the field.
        raise ValidationException(extra=[{"message": message, "key": "data", "source": "body"} for message in _messages(body, target, error)]) from error
    except msgspec.DecodeError as error:
        if match := re.search(r"byte (\d+)", str(error)):
            raise Problem(N_("The body is not valid JSON (at byte %(position)s)."), position=int(match.group(1))) from error
        raise Problem(N_("The body is not valid JSON (it ends too soon).")) from error


def _messages(body: bytes, target: Any, error: msgspec.ValidationError) -> list[str]:
    """msgspec names the first field missing from an object; the client is told every one."""
    message = str(error)
    if not (message.startswith("Object missing required field") and " - at " not in message and isinstance(target, type) and issubclass(target, msgspec.Struct)):
        return [message]
    given = msgspec.json.decode(body)
    fields = msgspec.structs.fields(target)
    return [f"Object missing required field `{f.encode_name}`" for f in fields if f.required and f.encode_name not in given] or [message]


def changing(schema: type[msgspec.Struct], name: str) -> type[msgspec.Struct]:
    """The body of a PUT on settings of the form `schema`: its fields, each optional and with no
    default of its own, so that a field left out keeps its value instead of being reset to the
    schema's default (a body of {} changes nothing). `applied` lays what was sent over the current
    values."""
    fields = [(field.name, Union[field.type, msgspec.UnsetType], msgspec.UNSET) for field in msgspec.structs.fields(schema)]  # noqa: UP007
    return msgspec.defstruct(name, fields, kw_only=True, forbid_unknown_fields=True, module=schema.__module__)


def applied(current: Mapping[str, Any] | msgspec.Struct, changes: msgspec.Struct, schema: type[msgspec.Struct]) -> msgspec.Struct:
    """The current values (a row or a `schema`) with the fields `changes` sets, as a `schema`."""
    values = current if isinstance(current, Mapping) else msgspec.structs.asdict(current)
    given = {name: value for name, value in msgspec.structs.asdict(changes).items() if value is not msgspec.UNSET}
    return schema(**{name: given.get(name, values[name]) for name in schema.__struct_fields__})
