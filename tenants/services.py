"""Services of the tenants package: every query is scoped to one tenant and every change to the
register is written to the audit log in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from backend.auth import Principal, hash_password, new_token, token_hash, verify_password
from backend.clock import local_today, now
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from tenants import register_documents, rules
from tenants.labels import label
from tenants.schemas import Admission, ContactChanges, ImportReport, ImportRowError, MemberChanges, StatusChangeRequest
from tenants.tables import (
    ApiToken,
    AuditEvent,
    LoginSession,
    Member,
    MemberStatusChange,
    NumberSequence,
    Tenant,
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


async def roles_of(tenant: TenantInfo, user_id: uuid.UUID) -> frozenset[str]:
    rows = await TenantRole.select(TenantRole.role).where(
        (TenantRole.tenant_id == tenant.id) & (TenantRole.user_id == user_id)
    )
    return frozenset(row["role"] for row in rows)


async def emails_with_role(tenant: TenantInfo, role: str) -> list[str]:
    """The e-mail addresses of the active people holding `role` in the tenant (who to tell)."""
    holders = await TenantRole.select(TenantRole.user_id).where((TenantRole.tenant_id == tenant.id) & (TenantRole.role == role))
    if not holders:
        return []
    users = await User.select(User.email).where(User.id.is_in([row["user_id"] for row in holders]) & (User.is_active == True))  # noqa: E712
    return sorted(user["email"] for user in users)


async def authenticate(tenant: TenantInfo, email: str, password: str) -> uuid.UUID | None:
    """The user's id if the password is right and they hold a role in this tenant."""
    user = await user_by_email(email)
    valid = await verify_password(user["password_hash"] if user else None, password)
    if not (valid and user["is_active"]):
        return None
    return user["id"] if await roles_of(tenant, user["id"]) else None


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


_USER_COLUMNS = "u.id, u.email, u.full_name, u.locale"


async def _principal(tenant: TenantInfo, rows: list[dict]) -> Principal | None:
    if not rows:
        return None
    user = rows[0]
    return Principal(user["id"], user["email"], user["full_name"], user["locale"], await roles_of(tenant, user["id"]))


async def principal_for_session(tenant: TenantInfo, secret: str) -> Principal | None:
    rows = await LoginSession.raw(
        f"SELECT {_USER_COLUMNS} FROM login_session s JOIN app_user u ON u.id = s.user_id "
        "WHERE s.token_hash = {} AND s.expires_at > {} AND u.is_active",
        token_hash(secret),
        now(),
    )
    return await _principal(tenant, rows)


async def principal_for_token(tenant: TenantInfo, secret: str) -> Principal | None:
    rows = await ApiToken.raw(
        f"SELECT {_USER_COLUMNS} FROM api_token t JOIN app_user u ON u.id = t.user_id "
        "WHERE t.tenant_id = {} AND t.token_hash = {} AND t.revoked_at IS NULL "
        "AND (t.expires_at IS NULL OR t.expires_at > {}) AND u.is_active "
        "AND (u.password_changed_at IS NULL OR t.created_at > u.password_changed_at)",
        tenant.id,
        token_hash(secret),
        now(),
    )
    return await _principal(tenant, rows)


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


async def record(
    tenant: TenantInfo, actor: uuid.UUID | None, action: str, object_type: str, object_id: uuid.UUID | None, details: dict
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            tenant_id=tenant.id,
            id=uuid.uuid4(),
            occurred_at=now(),
            actor_user_id=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,  # dates and identifiers are written as text (Piccolo's JSON encoder)
        )
    )


async def audit_events(tenant: TenantInfo, object_id: uuid.UUID | None = None, limit: int = 100) -> list[dict]:
    query = AuditEvent.select().where(AuditEvent.tenant_id == tenant.id)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    rows = await query.order_by(AuditEvent.occurred_at, ascending=False).limit(limit)
    for row in rows:
        if isinstance(row["details"], str):
            row["details"] = json.loads(row["details"])
    return rows


# --- the member register -----------------------------------------------------------------------

MEMBER_NUMBERS = "member"
PUBLIC_MEMBER_COLUMNS = [column for column in Member._meta.columns if column._meta.name not in {"tenant_id", "user_id", "search_text", "created_at", "updated_at"}]


class ImportRefused(Invalid):
    """An import with bad rows: nothing is imported, and every bad row is reported."""

    def __init__(self, report: ImportReport):
        super().__init__(N_("The file has errors: nothing was imported."))
        self.report = report

    def body(self) -> dict:
        return {**super().body(), "rows": self.report.rows, "errors": [msgspec.structs.asdict(e) for e in self.report.errors]}


class MemberRegister:
    """The register of one tenant, as kept by one person (the actor)."""

    def __init__(self, tenant: TenantInfo, actor: Principal | None):
        self.tenant = tenant
        self.actor_id = actor.user_id if actor else None

    def _mine(self):
        return Member.tenant_id == self.tenant.id

    async def admit(self, admission: Admission, user_id: uuid.UUID | None = None) -> dict:
        self._check_category(admission.category)
        values = msgspec.structs.asdict(admission)
        values["email"] = rules.normalise_email(values["email"])
        self._check_shares(values["shares_subscribed"], values["shares_paid"], admission.status)
        await self._check_email_free(values["email"])
        today = self.tenant.today()
        if admission.status == rules.MemberStatus.ACTIVE and values["admitted_on"] is None:
            values["admitted_on"] = today
        member_id, moment = uuid.uuid4(), now()
        number = await next_number(self.tenant, MEMBER_NUMBERS)
        values.update(
            tenant_id=self.tenant.id, id=member_id, number=number, user_id=user_id,
            status_since=values["admitted_on"] or today, created_at=moment, updated_at=moment,
        )
        values["search_text"] = self._search_text(values)
        await self._write(Member.insert(Member(**values)))
        await self._log_status(member_id, None, admission.status, values["status_since"], N_("Entered in the register"))
        await record(self.tenant, self.actor_id, "member.admitted", "member", member_id, {"number": number, "category": admission.category, "status": admission.status})
        return await self.get(member_id)

    async def get(self, member_id: uuid.UUID) -> dict:
        row = await Member.select(*PUBLIC_MEMBER_COLUMNS).where(self._mine() & (Member.id == member_id)).first()
        if row is None:
            raise NotFound(N_("No member of this organisation has this identifier."))
        return row

    async def find(self, *, q: str | None = None, category: str | None = None, status: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[dict], int]:
        condition = self._mine()
        if category:
            condition &= Member.category == category
        if status:
            condition &= Member.status == status
        if q and (term := rules.search_key(q).replace("%", "").replace("_", "").replace("\\", "").strip()):
            condition &= Member.search_text.like(f"%{term}%")
        total = await Member.count().where(condition)
        rows = await (
            Member.select(*PUBLIC_MEMBER_COLUMNS)
            .where(condition)
            .order_by(Member.last_name, Member.first_name, Member.number)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        return rows, total

    async def correct(self, member_id: uuid.UUID, changes: MemberChanges | ContactChanges) -> dict:
        current = await self.get(member_id)
        values = {k: v for k, v in msgspec.structs.asdict(changes).items() if v is not msgspec.UNSET}
        if "email" in values:
            values["email"] = rules.normalise_email(values["email"])
            if values["email"] != current["email"]:
                await self._check_email_free(values["email"])
        if "category" in values:
            self._check_category(values["category"])
        subscribed = values.get("shares_subscribed", current["shares_subscribed"])
        self._check_paid_within_subscribed(subscribed, values.get("shares_paid", current["shares_paid"]))
        if "shares_subscribed" in values:  # (a payment recorded is never refused for a qualifying number raised since)
            self._check_qualifying(subscribed, current["status"])
        changed = {k: v for k, v in values.items() if v != current[k]}
        if not changed:
            return current
        merged = {**current, **changed}
        await self._write(
            Member.update({**changed, "search_text": self._search_text(merged), "updated_at": now()}).where(self._mine() & (Member.id == member_id))
        )
        await record(self.tenant, self.actor_id, "member.corrected", "member", member_id, {k: [current[k], v] for k, v in changed.items()})
        return await self.get(member_id)

    async def change_status(self, member_id: uuid.UUID, request: StatusChangeRequest) -> dict:
        current = await self.get(member_id)
        source, target = rules.MemberStatus(current["status"]), rules.MemberStatus(request.status)
        if not rules.can_change_status(source, target):
            raise Conflict(N_("A member cannot go from %(source)s to %(target)s."), errors=[FieldError("status", N_("This change of status is not allowed."))], source=label("status", source), target=label("status", target))
        if request.effective_on > self.tenant.today():
            raise Invalid(N_("A change of status is recorded once it has taken effect."), errors=[FieldError("effective_on", N_("Enter a date no later than today."))])
        if request.effective_on < current["status_since"]:
            raise Invalid(N_("The change cannot take effect before the current status began."), errors=[FieldError("effective_on", N_("Enter a date on or after %(date)s."), {"date": current["status_since"].isoformat()})])
        if target == rules.MemberStatus.ACTIVE and source == rules.MemberStatus.APPLICANT:
            self._check_shares(current["shares_subscribed"], current["shares_paid"], target)
        values = {Member.status: target.value, Member.status_since: request.effective_on, Member.updated_at: now()}
        if source == rules.MemberStatus.APPLICANT and target == rules.MemberStatus.ACTIVE:
            values[Member.admitted_on] = request.effective_on
        await Member.update(values).where(self._mine() & (Member.id == member_id))
        await self._log_status(member_id, source, target, request.effective_on, request.reason)
        await record(self.tenant, self.actor_id, "member.status_changed", "member", member_id, {"from": source.value, "to": target.value, "effective_on": request.effective_on, "reason": request.reason})
        return await self.get(member_id)

    async def history(self, member_id: uuid.UUID) -> list[dict]:
        await self.get(member_id)
        return await (
            MemberStatusChange.select(
                MemberStatusChange.from_status, MemberStatusChange.to_status, MemberStatusChange.effective_on,
                MemberStatusChange.reason, MemberStatusChange.recorded_at,
            )
            .where((MemberStatusChange.tenant_id == self.tenant.id) & (MemberStatusChange.member_id == member_id))
            .order_by(MemberStatusChange.recorded_at)
        )

    async def link_login(self, number: int, user_id: uuid.UUID) -> dict:
        """Links a login to the entry with this member number, so the member can sign in to it."""
        row = await Member.select(Member.id, Member.user_id).where(self._mine() & (Member.number == number)).first()
        if row is None:
            raise NotFound(N_("No member of this organisation has this number."))
        if row["user_id"] not in (None, user_id) or await self.of_user(user_id):
            raise Conflict(N_("This entry or this login is already linked to another."))
        await Member.update({Member.user_id: user_id, Member.updated_at: now()}).where(self._mine() & (Member.id == row["id"]))
        await record(self.tenant, self.actor_id, "member.login_linked", "member", row["id"], {"user_id": user_id})
        return await self.get(row["id"])

    async def of_user(self, user_id: uuid.UUID) -> dict | None:
        row = await Member.select(Member.id).where(self._mine() & (Member.user_id == user_id)).first()
        return await self.get(row["id"]) if row else None

    async def counts(self) -> dict[tuple[str, str], int]:
        rows = await Member.raw(
            "SELECT status, category, COUNT(*) AS n FROM member WHERE tenant_id = {} GROUP BY status, category",
            self.tenant.id,
        )
        return {(row["status"], row["category"]): row["n"] for row in rows}

    async def all_in_order(self) -> list[dict]:
        return await Member.select(*PUBLIC_MEMBER_COLUMNS).where(self._mine()).order_by(Member.number)

    async def import_csv(self, text: str, *, dry_run: bool) -> ImportReport:
        """Imports every row or none: a dry run, or any bad row, writes nothing."""
        rows, admissions, errors = register_documents.parse_import(text)
        errors += await self._import_conflicts(admissions)
        if errors:
            raise ImportRefused(ImportReport(dry_run=dry_run, rows=rows, imported=0, errors=sorted(errors, key=lambda e: e.line)))
        if dry_run:
            return ImportReport(dry_run=True, rows=rows, imported=0, errors=[])
        for _, admission in admissions:
            await self.admit(admission)
        return ImportReport(dry_run=False, rows=rows, imported=len(admissions), errors=[])

    async def _import_conflicts(self, admissions: list[tuple[int, Admission]]) -> list[ImportRowError]:
        """What admitting each row would refuse: category, shares, an e-mail used twice."""
        errors, seen = [], set()
        taken = {row["email"] for row in await Member.select(Member.email).where(self._mine() & Member.email.is_not_null())}
        for line, admission in admissions:
            try:
                self._check_category(admission.category)
                self._check_shares(admission.shares_subscribed, admission.shares_paid, admission.status)
            except Invalid as problem:
                errors += [ImportRowError(line=line, field=e.field, message=e.render()["message"]) for e in problem.errors]
            email = rules.normalise_email(admission.email)
            if email and (email in taken or email in seen):
                errors.append(ImportRowError(line=line, field="email", message=gettext(N_("Already used by another member."))))
            if email:
                seen.add(email)
        return errors

    # --- checks shared by admission, correction and import ---

    def _check_category(self, category: str) -> None:
        if category not in self.tenant.member_categories:
            raise Invalid(N_("This organisation has no such member category."), errors=[FieldError("category", N_("Choose one of: %(allowed)s."), {"allowed": ", ".join(label("category", c) for c in self.tenant.member_categories)})])

    def _check_shares(self, subscribed: int, paid: int, status: str) -> None:
        self._check_paid_within_subscribed(subscribed, paid)
        self._check_qualifying(subscribed, status)

    def _check_paid_within_subscribed(self, subscribed: int, paid: int) -> None:
        if paid > subscribed:
            raise Invalid(N_("More shares are paid than subscribed."), errors=[FieldError("shares_paid", N_("Cannot exceed the shares subscribed."))])

    def _check_qualifying(self, subscribed: int, status: str) -> None:
        if status == rules.MemberStatus.ACTIVE and not rules.holds_qualifying_shares(subscribed, self.tenant.qualifying_shares):
            raise Invalid(N_("An active member must subscribe the qualifying shares."), errors=[FieldError("shares_subscribed", N_("At least %(n)s share(s)."), {"n": self.tenant.qualifying_shares})])

    async def _check_email_free(self, email: str | None) -> None:
        if email and await Member.exists().where(self._mine() & (Member.email == email)):
            raise Conflict(N_("Another member already has this e-mail address."), errors=[FieldError("email", N_("Already used by another member."))])

    async def _write(self, query) -> None:
        """Runs an insert or update; the database's unique indexes catch what a race let through."""
        try:
            await query
        except UNIQUE_VIOLATIONS as error:
            raise Conflict(N_("Another member already has this e-mail address.")) from error

    async def _log_status(self, member_id, source, target, effective_on, reason) -> None:
        await MemberStatusChange.insert(
            MemberStatusChange(
                tenant_id=self.tenant.id, id=uuid.uuid4(), member_id=member_id,
                from_status=source.value if source else None, to_status=str(target), effective_on=effective_on,
                reason=reason, recorded_by=self.actor_id, recorded_at=now(),
            )
        )

    @staticmethod
    def _search_text(values: dict) -> str:
        return rules.search_key(values["first_name"], values["last_name"], values["email"], values["number"])
