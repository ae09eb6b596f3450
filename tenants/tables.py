"""Piccolo tables of the tenants package, mirroring migrations/0001_register.sql."""

from piccolo.columns import (
    JSONB,
    UUID,
    Boolean,
    Integer,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Tenant(Table, tablename="tenant"):
    id = UUID(primary_key=True)
    slug = Varchar(length=63)
    name = Varchar(length=200)
    kind = Varchar(length=30)
    locale = Varchar(length=10)
    timezone = Varchar(length=64)
    currency = Varchar(length=3)
    member_categories = JSONB()
    share_price_cents = Integer()
    qualifying_shares = Integer()
    address = Varchar(length=500, default="")
    privacy_officer_name = Varchar(length=200, default="")
    privacy_officer_email = Varchar(length=254, default="")
    created_at = Timestamptz()


class User(Table, tablename="app_user"):
    id = UUID(primary_key=True)
    email = Varchar(length=254)
    full_name = Varchar(length=200)
    password_hash = Varchar(length=200, secret=True)
    locale = Varchar(length=10, null=True)
    is_active = Boolean()
    created_at = Timestamptz()
    password_changed_at = Timestamptz(null=True, default=None)


class LoginSession(Table, tablename="login_session"):
    id = UUID(primary_key=True)
    user_id = UUID()
    token_hash = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()


class PasswordLink(Table, tablename="password_link"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    user_id = UUID()
    token_hash = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class TenantLogin(Table, tablename="tenant_login"):
    """A login's standing in one organisation (migrations/0007_tenant_logins.sql)."""

    tenant_id = UUID()
    id = UUID(primary_key=True)
    user_id = UUID()
    invited_at = Timestamptz(null=True, default=None)
    invited_by = UUID(null=True, default=None)
    invitation_sent_at = Timestamptz(null=True, default=None)
    invitations_sent = Integer(default=0)
    invitation_revoked_at = Timestamptz(null=True, default=None)
    accepted_at = Timestamptz(null=True, default=None)
    deactivated_at = Timestamptz(null=True, default=None)
    last_sign_in_at = Timestamptz(null=True, default=None)


class TenantRole(Table, tablename="tenant_role"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    user_id = UUID()
    role = Varchar(length=30)


class ApiToken(Table, tablename="api_token"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    user_id = UUID()
    name = Varchar(length=100)
    token_hash = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class NumberSequence(Table, tablename="number_sequence"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    name = Varchar(length=60)
    last_value = Integer()


class AuditEvent(Table, tablename="audit_event"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    occurred_at = Timestamptz()
    actor_user_id = UUID(null=True, default=None)
    action = Varchar(length=60)
    object_type = Varchar(length=40)
    object_id = UUID(null=True, default=None)
    details = JSONB()
    # Its link in the tenant's hash chain (tenants.rules.audit_content_hash); NULL on the rows
    # written before the chain began.
    chain_position = Integer(null=True, default=None)
    previous_hash = Varchar(length=64, null=True, default=None)
    content_hash = Varchar(length=64, null=True, default=None)
