"""Anonymisation of idle profiles (Quebec Law 25: a profile is kept while its purpose lasts).

A partner who is no longer active and has had no activity for the tenant's period loses everything
that says who they were: their profile, their name on committee seats, and their name wherever a
secretary or a coordinator wrote it (minutes, frozen ones included, decisions, action items, stage
reasons, hours and claim descriptions, mandates, the trainers of a training they co-taught, the
questionnaires' comments), replaced by their kind ("Usager-ressource"). Their hours and
expenses stay, as statistics attached to a numbered profile. Run by `solidaire partners
anonymise-inactive` (a scheduled job); each profile anonymised is written to the audit log.
"""

from __future__ import annotations

import json

from backend import db, i18n, mail
from backend.clock import now
from governance.partners import rules
from governance.partners.labels import label
from governance.partners.rules import Stage
from governance.partners.services import decoded, policy
from governance.partners.tables import (
    ActionItem,
    CommitteeMeeting,
    CommitteeMember,
    ExpenseClaim,
    HoursEntry,
    MeetingDecision,
    Partner,
    PartnerMandate,
    PartnerStageChange,
    TrainingFeedback,
    TrainingSession,
)
from tenants import services as tenants
from tenants.services import TenantInfo

GONE = "—"


async def inactive_profiles(tenant: TenantInfo) -> list[dict]:
    """The profiles, not active, idle longer than the policy allows: those the next run anonymises."""
    months = (await policy(tenant)).inactivity_months
    today = tenant.today()
    rows = await Partner.select().where((Partner.tenant_id == tenant.id) & Partner.anonymised_at.is_null() & (Partner.stage != Stage.ACTIVE.value))
    return [row for row in rows if rules.is_inactive(row["last_activity_on"], today, months)]


async def anonymise_inactive(tenant: TenantInfo) -> list[int]:
    """Anonymises the profiles idle longer than the policy allows; returns their numbers."""
    months = (await policy(tenant)).inactivity_months
    idle = await inactive_profiles(tenant)
    with i18n.using(tenant.locale):  # the replacement is written in the tenant's language
        for row in idle:
            await _anonymise(tenant, row, months)
    return [row["number"] for row in idle]


async def _anonymise(tenant: TenantInfo, row: dict, months: int) -> None:
    kind = label("kind", row["kind"])
    await _forget_in_texts(tenant, row["first_name"], row["last_name"], kind)
    moment = now()
    await Partner.update({
        Partner.first_name: GONE, Partner.last_name: GONE, Partner.email: None, Partner.phone: None, Partner.city: GONE,
        Partner.story: "", Partner.interview_notes: "", Partner.stage_reason: "", Partner.experience_areas: [],
        Partner.consent_contact: False, Partner.consent_public_name: False, Partner.consent_photos: False,
        Partner.consent_research: False, Partner.user_id: None, Partner.anonymised_at: moment, Partner.updated_at: moment,
    }).where((Partner.tenant_id == tenant.id) & (Partner.id == row["id"]))
    await CommitteeMember.update({CommitteeMember.name: GONE}).where((CommitteeMember.tenant_id == tenant.id) & (CommitteeMember.partner_id == row["id"]))
    await PartnerStageChange.update({PartnerStageChange.reason: ""}).where((PartnerStageChange.tenant_id == tenant.id) & (PartnerStageChange.partner_id == row["id"]))
    if row["email"]:  # the outbox keeps the messages sent to them: their address, name and words go too
        await mail.forget(tenant.id, row["email"])
    await tenants.record(tenant, None, "partner.anonymised", "partner", row["id"], {"number": row["number"], "inactive_months": months})


async def _forget_in_texts(tenant: TenantInfo, first_name: str, last_name: str, replacement: str) -> None:
    """The person's name, wherever staff wrote it (in full, "Mme Tremblay", the first name alone…),
    replaced by `replacement`."""
    mentions = rules.mentions_of(first_name, last_name, replacement)

    def scrub(text: str) -> str:
        return rules.redact_mentions(text, mentions)

    for table, column in ((MeetingDecision, MeetingDecision.text), (ActionItem, ActionItem.description), (HoursEntry, HoursEntry.description),
                          (ExpenseClaim, ExpenseClaim.description), (CommitteeMeeting, CommitteeMeeting.minutes_text),
                          (PartnerMandate, PartnerMandate.title), (TrainingSession, TrainingSession.trainers), (TrainingFeedback, TrainingFeedback.comment)):
        # Prefiltered by the first or last name in the database (the case of accented letters aside,
        # which redact_mentions() then matches whatever their case).
        contains = column.ilike if db.is_postgres(table._meta.db) else column.like  # SQLite's LIKE ignores ASCII case
        found = await table.select(table.id, column).where((table.tenant_id == tenant.id) & (contains(f"%{last_name}%") | contains(f"%{first_name}%")))
        for row in found:
            text = row[column._meta.name]
            if text and scrub(text) != text:
                await table.update({column: scrub(text)}).where((table.tenant_id == tenant.id) & (table.id == row["id"]))
    for row in await CommitteeMeeting.select(CommitteeMeeting.id, CommitteeMeeting.frozen).where((CommitteeMeeting.tenant_id == tenant.id) & CommitteeMeeting.frozen.is_not_null()):
        frozen = decoded(row)["frozen"]
        scrubbed = json.loads(scrub(json.dumps(frozen, ensure_ascii=False)))
        if scrubbed != frozen:
            await CommitteeMeeting.update({CommitteeMeeting.frozen: scrubbed}).where((CommitteeMeeting.tenant_id == tenant.id) & (CommitteeMeeting.id == row["id"]))
