"""The roles an organisation gives its people, and who may keep and read the member register.

Each domain declares the roles it brings in its own `guards.py` (`ROLES`); `backend.domains.roles()`
lists them all, in the order of the domains."""

ROLES = ("administrator", "secretary", "treasurer", "member")
REGISTER_KEEPERS = ("administrator", "secretary")
REGISTER_READERS = ("administrator", "secretary", "treasurer")
