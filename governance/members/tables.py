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
