"""Services of the partner program: the policy, applications and the recruitment pipeline, the
partners' own data and consents, and who opened a partner's file. Every query is scoped to one
tenant; every change is written to the audit log in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid

import msgspec

from backend import mail
from backend.auth import Principal
from backend.clock import now
from backend.context import Context, TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from governance.partners import rules
from governance.partners.rules import Policy, Stage
from governance.partners.schemas import Application, ConsentChanges, InterviewNotes, PolicyIn, StageMove
from governance.partners.tables import Partner, PartnerFileAccess, PartnerPolicy, PartnerStageChange
from tenants import passwords
from tenants import services as tenants
from tenants.rules import normalise_email
from tenants.services import TenantInfo

PARTNER_NUMBERS = "partner"
_JSON_COLUMNS = ("experience_areas", "languages", "availability", "contributions")


def as_uuid(value: object) -> uuid.UUID:
    """An identifier as a UUID, whichever way the database returned it (SQLite's raw queries: text)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def decoded(row: dict) -> dict:
    """A row with its JSON columns as values (SQLite returns them as text)."""
    for key in (*_JSON_COLUMNS, "receipt_types", "receipt_required_kinds", "frozen"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


# --- the policy --------------------------------------------------------------------------------


async def policy(tenant: TenantInfo) -> Policy:
    row = await PartnerPolicy.select().where(PartnerPolicy.tenant_id == tenant.id).first()
    if row is None:
        return Policy()
    row = decoded(row)
    fields = {name: row[name] for name in Policy.__dataclass_fields__}
    return Policy(**{**fields, "receipt_types": tuple(fields["receipt_types"]), "receipt_required_kinds": tuple(fields["receipt_required_kinds"])})


async def set_policy(tenant: TenantInfo, actor: Principal, values: PolicyIn) -> Policy:
    new = Policy(**{**msgspec.structs.asdict(values), "receipt_types": tuple(values.receipt_types), "receipt_required_kinds": tuple(values.receipt_required_kinds)})
    if problems := rules.policy_problems(new):
        raise Invalid(N_("Some values are not valid."), errors=[FieldError(p.field, p.message) for p in problems])
    columns = {**msgspec.structs.asdict(values), "updated_at": now()}
    if await PartnerPolicy.exists().where(PartnerPolicy.tenant_id == tenant.id):
        await PartnerPolicy.update(columns).where(PartnerPolicy.tenant_id == tenant.id)
    else:
        await PartnerPolicy.insert(PartnerPolicy(tenant_id=tenant.id, id=uuid.uuid4(), **columns))
    await tenants.record(tenant, actor.user_id, "partner_policy.set", "partner_policy", None, msgspec.structs.asdict(values))
    return new


def policy_out(value: Policy) -> dict:
    return {**value.__dict__, "receipt_types": list(value.receipt_types), "receipt_required_kinds": list(value.receipt_required_kinds)}


# --- applications and the pipeline ---------------------------------------------------------------


async def apply(tenant: TenantInfo, application: Application, *, secret: str) -> dict:
    """A public application: checked against robots, then received with its call deadline."""
    rules.check_form_token(secret, tenant.slug, application.form_token, application.website, now())
    if not application.consent_contact:
        raise Invalid(N_("We need your consent to contact you about your application."), errors=[FieldError("consent_contact", N_("Tick this box so that we can call you."))])
    today = tenant.today()
    number = await tenants.next_number(tenant, PARTNER_NUMBERS)
    values = msgspec.structs.asdict(application)
    for key in ("form_token", "website"):
        values.pop(key)
    partner_id, moment = uuid.uuid4(), now()
    await Partner.insert(
        Partner(
            tenant_id=tenant.id, id=partner_id, number=number, stage=Stage.RECEIVED.value,
            **{**values, "email": normalise_email(values["email"])},
            consent_public_name=False, consent_photos=False, consent_research=False,
            received_on=today, interview_notes="", stage_reason="", last_activity_on=today,
            created_at=moment, updated_at=moment,
        )
    )
    await _log_stage(tenant, partner_id, None, Stage.RECEIVED, "", None)
    await tenants.record(tenant, None, "partner.applied", "partner", partner_id, {"number": number, "kind": application.kind})
    deadline = rules.call_deadline(today, (await policy(tenant)).call_deadline_days)
    return {"id": partner_id, "number": number, "call_by": deadline}


class PartnerProgram(TenantService):
    """The partners of one tenant, as seen by one person (the actor)."""

    def __init__(self, context: Context):
        """The context's settings address the "choose your password" link of a new partner's login
        (None: no link is e-mailed, as in the demo)."""
        super().__init__(context)
        self.settings = context.settings

    def _mine(self):
        return Partner.tenant_id == self.tenant.id

    async def _row(self, partner_id: uuid.UUID) -> dict:
        row = await Partner.select().where(self._mine() & (Partner.id == partner_id)).first()
        if row is None:
            raise NotFound(N_("No partner of this organisation has this identifier."))
        return decoded(row)

    async def open_file(self, partner_id: uuid.UUID, purpose: str = "view") -> dict:
        """A partner's file, and a line in its access log (who opened it, when, why)."""
        row = await self._row(partner_id)
        await PartnerFileAccess.insert(
            PartnerFileAccess(tenant_id=self.tenant.id, id=uuid.uuid4(), partner_id=partner_id, user_id=self.actor_id, purpose=purpose, opened_at=now())
        )
        return await self.present(row)

    async def present(self, row: dict) -> dict:
        deadline_days = (await policy(self.tenant)).call_deadline_days
        return {
            **row,
            "call_by": rules.call_deadline(row["received_on"], deadline_days),
            "overdue": rules.is_overdue(Stage(row["stage"]), row["received_on"], self.tenant.today(), deadline_days),
        }

    async def pipeline(self, stage: str | None = None) -> list[dict]:
        query = Partner.select().where(self._mine() & Partner.anonymised_at.is_null())
        if stage:
            query = query.where(Partner.stage == stage)
        rows = await query.order_by(Partner.received_on).order_by(Partner.number)
        return [await self.present(decoded(row)) for row in rows]

    async def overdue(self) -> list[dict]:
        return [row for row in await self.pipeline(Stage.RECEIVED.value) if row["overdue"]]

    async def move(self, partner_id: uuid.UUID, request: StageMove) -> dict:
        row = await self._row(partner_id)
        source, target = Stage(row["stage"]), Stage(request.stage)
        rules.check_move(source, target, request.reason)
        values: dict = {Partner.stage: target.value, Partner.stage_reason: request.reason, Partner.updated_at: now(), Partner.last_activity_on: self.tenant.today()}
        if target == Stage.CALLED:
            values[Partner.called_on] = self.tenant.today()
        if target == Stage.ACTIVE and row["user_id"] is None:
            values[Partner.user_id] = await self._login_for(row)
        elif target == Stage.ACTIVE:
            await tenants.grant_role(self.tenant, row["user_id"], "partner")
        await Partner.update(values).where(self._mine() & (Partner.id == partner_id))
        await _log_stage(self.tenant, partner_id, source, target, request.reason, self.actor_id)
        await tenants.record(self.tenant, self.actor_id, "partner.stage_changed", "partner", partner_id, {"from": source.value, "to": target.value, "reason": request.reason})
        return await self.present(await self._row(partner_id))

    async def _login_for(self, row: dict) -> uuid.UUID:
        """The partner's login: the existing one with their e-mail, or a new one without a usable
        password, whose owner is e-mailed a link to choose one; either way with the partner role."""
        if not row["email"]:
            raise Invalid(N_("A partner needs an e-mail address to get a login."), errors=[FieldError("email", N_("This field is required."))])
        existing = await tenants.user_by_email(row["email"])
        if existing:
            user_id = existing["id"]
            if await Partner.exists().where(self._mine() & (Partner.user_id == user_id)):
                raise Conflict(N_("This login is already linked to another partner."))
        else:
            user_id = await tenants.create_user(row["email"], f"{row['first_name']} {row['last_name']}", secrets.token_urlsafe(32), row["language"])
        await tenants.grant_role(self.tenant, user_id, "partner")
        if existing is None and self.settings is not None:
            await passwords.send_link(self.tenant, row["email"], self.settings.base_url, passwords.WELCOME_LINK_LIFETIME, welcome=True)
        await tenants.record(self.tenant, self.actor_id, "partner.login_linked", "partner", row["id"], {"user_id": user_id, "created": existing is None})
        return user_id

    async def note_interview(self, partner_id: uuid.UUID, notes: InterviewNotes) -> dict:
        row = await self._row(partner_id)
        if row["stage"] != Stage.INTERVIEW:
            raise Conflict(N_("Interview notes are taken at the interview stage."))
        await Partner.update({Partner.interview_notes: notes.interview_notes, Partner.decision: notes.decision, Partner.updated_at: now()}).where(self._mine() & (Partner.id == partner_id))
        await tenants.record(self.tenant, self.actor_id, "partner.interviewed", "partner", partner_id, {"decision": notes.decision})
        return await self.present(await self._row(partner_id))

    async def history(self, partner_id: uuid.UUID) -> list[dict]:
        await self._row(partner_id)
        return await PartnerStageChange.select(PartnerStageChange.from_stage, PartnerStageChange.to_stage, PartnerStageChange.reason, PartnerStageChange.recorded_at).where(
            (PartnerStageChange.tenant_id == self.tenant.id) & (PartnerStageChange.partner_id == partner_id)
        ).order_by(PartnerStageChange.recorded_at)

    async def file_accesses(self, partner_id: uuid.UUID) -> list[dict]:
        await self._row(partner_id)
        return await PartnerFileAccess.select(PartnerFileAccess.user_id, PartnerFileAccess.purpose, PartnerFileAccess.opened_at).where(
            (PartnerFileAccess.tenant_id == self.tenant.id) & (PartnerFileAccess.partner_id == partner_id)
        ).order_by(PartnerFileAccess.opened_at, ascending=False)

    async def active(self) -> list[dict]:
        rows = await Partner.select(Partner.id, Partner.number, Partner.first_name, Partner.last_name, Partner.kind).where(
            self._mine() & (Partner.stage == Stage.ACTIVE.value)
        ).order_by(Partner.last_name).order_by(Partner.first_name)
        return rows

    # --- the partner themself ---

    async def own(self) -> dict:
        """The signed-in person's own partner file (404 when their login is not a partner's)."""
        row = await Partner.select(Partner.id).where(self._mine() & (Partner.user_id == self.actor_id)).first() if self.actor_id else None
        if row is None:
            raise NotFound(N_("Your login is not linked to a partner of this organisation."))
        return await self.present(await self._row(row["id"]))

    async def change_consents(self, changes: ConsentChanges) -> dict:
        own = await self.own()
        values = {k: v for k, v in msgspec.structs.asdict(changes).items() if v is not msgspec.UNSET and v != own[k]}
        if values:
            await Partner.update({**values, "updated_at": now()}).where(self._mine() & (Partner.id == own["id"]))
            await tenants.record(self.tenant, self.actor_id, "partner.consents_changed", "partner", own["id"], values)
        return await self.own()

    async def touch(self, partner_id: uuid.UUID, day: dt.date) -> None:
        """Activity (hours, a claim, a meeting) keeps a profile from being anonymised."""
        await Partner.update({Partner.last_activity_on: day}).where(self._mine() & (Partner.id == partner_id) & (Partner.last_activity_on < day))


async def _log_stage(tenant: TenantInfo, partner_id, source: Stage | None, target: Stage, reason: str, actor) -> None:
    await PartnerStageChange.insert(
        PartnerStageChange(tenant_id=tenant.id, id=uuid.uuid4(), partner_id=partner_id, from_stage=source.value if source else None,
                           to_stage=target.value, reason=reason, recorded_by=actor, recorded_at=now())
    )


async def remind_overdue(tenant: TenantInfo) -> int:
    """E-mails each coordinator the applications past their call deadline; returns how many."""
    late = await PartnerProgram(Context(tenant)).overdue()
    if not late:
        return 0
    # Numbers and deadlines, no names: the outbox keeps what it sent, and the names stay in the pipeline.
    lines = "\n".join(f"#{row['number']} — {row['call_by'].isoformat()}" for row in late)
    for email in await tenants.emails_with_role(tenant, "partner_coordinator"):
        await mail.queue(
            tenant.id, to=email, purpose="partner.overdue",
            subject=gettext(N_("%(n)s application(s) not called within the deadline"), n=len(late)),
            text=gettext(N_("These applications have not been called by their deadline:")) + "\n" + lines + f"\n\n/t/{tenant.slug}/program/pipeline",
        )
    return len(late)
