"""Who may keep and read the member register (the roles are the organisation's: tenants/guards.py)."""

ROLES: dict[str, str] = {}
REGISTER_KEEPERS = ("administrator", "secretary")
REGISTER_READERS = ("administrator", "secretary", "treasurer")
