"""Organisations (tenants), people (users), their roles, and the member register."""
