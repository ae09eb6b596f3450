"""What a page says after an action: the action redirects with ?done=<what> and the page shows its
message for it (a page's own table of messages: an unknown word shows nothing)."""

from __future__ import annotations

from litestar import Request


def done(request: Request, said: dict[str, str]) -> str | None:
    return said.get(request.query_params.get("done", ""))
