"""Anonymisation of idle profiles: names gone from everything, hours and expenses kept as
statistics, audit-logged; active and recently active partners untouched. And the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import uuid

import pytest

from backend import db, jobqueue
from backend.context import Context
from backend.mail import MailMessage
from governance.partners.anonymisation import anonymise_inactive
from governance.partners.commitments import Commitments
from governance.partners.committees import Committees
from governance.partners.expenses import Expenses, hours_report
from governance.partners.schemas import ClaimIn, ExpenseLineIn, MandateIn, TrainingIn, TrainingSessionIn
from governance.partners.tables import (
    ActionItem,
    CommitteeMeeting,
    CommitteeMember,
    ExpenseClaim,
    MeetingDecision,
    Partner,
    PartnerMandate,
    PartnerStageChange,
    TrainingFeedback,
    TrainingSession,
)
from governance.partners.trainings import Trainings
from tenants import services as tenants
from tests.conftest import BACKEND, bearer
from tests.partners.test_committees_api import committee_with_partners


async def _everything_written(database, tenant_id) -> str:
    """Every text column of the domain's tables that may name a partner, as one string."""
    async with db.tenant_transaction(database.app, tenant_id, write=False):
        parts = [
            await Partner.select().where(Partner.tenant_id == tenant_id),
            await CommitteeMember.select(CommitteeMember.name).where(CommitteeMember.tenant_id == tenant_id),
            await CommitteeMeeting.select(CommitteeMeeting.minutes_text, CommitteeMeeting.frozen).where(CommitteeMeeting.tenant_id == tenant_id),
            await MeetingDecision.select(MeetingDecision.text).where(MeetingDecision.tenant_id == tenant_id),
            await ActionItem.select(ActionItem.description).where(ActionItem.tenant_id == tenant_id),
            await PartnerStageChange.select(PartnerStageChange.reason).where(PartnerStageChange.tenant_id == tenant_id),
            await ExpenseClaim.select(ExpenseClaim.description).where(ExpenseClaim.tenant_id == tenant_id),
            await PartnerMandate.select(PartnerMandate.title).where(PartnerMandate.tenant_id == tenant_id),
            await TrainingSession.select(TrainingSession.trainers).where(TrainingSession.tenant_id == tenant_id),
            await TrainingFeedback.select(TrainingFeedback.comment).where(TrainingFeedback.tenant_id == tenant_id),
        ]
    return json.dumps(parts, default=str, ensure_ascii=False)


async def test_idle_profiles_are_anonymised_with_their_hours_and_expenses_kept(client, program, settings, database):
    headers = await bearer(client, program, "partner_coordinator")
    slug, tenant = program.tenant.slug, program.tenant
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(False, False))
    gone, kept = partners
    name = f"{gone['first_name']} {gone['last_name']}"
    base = f"/api/t/{slug}/program/meetings/{meeting['id']}"
    assert (await client.put(f"{base}/attendance", json={"present": [seats[0]["id"], seats[1]["id"], staff["id"]]}, headers=headers)).status_code == 200
    assert (await client.post(f"{base}/decisions", json={"text": f"Le comité remercie {name} pour son témoignage; Mme {gone['last_name']} accepte, {gone['first_name']} aussi."}, headers=headers)).status_code == 201
    assert (await client.post(f"{base}/actions", json={"description": f"{gone['last_name'].upper()} {gone['first_name']} relira le dépliant.", "owner_member_id": seats[0]["id"]}, headers=headers)).status_code == 201
    assert (await client.put(f"{base}/minutes", json={"text": f"{name} présente son parcours; {kept['first_name']} {kept['last_name']} le complète."}, headers=headers)).status_code == 200
    for status in ("circulated", "approved", "published"):
        assert (await client.post(f"{base}/minutes/status", json={"status": status}, headers=headers)).status_code == 200
    moved = await client.post(f"/api/t/{slug}/program/partners/{gone['id']}/stage", json={"stage": "inactive", "reason": f"{name} déménage."}, headers=headers)
    assert moved.status_code == 200, moved.text
    await jobqueue.drain()  # the welcome message (their login) has left
    async with db.tenant_transaction(database.app, tenant.id, write=True):
        sent = await MailMessage.select(MailMessage.recipient, MailMessage.status).where((MailMessage.tenant_id == tenant.id) & (MailMessage.recipient == gone["email"]))
        assert sent and {m["status"] for m in sent} == {"sent"}
        await Expenses(Context(tenant)).claim(gone["id"], ClaimIn(activity_on=dt.date(2024, 3, 12), starts_at="13:00", ends_at="15:30", description=f"Réunion — {name}", lines=[ExpenseLineIn(kind="mileage", km=40)]))
        # They co-taught a training and had a project: the coordinator wrote their name there too.
        await Commitments(Context(tenant)).give_mandate(gone["id"], MandateIn(kind="project", title=f"Guide d'accueil avec {name}", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 6, 30)))
        cohort = await Trainings(Context(tenant)).create(TrainingIn(name="Formation au partenariat"))
        await Trainings(Context(tenant)).add_session(cohort["id"], TrainingSessionIn(starts_at=dt.datetime(2024, 3, 1, 13), ends_at=dt.datetime(2024, 3, 1, 15), place="Salle", trainers=f"Coordonnatrice et Mme {gone['last_name']}"))
        await TrainingFeedback.insert(TrainingFeedback(tenant_id=tenant.id, id=uuid.uuid4(), cohort_id=cohort["id"], clarity=5, trainers=5, usefulness=5, readiness=5,
                                                       comment=f"Le témoignage de {gone['first_name']} m'a touchée.", answered_on=dt.date(2024, 3, 2)))
        before = await hours_report(tenant)
        claims_before = sorted(c["total_cents"] for c in await Expenses(Context(tenant)).claims())
        # Nothing for three years; the kept partner is active (never anonymised, however idle).
        await Partner.update({Partner.last_activity_on: tenant.today() - dt.timedelta(days=3 * 365)}).where(Partner.tenant_id == tenant.id)
        assert name in await _everything_written(database, tenant.id)

        assert await anonymise_inactive(tenant) == [gone["number"]]
        assert await anonymise_inactive(tenant) == []  # once

        after = await hours_report(tenant)
        assert [row["minutes"] for row in after["per_year"]] == [row["minutes"] for row in before["per_year"]]
        assert sorted(row["minutes"] for row in after["per_person"]) == sorted(row["minutes"] for row in before["per_person"])
        assert sorted(c["total_cents"] for c in await Expenses(Context(tenant)).claims()) == claims_before
        row = await Partner.select().where((Partner.tenant_id == tenant.id) & (Partner.id == gone["id"])).first()
        assert (row["first_name"], row["email"], row["user_id"], row["story"]) == ("—", None, None, "") and row["anonymised_at"]
        (event,) = [e for e in await tenants.audit_events(tenant, gone["id"]) if e["action"] == "partner.anonymised"]
        assert event["details"]["number"] == gone["number"] and name not in json.dumps(event["details"], ensure_ascii=False)
        minutes = await Committees(Context(tenant)).minutes(meeting["id"], public=False)
        outbox = await MailMessage.select().where(MailMessage.tenant_id == tenant.id)
    # The outbox keeps a row per message, blanked: neither their address nor what was written to them.
    assert len(outbox) >= len(sent) and not any(gone["email"] in json.dumps(m, default=str) or gone["email"].encode() in m["message"] for m in outbox)
    assert any(m["recipient"] == kept["email"] for m in outbox)  # others' messages stay
    written = await _everything_written(database, tenant.id)
    for variant in (name, gone["last_name"], gone["last_name"].upper(), gone["first_name"]):
        assert variant not in written
    assert f"{kept['first_name']} {kept['last_name']}" in written
    assert name not in json.dumps(minutes, default=str, ensure_ascii=False)
    assert minutes["text"].endswith("présente son parcours; " + f"{kept['first_name']} {kept['last_name']} le complète.")
    assert not minutes["text"].startswith("—")  # their kind stands where their name was


@pytest.mark.skipif(BACKEND != "sqlite", reason="the command line is exercised once, on SQLite")
def test_the_scheduled_jobs_run_from_the_command_line_on_the_demo(tmp_path):
    env = {**os.environ, "SOLIDAIRE_VAR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("MIGRATION_DATABASE_URL", None)

    def solidaire(*args: str) -> str:
        result = subprocess.run([sys.executable, "-c", "from solidaire.cli import main; main()", *args], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    solidaire("demo")
    assert "1 overdue application(s)" in solidaire("partners", "remind-overdue", "--tenant", "ciusss-mcq")
    assert "anonymised 2 profile(s)" in solidaire("partners", "anonymise-inactive", "--tenant", "ciusss-mcq")
    assert "no profile to anonymise" in solidaire("partners", "anonymise-inactive", "--tenant", "ciusss-mcq")
    failure = subprocess.run([sys.executable, "-c", "from solidaire.cli import main; main()", "partners", "remind-overdue", "--tenant", "nowhere"], env=env, capture_output=True, text=True, timeout=60)
    assert failure.returncode != 0 and "no tenant has the slug" in failure.stderr
