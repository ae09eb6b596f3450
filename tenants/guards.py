"""The roles an organisation gives its people (what each may do is said by the domains' guards).

Each domain declares the roles it brings in its own `guards.py` (`ROLES`); `backend.domains.roles()`
lists them all, in the order of the domains."""

from backend.i18n import N_

ROLES = {"administrator": N_("Administrator"), "secretary": N_("Secretary"), "treasurer": N_("Treasurer"), "member": N_("Member")}
