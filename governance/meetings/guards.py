"""Who runs the meetings. The meetings bring no role of their own: the secretary and the
administrator are the organisation's (tenants/guards.py)."""

ROLES: dict[str, str] = {}
SECRETARIES = ("secretary", "administrator")
