"""Translated names of stored codes, one place for pages, PDFs and messages: the languages here;
each domain adds its own kinds to `LABELS` (the member register: governance/members/labels.py).
The names are message ids, translated when shown; `label()` is a global of the templates."""

from __future__ import annotations

from backend import web
from backend.i18n import N_, label_of

LABELS: dict[str, dict[str, str]] = {
    "language": {"fr_CA": N_("French"), "en_CA": N_("English"), "fi": N_("Finnish")},
}


# What each action of the audit log is, in words: the organisation's own here; each domain adds
# its actions from its labels module (AUDIT_ACTIONS.update), since it is the one that records them.
AUDIT_ACTIONS: dict[str, str] = {
    "tenant.settings_changed": N_("Organisation settings changed"),
    "person.invited": N_("Person invited"),
    "person.invitation_resent": N_("Invitation sent again"),
    "person.invitation_revoked": N_("Invitation revoked"),
    "person.roles_changed": N_("Roles changed"),
    "person.deactivated": N_("Login deactivated"),
    "person.reactivated": N_("Login reactivated"),
    "password.chosen": N_("Password chosen"),
    "api_token.issued": N_("Access token for a script issued"),
    "api_token.revoked": N_("Access token for a script revoked"),
}


def audit_action(code: str) -> str | None:
    """The action's name (a message id), or None for one no domain has named."""
    return AUDIT_ACTIONS.get(code)


def label(kind: str, code: str | None) -> str:
    return label_of(LABELS, kind, code)


web.environment.globals["label"] = label
web.environment.globals["audit_action"] = audit_action
