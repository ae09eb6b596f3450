"""Piccolo tables of the tenants package, mirroring migrations/0001_register.sql."""

from piccolo.columns import (
    JSONB,
    UUID,
    Boolean,
    Date,
    Integer,
    Text,
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


class Member(Table, tablename="member"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    number = Integer()
    user_id = UUID(null=True, default=None)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=40, null=True, default=None)
    street = Varchar(length=200)
    city = Varchar(length=100)
    region = Varchar(length=100)
    postal_code = Varchar(length=20)
    country = Varchar(length=2)
    language = Varchar(length=10)
    category = Varchar(length=30)
    status = Varchar(length=20)
    status_since = Date()
    shares_subscribed = Integer()
    shares_paid = Integer()
    admitted_on = Date(null=True, default=None)
    admission_resolution = Varchar(length=100, null=True, default=None)
    consent_contact = Boolean()
    consent_publish_name = Boolean()
    consent_photos = Boolean()
    consent_research = Boolean()
    search_text = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class MemberStatusChange(Table, tablename="member_status_change"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    member_id = UUID()
    from_status = Varchar(length=20, null=True, default=None)
    to_status = Varchar(length=20)
    effective_on = Date()
    reason = Text()
    recorded_by = UUID(null=True, default=None)
    recorded_at = Timestamptz()


class AuditEvent(Table, tablename="audit_event"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    occurred_at = Timestamptz()
    actor_user_id = UUID(null=True, default=None)
    action = Varchar(length=60)
    object_type = Varchar(length=40)
    object_id = UUID(null=True, default=None)
    details = JSONB()
