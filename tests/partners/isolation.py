"""What the isolation walk (tests/test_isolation.py) needs of the partner program: tenant B's
objects (a partner whose name must never show, a committee with published minutes naming them,
hours, a claim with a receipt, a batch), a valid body for each route that takes one, and B's state."""

import datetime as dt
import secrets
import uuid

from backend.clock import now
from governance.partners import rules
from tests.conftest import bearer

PDF = ("recu.pdf", b"%PDF-1.4\n% receipt\n", "application/pdf")
HOURS = {"activity": "review", "worked_on": "2024-02-10", "minutes": 60}
CLAIM = {"activity_on": "2024-03-12", "starts_at": "09:00", "ends_at": "10:00", "description": "Comité", "lines": [{"kind": "transit", "amount_cents": 350}]}
SESSION = {"starts_at": "2024-03-12T13:00:00", "ends_at": "2024-03-12T15:00:00", "place": "X", "trainers": "Y"}
ANSWER = {"clarity": 5, "trainers": 4, "usefulness": 4, "readiness": 3, "comment": "x"}
P = "/api/t/{slug:str}/program"
T = "/t/{slug:str}/program"

JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/public/apply"): lambda: {"first_name": "X", "last_name": "Y", "email": "x@example.org", "city": "Z", "kind": "resource_user",
                                                         "experience_areas": ["oncology"], "languages": ["fr"], "availability": ["weekend"], "contributions": ["committees"],
                                                         "consent_contact": True, "form_token": "0.invalid"},
    ("PUT", f"{P}/policy"): lambda: {"call_deadline_days": 7},
    ("POST", f"{P}/partners/{{partner_id:uuid}}/stage"): lambda: {"stage": "called"},
    ("PUT", f"{P}/partners/{{partner_id:uuid}}/interview"): lambda: {"interview_notes": "x"},
    ("POST", f"{P}/partners/{{partner_id:uuid}}/hours"): lambda: HOURS,
    ("POST", f"{P}/committees"): lambda: {"name": "Comité A", "kind": "users"},
    ("POST", f"{P}/partners/{{partner_id:uuid}}/pledges"): lambda: {"signed_on": "2024-01-01", "version": "1"},
    ("POST", f"{P}/partners/{{partner_id:uuid}}/mandates"): lambda: {"kind": "project", "title": "X", "starts_on": "2024-01-01", "ends_on": "2024-12-31"},
    ("POST", f"{P}/me/pledge"): lambda: {"accept": True},
    ("POST", f"{P}/committees/{{committee_id:uuid}}/members"): lambda: {"name": "X", "role": "professional", "term_start": "2024-01-01"},
    ("PATCH", f"{P}/committees/{{committee_id:uuid}}"): lambda: {"name": "Comité renommé"},
    ("POST", f"{P}/committees/{{committee_id:uuid}}/end"): lambda: {"ended_on": "2024-12-31"},
    ("PATCH", f"{P}/committees/{{committee_id:uuid}}/members/{{committee_member_id:uuid}}"): lambda: {"role": "chair"},
    ("POST", f"{P}/committees/{{committee_id:uuid}}/members/{{committee_member_id:uuid}}/end"): lambda: {"ended_on": "2024-12-31"},
    ("POST", f"{P}/committees/{{committee_id:uuid}}/meetings"): lambda: {"starts_at": "2024-03-12T13:00:00", "ends_at": "2024-03-12T14:00:00", "place": "X"},
    ("PUT", f"{P}/meetings/{{committee_meeting_id:uuid}}/attendance"): lambda: {"present": []},
    ("POST", f"{P}/meetings/{{committee_meeting_id:uuid}}/decisions"): lambda: {"text": "x"},
    ("POST", f"{P}/meetings/{{committee_meeting_id:uuid}}/actions"): lambda: {"description": "x"},
    ("PUT", f"{P}/meetings/{{committee_meeting_id:uuid}}/minutes"): lambda: {"text": "x"},
    ("POST", f"{P}/meetings/{{committee_meeting_id:uuid}}/minutes/status"): lambda: {"status": "circulated"},
    ("POST", f"{P}/actions/{{action_item_id:uuid}}/done"): lambda: {},
    ("POST", f"{P}/hours/{{hours_entry_id:uuid}}/decision"): lambda: {"status": "approved"},
    ("POST", f"{P}/claims/{{expense_claim_id:uuid}}/decision"): lambda: {"status": "approved"},
    ("POST", f"{P}/batches"): lambda: {},
    ("POST", f"{P}/batches/{{reimbursement_batch_id:uuid}}/paid"): lambda: {},
    ("POST", "/api/t/{slug:str}/public/feedback/{feedback_token:str}"): lambda: ANSWER,
    ("POST", f"{P}/trainings"): lambda: {"name": "Formation A"},
    ("POST", f"{P}/trainings/{{training_cohort_id:uuid}}/sessions"): lambda: SESSION,
    ("POST", f"{P}/trainings/{{training_cohort_id:uuid}}/enrolments"): lambda: {"partner_id": str(uuid.uuid4())},
    ("POST", f"{P}/trainings/{{training_cohort_id:uuid}}/completion"): lambda: {},
    ("PUT", f"{P}/training-sessions/{{training_session_id:uuid}}/attendance"): lambda: {"present": []},
    ("POST", f"{P}/me/trainings/{{training_enrolment_id:uuid}}/feedback"): lambda: ANSWER,
    ("PATCH", f"{P}/me/consents"): lambda: {"consent_public_name": True},
    ("POST", f"{P}/me/hours"): lambda: HOURS,
    ("POST", f"{P}/me/claims"): lambda: CLAIM,
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/public/apply"): {"first_name": "X", "last_name": "Y", "email": "x@example.org", "city": "Z", "kind": "resource_user", "experience_areas": "oncology",
                                             "languages": "fr", "availability": "weekend", "contributions": "committees", "consent_contact": "on", "form_token": "0.invalid"},
    ("POST", "/t/{slug:str}/public/feedback/{feedback_token:str}"): {k: str(v) for k, v in ANSWER.items()},
    ("POST", f"{T}/trainings"): {"name": "Formation A", "max_size": "20"},
    ("POST", f"{T}/trainings/{{training_cohort_id:uuid}}/sessions"): {"starts_at": "2024-03-12T13:00", "ends_at": "2024-03-12T15:00", "place": "X", "trainers": "Y"},
    ("POST", f"{T}/trainings/{{training_cohort_id:uuid}}/enrolments"): {"partner_id": "00000000-0000-4000-8000-000000000000"},
    ("POST", f"{T}/trainings/{{training_cohort_id:uuid}}/completion"): {},
    ("POST", f"{T}/training-sessions/{{training_session_id:uuid}}/attendance"): {},
    ("POST", f"{T}/me/trainings/{{training_enrolment_id:uuid}}/feedback"): {k: str(v) for k, v in ANSWER.items()},
    ("POST", f"{T}/me/consents"): {"consent_public_name": "on"},
    ("POST", f"{T}/me/pledge"): {"accept": "on"},
    ("POST", f"{T}/partners/{{partner_id:uuid}}/pledges"): {"signed_on": "2024-01-01", "version": "1"},
    ("POST", f"{T}/partners/{{partner_id:uuid}}/mandates"): {"kind": "project", "title": "X", "starts_on": "2024-01-01", "ends_on": "2024-12-31"},
    ("POST", f"{T}/me/hours"): {"activity": "review", "worked_on": "2024-02-10", "hours": "1"},
    ("POST", f"{T}/me/claims"): {"activity_on": "2024-03-12", "starts_at": "09:00", "ends_at": "10:00", "description": "Comité", "transit_amount": "3.50"},
    ("POST", f"{T}/partners/{{partner_id:uuid}}/stage"): {"stage": "called"},
    ("POST", f"{T}/partners/{{partner_id:uuid}}/interview"): {"interview_notes": "x"},
    ("POST", f"{T}/committees"): {"name": "Comité A", "kind": "users"},
    ("POST", f"{T}/committees/{{committee_id:uuid}}/members"): {"name": "X", "role": "professional", "term_start": "2024-01-01"},
    ("POST", f"{T}/committees/{{committee_id:uuid}}"): {"name": "Comité renommé", "kind": "users"},
    ("POST", f"{T}/committees/{{committee_id:uuid}}/end"): {"ended_on": "2024-12-31"},
    ("POST", f"{T}/committees/{{committee_id:uuid}}/members/{{committee_member_id:uuid}}"): {"role": "chair", "term_start": "2024-01-01"},
    ("POST", f"{T}/committees/{{committee_id:uuid}}/members/{{committee_member_id:uuid}}/end"): {"ended_on": "2024-12-31"},
    ("POST", f"{T}/partners/{{partner_id:uuid}}/hours"): {"activity": "review", "worked_on": "2024-02-10", "hours": "1"},
    ("POST", f"{T}/policy"): {"call_deadline_days": "7"},
    ("POST", f"{T}/policy/anonymise"): {},
    ("POST", f"{T}/committees/{{committee_id:uuid}}/meetings"): {"starts_at": "2024-03-12T13:00", "ends_at": "2024-03-12T14:00", "place": "X"},
    ("POST", f"{T}/meetings/{{committee_meeting_id:uuid}}/attendance"): {},
    ("POST", f"{T}/meetings/{{committee_meeting_id:uuid}}/decisions"): {"text": "x"},
    ("POST", f"{T}/meetings/{{committee_meeting_id:uuid}}/actions"): {"description": "x"},
    ("POST", f"{T}/meetings/{{committee_meeting_id:uuid}}/minutes"): {"text": "x"},
    ("POST", f"{T}/meetings/{{committee_meeting_id:uuid}}/minutes/status"): {"status": "circulated"},
    ("POST", f"{T}/actions/{{action_item_id:uuid}}/done"): {},
    ("POST", f"{T}/hours/{{hours_entry_id:uuid}}/decision"): {"status": "approved"},
    ("POST", f"{T}/claims/{{expense_claim_id:uuid}}/decision"): {"status": "approved"},
    ("POST", f"{T}/batches"): {},
    ("POST", f"{T}/batches/{{reimbursement_batch_id:uuid}}/paid"): {},
}
UPLOADS = {
    ("POST", f"{P}/me/claims/{{expense_claim_id:uuid}}/receipts"): PDF,
    ("POST", f"{T}/me/claims/{{expense_claim_id:uuid}}/receipts"): PDF,
}


def _secret_key(client) -> str:
    return client._transport.app.state.settings.secret_key  # the app under test signs the form


async def _ok(response, status=(200, 201)):
    assert response.status_code in status, response.text
    return response.json()


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    slug, api = world.tenant.slug, f"/api/t/{world.tenant.slug}/program"
    marker = f"Secret{secrets.token_hex(4)}"
    token = rules.form_token(_secret_key(client), slug, now() - dt.timedelta(seconds=30))
    body = {**JSON_BODIES[("POST", "/api/t/{slug:str}/public/apply")](), "first_name": "Hidden", "last_name": marker, "email": world.emails["member"], "form_token": token}
    number = (await _ok(await client.post(f"/api/t/{slug}/public/apply", json=body)))["number"]
    partner = next(p for p in await _ok(await client.get(f"{api}/partners", headers=headers)) if p["number"] == number)
    for stage in ("called", "interview", "training", "active"):
        await _ok(await client.post(f"{api}/partners/{partner['id']}/stage", json={"stage": stage}, headers=headers))
    await _ok(await client.post(f"{api}/partners/{partner['id']}/pledges", json={"signed_on": world.tenant.today().isoformat(), "version": "1"}, headers=headers))
    committee = await _ok(await client.post(f"{api}/committees", json={"name": "Comité B", "kind": "improvement"}, headers=headers))
    seat = await _ok(await client.post(f"{api}/committees/{committee['id']}/members", json={"partner_id": partner["id"], "role": "partner", "term_start": "2024-01-01"}, headers=headers))
    await _ok(await client.post(f"{api}/partners/{partner['id']}/mandates", json={"kind": "committee", "committee_id": committee["id"], "starts_on": "2024-01-01", "ends_on": "2024-12-31"}, headers=headers))
    meeting = await _ok(await client.post(f"{api}/committees/{committee['id']}/meetings", json={"starts_at": "2024-03-12T13:00:00", "ends_at": "2024-03-12T15:00:00", "place": "B"}, headers=headers))
    await _ok(await client.put(f"{api}/meetings/{meeting['id']}/attendance", json={"present": [seat["id"]]}, headers=headers))
    action = await _ok(await client.post(f"{api}/meetings/{meeting['id']}/actions", json={"description": "Suivi"}, headers=headers))
    await _ok(await client.put(f"{api}/meetings/{meeting['id']}/minutes", json={"text": f"Hidden {marker} a présenté le projet."}, headers=headers))
    for status in ("circulated", "approved", "published"):
        await _ok(await client.post(f"{api}/meetings/{meeting['id']}/minutes/status", json={"status": status}, headers=headers))
    mine = await bearer(client, world, "member")
    entry = await _ok(await client.post(f"{api}/me/hours", json=HOURS, headers=mine))
    claim = await _ok(await client.post(f"{api}/me/claims", json=CLAIM, headers=mine))
    receipt = await _ok(await client.post(f"{api}/me/claims/{claim['id']}/receipts", content=PDF[1], headers={**mine, "content-type": PDF[2]}))
    await _ok(await client.post(f"{api}/claims/{claim['id']}/decision", json={"status": "approved"}, headers=headers))
    batch = await _ok(await client.post(f"{api}/batches", headers=headers))
    # A training the partner completed, whose questionnaire they answered (the link then changes nothing).
    cohort = await _ok(await client.post(f"{api}/trainings", json={"name": "Formation au partenariat", "max_size": 20}, headers=headers))
    session = await _ok(await client.post(f"{api}/trainings/{cohort['id']}/sessions", json=SESSION, headers=headers))
    enrolment = await _ok(await client.post(f"{api}/trainings/{cohort['id']}/enrolments", json={"partner_id": partner["id"]}, headers=headers))
    await _ok(await client.put(f"{api}/training-sessions/{session['id']}/attendance", json={"present": [enrolment["id"]]}, headers=headers))
    await _ok(await client.post(f"{api}/trainings/{cohort['id']}/completion", headers=headers))
    await _ok(await client.post(f"{api}/me/trainings/{enrolment['id']}/feedback", json={**ANSWER, "comment": f"Avis {marker}"}, headers=mine))
    ids = {"training_cohort_id": cohort["id"], "training_session_id": session["id"], "training_enrolment_id": enrolment["id"],
           "feedback_token": rules.feedback_token(_secret_key(client), slug, enrolment["id"]),
           "partner_id": partner["id"], "committee_id": committee["id"], "committee_member_id": seat["id"], "committee_meeting_id": meeting["id"], "action_item_id": action["id"],
           "hours_entry_id": entry["id"], "expense_claim_id": claim["id"], "expense_receipt_id": receipt["id"], "reimbursement_batch_id": batch["id"]}
    return ids, [marker]


async def snapshot(client, world, headers, ids) -> tuple:
    api = f"/api/t/{world.tenant.slug}/program"
    partner = (await client.get(f"{api}/partners/{ids['partner_id']}", headers=headers)).json()
    return (
        partner,
        (await client.get(f"{api}/policy", headers=headers)).json(),
        (await client.get(f"{api}/committees/{ids['committee_id']}", headers=headers)).json(),
        (await client.get(f"{api}/meetings/{ids['committee_meeting_id']}", headers=headers)).json(),
        (await client.get(f"{api}/claims/{ids['expense_claim_id']}", headers=headers)).json(),
        (await client.get(f"{api}/hours", headers=headers)).json(),
        (await client.get(f"{api}/batches", headers=headers)).json(),
        len((await client.get(f"{api}/partners", headers=headers)).json()),
        (await client.get(f"{api}/trainings/{ids['training_cohort_id']}", headers=headers)).json(),
        (await client.get(f"{api}/trainings", headers=headers)).json(),
        (await client.get(f"{api}/partners/{ids['partner_id']}/pledge", headers=headers)).json(),
        (await client.get(f"{api}/partners/{ids['partner_id']}/mandates", headers=headers)).json(),
        (await client.get(f"{api}/follow-up", headers=headers)).json(),
    )
