"""The program's forms in the pages: refusals in words next to their fields (all at once, the
public application form too), what each action did said after it, back where the person was,
confirmation asked before what cannot be undone, hours and dates as the reader writes them."""

import re

from governance.partners.routes import LANDING, NAV
from tests.conftest import bearer, sign_in
from tests.partners.helpers import activate, applied, coordinator_headers
from tests.partners.test_committees_api import committee_with_partners
from tests.partners.test_pages import csrf

CODES = ("experience_areas", "languages", "availability", "contributions", "first_name", "amount_cents", "Expected")


async def test_the_public_form_says_every_refusal_in_words(client, program):
    slug = program.tenant.slug
    await client.get(f"/t/{slug}/public/apply")
    refused = await client.post(f"/t/{slug}/public/apply", data={"first_name": "", "email": "pas-une-adresse", "kind": "peer_helper", "_csrf_token": csrf(client)})
    assert refused.status_code == 422
    start = refused.text.index('id="error-summary"')
    summary = re.sub(r"<[^>]+>", " ", refused.text[start:refused.text.index("</div>", start)])  # what the reader sees
    for words in ("Votre expérience de soins", "Langues parlées", "Prénom", "Courriel", "Cochez-en au moins un.", "Entrez une adresse courriel"):
        assert words in summary, words
    for code in CODES:
        assert code not in summary, code
    for field in ("experience_areas", "languages", "availability", "contributions"):
        assert f'<p class="field-error" id="f-{field}"' in refused.text  # each next to its own boxes
    assert 'id="f-first_name-error"' in refused.text and 'id="f-email-error"' in refused.text


async def test_a_claim_refuses_every_wrong_amount_at_once(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await applied(client, settings, program, email=program.emails["member"])
    await activate(client, program, partner["id"], headers)
    await sign_in(client, program, "member")
    refused = await client.post(f"/t/{slug}/program/me/claims", data={"activity_on": "", "starts_at": "09:00", "ends_at": "10:00", "description": "Comité",
                                                                      "parking_amount": "huit", "mileage_amount": "9999", "_csrf_token": csrf(client)})
    assert refused.status_code == 422
    for field in ("parking_amount", "mileage_amount", "activity_on"):
        assert f'id="f-{field}-error"' in refused.text, field
    assert "Entrez un montant de zéro ou plus" in refused.text and "Entrez une distance en kilomètres" in refused.text
    assert "amount_cents" not in refused.text and "Expected" not in refused.text
    hours = await client.post(f"/t/{slug}/program/me/hours", data={"activity": "review", "worked_on": program.tenant.today().isoformat(), "hours": "une", "_csrf_token": csrf(client)})
    assert hours.status_code == 422 and 'id="f-hours-error"' in hours.text and "Entrez un nombre d&#39;heures" in hours.text
    logged = await client.post(f"/t/{slug}/program/me/hours", data={"activity": "review", "worked_on": program.tenant.today().isoformat(), "hours": "1,5", "_csrf_token": csrf(client)})
    assert logged.headers["location"].endswith("/program/me/hours?done=hours_logged")
    page = (await client.get(logged.headers["location"])).text
    assert "Les heures ont été inscrites" in page and "1,5\u00a0h" in page


async def test_each_coordinator_action_says_what_it_did_and_asks_before_what_stays(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(True,))
    await sign_in(client, program, "partner_coordinator")
    token = {"_csrf_token": csrf(client)}
    file = f"/t/{slug}/program/partners/{partners[0]['id']}"
    logged = await client.post(f"{file}/hours", data={"activity": "project", "worked_on": program.tenant.today().isoformat(), "hours": "2", "description": "Guide", **token})
    assert logged.headers["location"] == f"{file}?done=hours_logged#hours"
    shown = (await client.get(logged.headers["location"])).text
    assert "Les heures ont été inscrites" in shown and "Qui a ouvert ce dossier" in shown and "Coordinator" in shown
    approvals = (await client.get(f"/t/{slug}/program/approvals")).text
    assert "2,0\u00a0h" in approvals and 'data-confirm="Refuser ces heures?' in approvals
    entry = re.search(r"/program/hours/([0-9a-f-]{36})/decision", approvals).group(1)
    decided = await client.post(f"/t/{slug}/program/hours/{entry}/decision", data={"status": "approved", **token})
    assert decided.headers["location"].endswith("/program/approvals?done=hours_approved#hours")
    assert "Les heures ont été approuvées." in (await client.get(decided.headers["location"])).text
    page = f"/t/{slug}/program/meetings/{meeting['id']}"
    moved = await client.post(f"{page}/minutes/status", data={"status": "circulated", **token})
    assert moved.headers["location"] == f"{page}?done=minutes_circulated#status"
    circulated = (await client.get(moved.headers["location"])).text
    assert "Le procès-verbal a été diffusé pour commentaires." in circulated
    assert 'data-confirm="Approuver le procès-verbal? Il est figé tel quel' in circulated and "Approuver le procès-verbal</button>" in circulated
    await client.post(f"{page}/minutes/status", data={"status": "approved", **token})
    approved = (await client.get(page)).text
    assert 'data-confirm="Publier le procès-verbal?' in approved and "Publier le procès-verbal</button>" in approved
    assert "published" not in re.sub(r'value="published"', "", approved.split("<main")[1]).split("</main>")[0].replace("/public/", "")  # no code shown


async def test_the_pipeline_shows_one_stage_in_words(client, program, settings):
    slug = program.tenant.slug
    received, called = await applied(client, settings, program), await applied(client, settings, program)
    headers = await coordinator_headers(client, program)
    await client.post(f"/api/t/{slug}/program/partners/{called['id']}/stage", json={"stage": "called"}, headers=headers)
    await sign_in(client, program, "partner_coordinator")
    page = (await client.get(f"/t/{slug}/program/pipeline?stage=called")).text
    assert called["last_name"] in page and received["last_name"] not in page and "Toutes les étapes" in page
    assert (await client.get(f"/t/{slug}/program/pipeline?stage=nope")).status_code == 400


async def test_each_role_of_the_program_lands_on_a_page_it_may_open(client, program, settings):
    """routes.LANDING: a coordinator starts on the pipeline, a partner on their committees."""
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await applied(client, settings, program, email=program.emails["member"])
    await activate(client, program, partner["id"], headers)
    assert [(link.path, link.roles) for link in LANDING] == [("program/pipeline", ("partner_coordinator",)), ("program/me", ("partner",))]
    assert {link.path for link in LANDING} <= {link.path for link in NAV}  # and each is in the menu
    for role, link in (("partner_coordinator", LANDING[0]), ("member", LANDING[1])):
        client.cookies.clear()
        await sign_in(client, program, role)
        landed = await client.get(f"/t/{slug}/{link.path}")
        assert landed.status_code == 200, (role, link.path)
    assert "Mes comités" in landed.text


async def test_reports_name_the_months_and_minutes_their_deadlines_in_words(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(True,))
    await client.post(f"/api/t/{slug}/program/meetings/{meeting['id']}/actions", json={"description": "Relire le guide", "due_on": "2024-04-02"}, headers=headers)
    await sign_in(client, program, "partner_coordinator")
    assert "2 avr. 2024" in (await client.get(f"/t/{slug}/program/meetings/{meeting['id']}")).text
    report = (await client.get(f"/t/{slug}/program/reports?year=2024")).text
    assert "janvier 2024" in report and "décembre 2024" in report


async def test_a_refused_claim_stays_in_the_approvals_page_with_its_reason(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await applied(client, settings, program, email=program.emails["member"])
    await activate(client, program, partner["id"], headers)
    mine = await bearer(client, program, "member")
    claim = (await client.post(f"/api/t/{slug}/program/me/claims", json={"activity_on": "2024-03-12", "starts_at": "09:00", "ends_at": "10:00", "description": "Comité",
                                                                           "lines": [{"kind": "mileage", "km": 12}]}, headers=mine)).json()
    await sign_in(client, program, "partner_coordinator")
    waiting = (await client.get(f"/t/{slug}/program/approvals")).text
    assert f'data-confirm="Refuser la demande {claim["number"]}?' in waiting
    no_reason = await client.post(f"/t/{slug}/program/claims/{claim['id']}/decision", data={"status": "rejected", "reason": "", "_csrf_token": csrf(client)})
    assert no_reason.status_code == 422 and f'id="f-reason-{claim["id"]}-error"' in no_reason.text
    refused = await client.post(f"/t/{slug}/program/claims/{claim['id']}/decision", data={"status": "rejected", "reason": "Trajet non couvert", "_csrf_token": csrf(client)})
    assert refused.headers["location"].endswith("/program/approvals?done=claim_rejected#claims")
    page = (await client.get(refused.headers["location"])).text
    decided = page.split('id="decided"')[1].split("</table>")[0]
    assert "La demande a été refusée" in page and "Trajet non couvert" in decided and "Refusé" in decided
