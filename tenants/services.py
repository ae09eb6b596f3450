"""Services of the tenants package: every query is scoped to one tenant and every change to the
register is written to the audit log in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import asyncpg

from backend import db, domains
from backend.auth import Principal, hash_password, new_token, token_hash, verify_password
from backend.clock import local_today, now
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_
from tenants import rules
from tenants.tables import (
    ApiToken,
    AuditEvent,
    LoginSession,
    NumberSequence,
    Tenant,
    TenantLogin,
    TenantRole,
    User,
)

UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError)


@dataclass(frozen=True)
class TenantInfo:
    id: uuid.UUID
    slug: str
    name: str
    kind: str
    locale: str
    timezone: str
    currency: str
    member_categories: tuple[str, ...]
    share_price_cents: int
    qualifying_shares: int
    address: str = ""
    privacy_officer_name: str = ""
    privacy_officer_email: str = ""

    def today(self) -> dt.date:
        return local_today(self.timezone)


def _tenant_info(row: dict) -> TenantInfo:
    categories = row["member_categories"]
    if isinstance(categories, str):
        categories = json.loads(categories)
    return TenantInfo(**{**row, "member_categories": tuple(categories)})


_TENANT_COLUMNS = [getattr(Tenant, name) for name in TenantInfo.__dataclass_fields__]


async def tenant_by_slug(slug: str) -> TenantInfo | None:
    if not rules.is_valid_slug(slug):
        return None
    row = await Tenant.select(*_TENANT_COLUMNS).where(Tenant.slug == slug).first()
    return _tenant_info(row) if row else None


async def tenant_by_id(tenant_id: uuid.UUID) -> TenantInfo | None:
    row = await Tenant.select(*_TENANT_COLUMNS).where(Tenant.id == tenant_id).first()
    return _tenant_info(row) if row else None


async def list_tenants() -> list[TenantInfo]:
    return [_tenant_info(row) for row in await Tenant.select(*_TENANT_COLUMNS).order_by(Tenant.slug)]


async def tenant_ids() -> list[uuid.UUID]:
    return [tenant.id for tenant in await list_tenants()]


async def create_tenant(
    *,
    slug: str,
    name: str,
    kind: str,
    locale: str,
    timezone: str,
    currency: str,
    member_categories: list[str],
    share_price_cents: int = 1000,
    qualifying_shares: int = 1,
) -> TenantInfo:
    if not rules.is_valid_slug(slug):
        raise ValueError(f"a slug is lower-case letters, digits and inner hyphens, not {slug!r}")
    ZoneInfo(timezone)  # refuses an unknown time zone before anything is written
    unknown = set(member_categories) - {c.value for c in rules.MemberCategory}
    if unknown or not member_categories:
        raise ValueError(f"unknown member categories: {sorted(unknown)}")
    if await Tenant.exists().where(Tenant.slug == slug):
        raise ValueError(f"a tenant already has the slug {slug!r}")
    values = dict(
        id=uuid.uuid4(),
        slug=slug,
        name=name,
        kind=kind,
        locale=locale,
        timezone=timezone,
        currency=currency,
        member_categories=member_categories,
        share_price_cents=share_price_cents,
        qualifying_shares=qualifying_shares,
    )
    await Tenant.insert(Tenant(**values, created_at=now()))
    return _tenant_info(values)


# --- people, sessions, tokens ------------------------------------------------------------------


async def create_user(email: str, full_name: str, password: str, locale: str | None = None) -> uuid.UUID:
    email = rules.normalise_email(email)
    if await User.exists().where(User.email == email):
        raise ValueError(f"a user already has the e-mail {email}")
    user_id = uuid.uuid4()
    await User.insert(
        User(
            id=user_id,
            email=email,
            full_name=full_name,
            password_hash=await hash_password(password),
            locale=locale,
            is_active=True,
            created_at=now(),
        )
    )
    return user_id


async def user_by_email(email: str) -> dict | None:
    return await User.select().where(User.email == rules.normalise_email(email)).first()


async def grant_role(tenant: TenantInfo, user_id: uuid.UUID, role: str) -> None:
    exists = await TenantRole.exists().where(
        (TenantRole.tenant_id == tenant.id) & (TenantRole.user_id == user_id) & (TenantRole.role == role)
    )
    if not exists:
        await TenantRole.insert(TenantRole(tenant_id=tenant.id, id=uuid.uuid4(), user_id=user_id, role=role))


# A login the administrator deactivated in this organisation: its roles here open nothing.
_NOT_DEACTIVATED = "NOT EXISTS (SELECT 1 FROM tenant_login l WHERE l.tenant_id = {} AND l.user_id = %s AND l.deactivated_at IS NOT NULL)"


async def roles_of(tenant: TenantInfo, user_id: uuid.UUID) -> frozenset[str]:
    """The roles this person holds here and may use (none while their login is deactivated here)."""
    # db.fetch: asked on every signed-in request (no query built each time)
    rows = await db.fetch(
        TenantRole._meta.db, "SELECT role FROM tenant_role WHERE tenant_id = {} AND user_id = {} AND " + _NOT_DEACTIVATED % "tenant_role.user_id",
        tenant.id, user_id, tenant.id,
    )
    return frozenset(row["role"] for row in rows)


async def held_roles(tenant: TenantInfo, user_id: uuid.UUID) -> frozenset[str]:
    """The roles this person holds here, deactivated or not (what the administrator changes)."""
    rows = await TenantRole.select(TenantRole.role).where((TenantRole.tenant_id == tenant.id) & (TenantRole.user_id == user_id))
    return frozenset(row["role"] for row in rows)


async def emails_with_role(tenant: TenantInfo, role: str) -> list[str]:
    """The e-mail addresses of the active people holding `role` in the tenant (who to tell)."""
    holders = await TenantRole.select(TenantRole.user_id).where((TenantRole.tenant_id == tenant.id) & (TenantRole.role == role))
    if not holders:
        return []
    deactivated = await TenantLogin.select(TenantLogin.user_id).where((TenantLogin.tenant_id == tenant.id) & TenantLogin.deactivated_at.is_not_null())
    wanted = {row["user_id"] for row in holders} - {row["user_id"] for row in deactivated}
    if not wanted:
        return []
    users = await User.select(User.email).where(User.id.is_in(list(wanted)) & (User.is_active == True))  # noqa: E712
    return sorted(user["email"] for user in users)


async def authenticate(tenant: TenantInfo, email: str, password: str) -> uuid.UUID | None:
    """The user's id if the password is right and they hold a role in this tenant."""
    return (await authentication(tenant, email, password)).user_id


@dataclass(frozen=True)
class Authentication:
    user_id: uuid.UUID | None  # signed in
    deactivated: bool = False  # the password is right, but the administrator deactivated the login here


async def authentication(tenant: TenantInfo, email: str, password: str) -> Authentication:
    """Whether this address and password sign in to this tenant; when the password is right but
    the login is deactivated here, says so (to the person who knows the password only)."""
    user = await user_by_email(email)
    valid = await verify_password(user["password_hash"] if user else None, password)
    if not (valid and user["is_active"]):
        return Authentication(None)
    if await roles_of(tenant, user["id"]):
        return Authentication(user["id"])
    return Authentication(None, deactivated=bool(await held_roles(tenant, user["id"])))


async def open_session(user_id: uuid.UUID, lifetime: dt.timedelta) -> str:
    secret, hashed = new_token()
    moment = now()
    await LoginSession.delete().where((LoginSession.user_id == user_id) & (LoginSession.expires_at <= moment))
    await LoginSession.insert(
        LoginSession(id=uuid.uuid4(), user_id=user_id, token_hash=hashed, created_at=moment, expires_at=moment + lifetime)
    )
    return secret


async def close_session(secret: str) -> None:
    await LoginSession.delete().where(LoginSession.token_hash == token_hash(secret))


# The person and their roles here in one statement (one row per role; a NULL role for none): asked
# on every signed-in request, a ballot's among them (bench/votes_burst.py).
_USER_COLUMNS = "u.id, u.email, u.full_name, u.locale, r.role"
_ROLES = " LEFT JOIN tenant_role r ON r.tenant_id = {} AND r.user_id = u.id "


def _principal(rows: list[dict]) -> Principal | None:
    if not rows:
        return None
    user = rows[0]
    return Principal(user["id"], user["email"], user["full_name"], user["locale"], frozenset(row["role"] for row in rows if row["role"] is not None))


async def principal_for_session(tenant: TenantInfo, secret: str) -> Principal | None:
    rows = await db.fetch(
        LoginSession._meta.db,
        f"SELECT {_USER_COLUMNS} FROM login_session s JOIN app_user u ON u.id = s.user_id" + _ROLES
        + "WHERE s.token_hash = {} AND s.expires_at > {} AND u.is_active AND " + _NOT_DEACTIVATED % "u.id",
        tenant.id,
        token_hash(secret),
        now(),
        tenant.id,
    )
    return _principal(rows)


async def principal_for_token(tenant: TenantInfo, secret: str) -> Principal | None:
    rows = await db.fetch(
        ApiToken._meta.db,
        f"SELECT {_USER_COLUMNS} FROM api_token t JOIN app_user u ON u.id = t.user_id" + _ROLES
        + "WHERE t.tenant_id = {} AND t.token_hash = {} AND t.revoked_at IS NULL "
        "AND (t.expires_at IS NULL OR t.expires_at > {}) AND u.is_active "
        "AND (u.password_changed_at IS NULL OR t.created_at > u.password_changed_at) AND " + _NOT_DEACTIVATED % "u.id",
        tenant.id,
        tenant.id,
        token_hash(secret),
        now(),
        tenant.id,
    )
    return _principal(rows)


async def issue_token(tenant: TenantInfo, user_id: uuid.UUID, name: str, lifetime: dt.timedelta | None = None) -> tuple[str, dt.datetime | None]:
    secret, hashed = new_token()
    expires_at = now() + lifetime if lifetime else None
    await ApiToken.insert(
        ApiToken(
            tenant_id=tenant.id, id=uuid.uuid4(), user_id=user_id, name=name, token_hash=hashed,
            created_at=now(), expires_at=expires_at,
        )
    )
    await record(tenant, user_id, "api_token.issued", "user", user_id, {"name": name})
    return secret, expires_at


async def revoke_token(tenant: TenantInfo, secret: str) -> bool:
    revoked = await ApiToken.update({ApiToken.revoked_at: now()}).where(
        (ApiToken.tenant_id == tenant.id) & (ApiToken.token_hash == token_hash(secret)) & ApiToken.revoked_at.is_null()
    ).returning(ApiToken.id, ApiToken.user_id)
    for token in revoked:
        await record(tenant, token["user_id"], "api_token.revoked", "user", token["user_id"], {})
    return bool(revoked)


# --- the people of a tenant and their roles (the administrator's page) ---------------------------


async def people(tenant: TenantInfo, only: uuid.UUID | None = None) -> list[dict]:
    """Everyone who holds a role here, by name: their roles, where their login stands here
    (invited, active, deactivated: tenants.rules.login_status), their invitation, when they last
    signed in here. `only`: that one person."""
    rows = await TenantRole.raw(
        "SELECT u.id, u.email, u.full_name, u.is_active, r.role, l.invited_at, l.invitation_sent_at, l.invitations_sent, "
        "l.invitation_revoked_at, l.accepted_at, l.deactivated_at, "
        "COALESCE(l.last_sign_in_at, (SELECT MAX(s.created_at) FROM login_session s WHERE s.user_id = u.id)) AS last_sign_in "
        "FROM tenant_role r JOIN app_user u ON u.id = r.user_id "
        "LEFT JOIN tenant_login l ON l.tenant_id = r.tenant_id AND l.user_id = r.user_id "
        "WHERE r.tenant_id = {}" + (" AND r.user_id = {}" if only else "") + " ORDER BY u.full_name, u.email, r.role",
        tenant.id, *([only] if only else []),
    )
    found: dict = {}
    moment = now()
    for row in rows:
        if row["id"] not in found:
            moments = {name: _moment(row[name]) for name in ("invited_at", "invitation_sent_at", "invitation_revoked_at", "accepted_at", "deactivated_at", "last_sign_in")}
            status = rules.login_status(
                invited_at=moments["invited_at"], sent_at=moments["invitation_sent_at"], revoked_at=moments["invitation_revoked_at"],
                accepted_at=moments["accepted_at"], deactivated_at=moments["deactivated_at"], link_lifetime=rules.WELCOME_LINK_LIFETIME, moment=moment,
            )
            found[row["id"]] = {
                **{k: row[k] for k in ("id", "email", "full_name", "is_active")}, "roles": [], "status": status.value,
                "last_sign_in": moments["last_sign_in"], "invited_at": moments["invited_at"], "invitation_sent_at": moments["invitation_sent_at"],
                "invitation_expires_at": moments["invitation_sent_at"] + rules.WELCOME_LINK_LIFETIME if moments["invitation_sent_at"] and rules.is_pending_invitation(status) else None,
                "invitations_sent": row["invitations_sent"] or 0, "deactivated_at": moments["deactivated_at"],
            }
        found[row["id"]]["roles"].append(row["role"])
    return list(found.values())


async def standing(tenant: TenantInfo, user_id: uuid.UUID) -> dict | None:
    """One person of the organisation, as `people` gives them; None if they hold no role here."""
    return next(iter(await people(tenant, only=user_id)), None)


async def person(tenant: TenantInfo, user_id: uuid.UUID) -> dict:
    """One person of the organisation, as `people` gives them."""
    found = await standing(tenant, user_id)
    if found is None:
        raise NotFound(N_("No person of this organisation has this identifier."))
    return found


def _moment(value) -> dt.datetime | None:
    """A timestamp a raw query computed (SQLite gives its text)."""
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


async def update_tenant(tenant: TenantInfo, actor_id: uuid.UUID | None, changes: dict) -> TenantInfo:
    """Changes what the administrator sets of the organisation (name, address, language, time zone,
    member categories, share price, qualifying shares, privacy officer)."""
    try:
        ZoneInfo(changes["timezone"])
    except (KeyError, ValueError):
        raise Invalid(N_("Choose a time zone such as America/Montreal or Europe/Helsinki."), errors=[FieldError("timezone", N_("This time zone is unknown."))]) from None
    changes = {**changes, "member_categories": [c.value for c in rules.MemberCategory if c.value in changes["member_categories"]]}
    await Tenant.update({getattr(Tenant, name): value for name, value in changes.items()}).where(Tenant.id == tenant.id)
    await record(tenant, actor_id, "tenant.settings_changed", "tenant", tenant.id, changes)
    return await tenant_by_slug(tenant.slug)


def known_roles(roles: Iterable[str], *, at_least_one: bool = False) -> frozenset[str]:
    """These roles, if the organisation gives them all (backend.domains.roles)."""
    wanted = frozenset(roles)
    if wanted - set(domains.roles()):
        raise Invalid(N_("Choose among the roles the organisation gives."), errors=[FieldError("roles", N_("Choose among the roles the organisation gives."))])
    if at_least_one and not wanted:
        raise Invalid(N_("Choose at least one role."), errors=[FieldError("roles", N_("Choose at least one role."))])
    return wanted


async def set_roles(tenant: TenantInfo, actor_id: uuid.UUID | None, user_id: uuid.UUID, roles: frozenset[str]) -> None:
    """Gives this person exactly these roles here (none: they leave the organisation and may no
    longer sign in to it); the organisation always keeps an administrator."""
    current = await held_roles(tenant, user_id)
    if not current:
        raise NotFound(N_("No person of this organisation has this identifier."))
    if "administrator" in current - roles and await _only_administrator(tenant, user_id):
        raise Conflict(N_("The organisation keeps at least one administrator: give the role to someone else first."))
    mine = (TenantRole.tenant_id == tenant.id) & (TenantRole.user_id == user_id)
    if withdrawn := current - roles:
        await TenantRole.delete().where(mine & TenantRole.role.is_in(sorted(withdrawn)))
    for role in sorted(roles - current):
        await grant_role(tenant, user_id, role)
    await record(tenant, actor_id, "person.roles_changed", "user", user_id, {"granted": sorted(roles - current), "withdrawn": sorted(withdrawn)})


async def _only_administrator(tenant: TenantInfo, user_id: uuid.UUID) -> bool:
    """Whether this person is the organisation's last administrator whose login is not
    deactivated (on PostgreSQL the administrators' rows are locked first, so that two of them
    cannot withdraw or deactivate each other at once; the second statement then sees what the
    other did)."""
    if db.is_postgres(TenantRole._meta.db):
        await TenantRole.raw("SELECT user_id FROM tenant_role WHERE tenant_id = {} AND role = 'administrator' FOR UPDATE", tenant.id)
    rows = await TenantRole.raw(
        "SELECT user_id FROM tenant_role WHERE tenant_id = {} AND role = 'administrator' AND " + _NOT_DEACTIVATED % "tenant_role.user_id",
        tenant.id, tenant.id,
    )
    return {str(row["user_id"]) for row in rows} <= {str(user_id)}


# --- a login's standing here: deactivated or not, its invitation, its last sign-in ---------------


async def login_row(tenant: TenantInfo, user_id: uuid.UUID) -> None:
    """Makes this person's row of tenant_login here if it is not there yet (two requests at once
    make one)."""
    await TenantLogin.raw(
        "INSERT INTO tenant_login (tenant_id, id, user_id, invitations_sent) VALUES ({}, {}, {}, 0) ON CONFLICT (tenant_id, user_id) DO NOTHING",
        tenant.id, uuid.uuid4(), user_id,
    )


def _login_of(tenant: TenantInfo, user_id: uuid.UUID):
    return (TenantLogin.tenant_id == tenant.id) & (TenantLogin.user_id == user_id)


async def note_sign_in(tenant: TenantInfo, user_id: uuid.UUID) -> None:
    """Notes that this person signed in here (a session or a bearer token): their last sign-in,
    and their invitation accepted if it was still waiting."""
    moment = now()
    await login_row(tenant, user_id)
    await TenantLogin.update({TenantLogin.last_sign_in_at: moment}).where(_login_of(tenant, user_id))
    await TenantLogin.update({TenantLogin.accepted_at: moment}).where(
        _login_of(tenant, user_id) & TenantLogin.invited_at.is_not_null() & TenantLogin.accepted_at.is_null() & TenantLogin.invitation_revoked_at.is_null()
    )


async def deactivate(tenant: TenantInfo, actor_id: uuid.UUID | None, user_id: uuid.UUID) -> None:
    """Deactivates this person's login here: they can no longer sign in to the organisation, their
    sessions open here end, their bearer tokens here are revoked; their roles stay, for a
    reactivation. Their login elsewhere is not touched. The organisation keeps an administrator."""
    held = await held_roles(tenant, user_id)
    if not held:
        raise NotFound(N_("No person of this organisation has this identifier."))
    if "administrator" in held and await _only_administrator(tenant, user_id):
        raise Conflict(N_("The organisation keeps at least one administrator: give the role to someone else first."))
    await login_row(tenant, user_id)
    changed = await TenantLogin.update({TenantLogin.deactivated_at: now()}).where(_login_of(tenant, user_id) & TenantLogin.deactivated_at.is_null()).returning(TenantLogin.id)
    if not changed:
        raise Conflict(N_("This login is already deactivated."))
    await ApiToken.update({ApiToken.revoked_at: now()}).where((ApiToken.tenant_id == tenant.id) & (ApiToken.user_id == user_id) & ApiToken.revoked_at.is_null())
    await record(tenant, actor_id, "person.deactivated", "user", user_id, {"roles": sorted(held)})


async def reactivate(tenant: TenantInfo, actor_id: uuid.UUID | None, user_id: uuid.UUID) -> None:
    """Lets a deactivated person sign in here again, with the roles they held."""
    if not await held_roles(tenant, user_id):
        raise NotFound(N_("No person of this organisation has this identifier."))
    changed = await TenantLogin.update({TenantLogin.deactivated_at: None}).where(_login_of(tenant, user_id) & TenantLogin.deactivated_at.is_not_null()).returning(TenantLogin.id)
    if not changed:
        raise Conflict(N_("This login is not deactivated."))
    await record(tenant, actor_id, "person.reactivated", "user", user_id, {})


async def lock_address(email: str) -> None:
    """Holds, until the transaction ends, the right to make the login of this address (PostgreSQL;
    SQLite has one writer at a time): two invitations of one address at once make one login."""
    if db.is_postgres(User._meta.db):
        await db.fetch(User._meta.db, "SELECT pg_advisory_xact_lock(hashtext({}))", f"solidaire.login.{rules.normalise_email(email)}")


async def set_user_locale(user_id: uuid.UUID, locale: str) -> None:
    await User.update({User.locale: locale}).where(User.id == user_id)


# --- numbering and audit -----------------------------------------------------------------------


async def next_number(tenant: TenantInfo, name: str) -> int:
    """The next number of a gapless per-tenant sequence, taken in the caller's transaction: two
    concurrent callers queue on the counter's row, and a rollback gives the number back."""
    await NumberSequence.raw(
        "INSERT INTO number_sequence (tenant_id, id, name, last_value) VALUES ({}, {}, {}, 0) ON CONFLICT (tenant_id, name) DO NOTHING",
        tenant.id,
        uuid.uuid4(),
        name,
    )
    rows = await NumberSequence.raw(
        "UPDATE number_sequence SET last_value = last_value + 1 WHERE tenant_id = {} AND name = {} RETURNING last_value",
        tenant.id,
        name,
    )
    return rows[0]["last_value"]


# The counter of each tenant's audit chain (number_sequence): its row is the chain's lock.
AUDIT_CHAIN = "audit_event.chain"


async def record(
    tenant: TenantInfo, actor: uuid.UUID | None, action: str, object_type: str, object_id: uuid.UUID | None, details: dict
) -> None:
    """Appends an event to the tenant's audit log, in the caller's transaction, as the next link of
    the tenant's hash chain. The place in the chain is taken from the tenant's counter, whose row
    stays locked until the transaction ends (PostgreSQL; SQLite has one writer at a time): two
    requests of one tenant chain one after the other, and a rollback gives the place back."""
    position = await next_number(tenant, AUDIT_CHAIN)
    previous = rules.CHAIN_START
    if position > 1:
        rows = await AuditEvent.raw("SELECT content_hash FROM audit_event WHERE tenant_id = {} AND chain_position = {}", tenant.id, position - 1)
        previous = rows[0]["content_hash"] if rows else previous  # a row removed: `audit verify` says so
    row = dict(
        tenant_id=tenant.id,
        id=uuid.uuid4(),
        occurred_at=now(),
        actor_user_id=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=rules.canonical_json(details),  # dates and identifiers as text
        chain_position=position,
        previous_hash=previous,
    )
    await AuditEvent.insert(AuditEvent(**row, content_hash=rules.audit_content_hash(previous, row)))


@dataclass(frozen=True)
class ChainReport:
    chained: int  # rows in the chain, checked
    unchained: int  # rows written before the chain began (migration tenants/0005_audit_chain.sql)
    head: str  # the hash of the last row (what to note down elsewhere to detect a rewritten tail)
    broken: rules.BrokenLink | None


async def verify_audit_chain(tenant: TenantInfo) -> ChainReport:
    """Recomputes the tenant's audit chain from its rows: the first broken link, if any, including
    rows missing at the end (the counter went further than the last row)."""
    rows = await AuditEvent.select().where(AuditEvent.tenant_id == tenant.id).order_by(AuditEvent.chain_position)
    chained = [row for row in rows if row["chain_position"] is not None]
    broken = rules.first_broken_link(chained)
    counter = await NumberSequence.select(NumberSequence.last_value).where(NumberSequence.tenant_id == tenant.id, NumberSequence.name == AUDIT_CHAIN).first()
    last = chained[-1]["chain_position"] if chained else 0
    if broken is None and counter is not None and counter["last_value"] > last:
        broken = rules.BrokenLink(last + 1, None, f"rows {last + 1} to {counter['last_value']} are missing (the chain's counter is at {counter['last_value']})")
    head = chained[-1]["content_hash"] if chained else rules.CHAIN_START
    return ChainReport(len(chained), len(rows) - len(chained), head, broken)


async def audit_events(tenant: TenantInfo, object_id: uuid.UUID | None = None, limit: int = 100) -> list[dict]:
    query = AuditEvent.select().where(AuditEvent.tenant_id == tenant.id)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    rows = await query.order_by(AuditEvent.occurred_at, ascending=False).limit(limit)
    for row in rows:
        if isinstance(row["details"], str):
            row["details"] = json.loads(row["details"])
    return rows


async def actor_names(rows: list[dict]) -> dict[uuid.UUID, str]:
    """The names of the people who did what these audit rows record."""
    ids = {row["actor_user_id"] for row in rows if row["actor_user_id"] is not None}
    if not ids:
        return {}
    return {person["id"]: person["full_name"] for person in await User.select(User.id, User.full_name).where(User.id.is_in(list(ids)))}
