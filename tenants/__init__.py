"""Organisations (tenants) and their people: logins, roles, sessions, API tokens, password links,
the audit log and the per-tenant counters."""
