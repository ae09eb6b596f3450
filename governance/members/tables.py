"""Piccolo tables of the member register, mirroring migrations/0001_register.sql."""

from piccolo.columns import UUID, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class Member(Table, tablename="member"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    number = Integer()
    user_id = UUID(null=True, default=None)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    organisation_name = Varchar(length=200, null=True, default=None)  # a legal person's; first and last name: its representative
    representative_role = Varchar(length=100, null=True, default=None)
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
    name_key = Text()  # where the name sorts for French (and English) readers: rules.name_key
    name_key_fi = Text()  # and for Finnish readers
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


class ShareOperation(Table, tablename="share_operation"):
    """An operation of the share ledger (append-only), numbered per tenant."""

    tenant_id = UUID()
    id = UUID(primary_key=True)
    number = Integer()
    kind = Varchar(length=20)
    occurred_on = Date()
    ground = Varchar(length=20, null=True, default=None)
    decision = Varchar(length=100, null=True, default=None)
    paid_on = Date(null=True, default=None)
    reverses_id = UUID(null=True, default=None)
    invoice_id = UUID(null=True, default=None)
    reason = Text()
    recorded_by = UUID(null=True, default=None)
    recorded_at = Timestamptz()


class ShareMovement(Table, tablename="share_movement"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    operation_id = UUID()
    member_id = UUID()
    share_kind = Varchar(length=20)
    subscribed = Integer()
    paid = Integer()


class ShareSetting(Table, tablename="share_setting"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    preferred_price_cents = Integer()
    signatories = Text()


class ShareRequest(Table, tablename="share_request"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    member_id = UUID()
    kind = Varchar(length=20)
    share_kind = Varchar(length=20)
    shares = Integer()
    note = Text()
    status = Varchar(length=20)
    answer = Text(null=True, default=None)
    operation_id = UUID(null=True, default=None)
    asked_at = Timestamptz()
    decided_by = UUID(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)


class MemberEntryOpening(Table, tablename="member_entry_opening"):
    """Who opened a member's entry (Law 25): a person other than the member, and what they opened."""

    tenant_id = UUID()
    id = UUID(primary_key=True)
    member_id = UUID()
    user_id = UUID(null=True, default=None)
    opened = Varchar(length=20)
    opened_at = Timestamptz()
