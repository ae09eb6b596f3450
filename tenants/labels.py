"""Translated names of stored codes, one place for pages, PDFs and messages: the languages here;
each domain adds its own kinds to `LABELS` (the member register: governance/members/labels.py).
The names are message ids, translated when shown; `label()` is a global of the templates."""

from __future__ import annotations

from backend import web
from backend.i18n import N_, label_of

LABELS: dict[str, dict[str, str]] = {
    "language": {"fr_CA": N_("French"), "en_CA": N_("English"), "fi": N_("Finnish")},
}


def label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


web.environment.globals["label"] = label
