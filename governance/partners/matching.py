"""Matching: the coordinator describes a need (a committee seat, a document to review, a training
to co-teach) with the experience and language wanted, and gets the active partners who fit,
ranked by rules.rank (most of the wanted experience, a valid pledge for a seat, the load shared)."""

from __future__ import annotations

import datetime as dt

from governance.partners import rules
from governance.partners.rules import Candidate, Need, Stage
from governance.partners.schemas import NeedIn
from governance.partners.services import decoded, policy
from governance.partners.tables import CommitteeMember, HoursEntry, Partner, PartnerPledge
from tenants.services import TenantInfo


async def matches(tenant: TenantInfo, data: NeedIn) -> list[dict]:
    today = tenant.today()
    rows = [decoded(row) for row in await Partner.select(
        Partner.id, Partner.number, Partner.first_name, Partner.last_name, Partner.kind, Partner.city, Partner.experience_areas,
        Partner.languages, Partner.availability, Partner.contributions,
    ).where((Partner.tenant_id == tenant.id) & (Partner.stage == Stage.ACTIVE.value) & Partner.anonymised_at.is_null())]
    minutes = {row["partner_id"]: int(row["minutes"]) for row in await HoursEntry.raw(
        "SELECT partner_id, SUM(minutes) AS minutes FROM hours_entry WHERE tenant_id = {} AND status = 'approved' AND worked_on >= {} AND worked_on < {} GROUP BY partner_id",
        tenant.id, dt.date(today.year, 1, 1), dt.date(today.year + 1, 1, 1),
    )}
    seats: dict = {}
    for seat in await CommitteeMember.select(CommitteeMember.partner_id, CommitteeMember.term_start, CommitteeMember.term_end).where(
        (CommitteeMember.tenant_id == tenant.id) & CommitteeMember.partner_id.is_not_null()
    ):
        if rules.Period(seat["term_start"], seat["term_end"]).covers(today):
            seats[seat["partner_id"]] = seats.get(seat["partner_id"], 0) + 1
    current = await policy(tenant)
    signed: dict = {}
    for pledge in await PartnerPledge.select(PartnerPledge.partner_id, PartnerPledge.version, PartnerPledge.signed_on).where(PartnerPledge.tenant_id == tenant.id):
        signed.setdefault(pledge["partner_id"], []).append((pledge["version"], pledge["signed_on"]))
    candidates = [
        Candidate(
            key=row["id"], number=row["number"], contributions=frozenset(row["contributions"]), areas=frozenset(row["experience_areas"]),
            languages=frozenset(row["languages"]), availability=frozenset(row["availability"]), minutes_this_year=_key(minutes, row["id"]),
            seats=_key(seats, row["id"]),
            pledged=rules.pledge_state(signed.get(row["id"], []), current.pledge_version, current.pledge_valid_months, today) == rules.PledgeState.VALID,
        )
        for row in rows
    ]
    need = Need(kind=data.kind, areas=frozenset(data.areas), language=data.language, availability=frozenset(data.availability))
    by_id = {row["id"]: row for row in rows}
    found = {c.key: c for c in candidates}
    return [
        {**{k: by_id[m.key][k] for k in ("id", "number", "first_name", "last_name", "kind", "city", "languages", "availability")},
         "matching_areas": list(m.areas), "minutes_this_year": found[m.key].minutes_this_year, "seats": found[m.key].seats, "pledged": found[m.key].pledged}
        for m in rules.rank(need, candidates, data.limit)
    ]


def _key(values: dict, key) -> int:
    """A count by partner id, whatever type the database returned the id in."""
    return values.get(key, values.get(str(key), 0))
