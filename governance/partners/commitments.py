"""A partner's commitments: the confidentiality pledge (recorded by the coordinator from a signed
paper, or signed by the partner through their login) and a mandate for each involvement (a
committee seat or a project, with its dates). The coordinator sees who lacks a valid pledge and
which seats held today have no current mandate."""

from __future__ import annotations

import datetime as dt
import uuid

from backend.clock import now
from backend.context import Context, TenantService
from backend.errors import FieldError, Invalid, NotFound
from backend.i18n import N_, format_date
from governance.partners import rules
from governance.partners.rules import MandateState, Period, PledgeState, Stage
from governance.partners.schemas import MandateIn, PledgeIn
from governance.partners.services import PartnerProgram, as_uuid, policy
from governance.partners.tables import Committee, CommitteeMember, Partner, PartnerMandate, PartnerPledge
from tenants import services as tenants


class Commitments(TenantService):
    def _t(self, table):
        return table.tenant_id == self.tenant.id

    # --- the pledge ---

    async def record_pledge(self, partner_id: uuid.UUID, data: PledgeIn) -> dict:
        await PartnerProgram(Context(self.tenant))._row(partner_id)
        rules.check_pledge_date(data.signed_on, self.tenant.today())
        return await self._pledge(partner_id, data.version, data.signed_on)

    async def sign_pledge(self, partner_id: uuid.UUID, accept: bool) -> dict:
        """The partner signs the current text, today."""
        if not accept:
            raise Invalid(N_("Tick the box to sign the pledge."), errors=[FieldError("accept", N_("This field is required."))])
        return await self._pledge(partner_id, (await policy(self.tenant)).pledge_version, self.tenant.today())

    async def _pledge(self, partner_id: uuid.UUID, version: str, signed_on: dt.date) -> dict:
        pledge_id = uuid.uuid4()
        await PartnerPledge.insert(PartnerPledge(tenant_id=self.tenant.id, id=pledge_id, partner_id=partner_id, version=version, signed_on=signed_on, recorded_by=self.actor_id, recorded_at=now()))
        await tenants.record(self.tenant, self.actor_id, "partner.pledge_signed", "partner", partner_id, {"version": version, "signed_on": signed_on.isoformat()})
        return await self.pledge_of(partner_id)

    async def pledges(self, partner_id: uuid.UUID) -> list[dict]:
        return await PartnerPledge.select(PartnerPledge.id, PartnerPledge.version, PartnerPledge.signed_on, PartnerPledge.recorded_at).where(
            self._t(PartnerPledge) & (PartnerPledge.partner_id == partner_id)
        ).order_by(PartnerPledge.signed_on, ascending=False)

    async def pledge_of(self, partner_id: uuid.UUID) -> dict:
        """A partner's pledge: its state under the policy, and the signatures."""
        signed = await self.pledges(partner_id)
        current = await policy(self.tenant)
        state = rules.pledge_state([(p["version"], p["signed_on"]) for p in signed], current.pledge_version, current.pledge_valid_months, self.tenant.today())
        return {"state": state.value, "version": current.pledge_version, "pledges": signed}

    async def check_can_sit(self, partner_id: uuid.UUID) -> None:
        rules.check_pledge_for_seat(PledgeState((await self.pledge_of(partner_id))["state"]))

    # --- mandates ---

    async def give_mandate(self, partner_id: uuid.UUID, data: MandateIn) -> dict:
        await PartnerProgram(Context(self.tenant))._row(partner_id)
        errors = []
        if data.ends_on < data.starts_on:
            errors.append(FieldError("ends_on", N_("Enter a date on or after %(date)s."), {"date": format_date(data.starts_on, "long")}))
        title = data.title.strip()
        if data.kind == "committee":
            committee = None
            if data.committee_id is not None:
                committee = await Committee.select(Committee.name).where(self._t(Committee) & (Committee.id == data.committee_id)).first()
            if committee is None:
                errors.append(FieldError("committee_id", N_("Choose one of the organisation's committees.")))
            else:
                title = title or committee["name"]
        elif not title:
            errors.append(FieldError("title", N_("This field is required.")))
        if errors:
            raise Invalid(N_("Some values are not valid."), errors=errors)
        mandate_id = uuid.uuid4()
        await PartnerMandate.insert(PartnerMandate(
            tenant_id=self.tenant.id, id=mandate_id, partner_id=partner_id, kind=data.kind, committee_id=data.committee_id if data.kind == "committee" else None,
            title=title[:200], starts_on=data.starts_on, ends_on=data.ends_on, recorded_by=self.actor_id, recorded_at=now(),
        ))
        await tenants.record(self.tenant, self.actor_id, "partner.mandate_given", "partner", partner_id, {"mandate": mandate_id, "kind": data.kind, "ends_on": data.ends_on.isoformat()})
        row = await PartnerMandate.select().where(self._t(PartnerMandate) & (PartnerMandate.id == mandate_id)).first()
        if row is None:  # pragma: no cover - just inserted
            raise NotFound(N_("No partner of this organisation has this identifier."))
        return row

    async def mandates(self, partner_id: uuid.UUID) -> list[dict]:
        return await PartnerMandate.select().where(self._t(PartnerMandate) & (PartnerMandate.partner_id == partner_id)).order_by(PartnerMandate.ends_on, ascending=False)

    # --- what the coordinator follows up ---

    async def follow_up(self) -> dict:
        """Active partners without a valid pledge, and the seats held today without a current mandate."""
        current, today = await policy(self.tenant), self.tenant.today()
        active = await Partner.select(Partner.id, Partner.number, Partner.first_name, Partner.last_name).where(
            self._t(Partner) & (Partner.stage == Stage.ACTIVE.value) & Partner.anonymised_at.is_null()
        ).order_by(Partner.last_name).order_by(Partner.first_name)
        signed: dict[uuid.UUID, list[tuple[str, dt.date]]] = {}
        for row in await PartnerPledge.select(PartnerPledge.partner_id, PartnerPledge.version, PartnerPledge.signed_on).where(self._t(PartnerPledge)):
            signed.setdefault(row["partner_id"], []).append((row["version"], row["signed_on"]))
        pledges = []
        for partner in active:
            state = rules.pledge_state(signed.get(partner["id"], []), current.pledge_version, current.pledge_valid_months, today)
            if state != PledgeState.VALID:
                last = max((day for _, day in signed.get(partner["id"], [])), default=None)
                pledges.append({**partner, "state": state.value, "last_signed_on": last})
        mandates: dict[tuple[uuid.UUID, uuid.UUID], list[Period]] = {}
        for row in await PartnerMandate.select(PartnerMandate.partner_id, PartnerMandate.committee_id, PartnerMandate.starts_on, PartnerMandate.ends_on).where(
            self._t(PartnerMandate) & (PartnerMandate.kind == "committee")
        ):
            mandates.setdefault((row["partner_id"], row["committee_id"]), []).append(Period(row["starts_on"], row["ends_on"]))
        seats = await CommitteeMember.raw(
            "SELECT s.id, s.partner_id, s.committee_id, s.term_start, s.term_end, s.role, c.name AS committee, p.number, p.first_name, p.last_name "
            "FROM committee_member s JOIN committee c ON c.tenant_id = s.tenant_id AND c.id = s.committee_id "
            "JOIN partner p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id "
            "WHERE s.tenant_id = {} AND p.anonymised_at IS NULL ORDER BY c.name, p.last_name, p.first_name", self.tenant.id,
        )
        uncovered = []
        for seat in seats:
            term = Period(_date(seat["term_start"]), _date(seat["term_end"]) if seat["term_end"] else None)
            state = rules.mandate_state(term, mandates.get((as_uuid(seat["partner_id"]), as_uuid(seat["committee_id"])), []), today)
            if state not in (None, MandateState.COVERED):
                uncovered.append({**seat, "term_start": term.starts_on, "term_end": term.ends_on, "state": state.value})
        return {"pledge_version": current.pledge_version, "pledges": pledges, "mandates": uncovered}


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
