"""The program's pages: the public application form, the public minutes (page, PDF, Atom feed)
that never show a non-consenting partner's name, and the partner's and coordinator's pages."""

import datetime as dt
import re

from backend import db
from governance.partners import rules
from governance.partners.tables import Partner
from tests.conftest import sign_in
from tests.partners.helpers import activate, applied, coordinator_headers
from tests.partners.test_committees_api import committee_with_partners


def csrf(client) -> str:
    return client.cookies["csrftoken"]


async def test_the_public_form_applies_and_refuses_missing_answers(client, program, settings):
    slug = program.tenant.slug
    form = await client.get(f"/t/{slug}/public/apply")
    assert form.status_code == 200 and 'name="website"' in form.text
    token = re.search(r'name="form_token" value="([^"]+)"', form.text).group(1)
    stamp = int(token.split(".")[0])
    old_token = rules.form_token(settings.secret_key, slug, dt.datetime.fromtimestamp(stamp - 60, dt.UTC))
    base = {"first_name": "Léa", "last_name": "Bellemare", "email": "lea@exemple.ca", "city": "Shawinigan", "kind": "peer_helper",
            "languages": "fr", "availability": "weekend", "contributions": ["committees", "giving_trainings"], "consent_contact": "on",
            "form_token": old_token, "_csrf_token": csrf(client)}
    missing = await client.post(f"/t/{slug}/public/apply", data=base)  # no experience area ticked
    assert missing.status_code == 422 and "alert-error" in missing.text
    headers = await coordinator_headers(client, program)
    assert (await client.get(f"/api/t/{slug}/program/partners", headers=headers)).json() == []
    sent = await client.post(f"/t/{slug}/public/apply", data={**base, "experience_areas": "mental_health"})
    assert sent.status_code == 201, sent.text
    [partner] = (await client.get(f"/api/t/{slug}/program/partners", headers=headers)).json()
    assert partner["kind"] == "peer_helper" and partner["contributions"] == ["committees", "giving_trainings"]


async def test_public_minutes_never_show_a_non_consenting_partners_name(client, program, settings):
    headers = await coordinator_headers(client, program)
    slug = program.tenant.slug
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(True, False))
    consenting, hidden = partners
    # The consenting partner says so themself (through the database here: their login is made on activation).
    async with db.tenant_transaction(client._transport.app.state.engine, program.tenant.id, write=True):
        await Partner.update({Partner.consent_public_name: True}).where(Partner.id == consenting["id"])
    base = f"/api/t/{slug}/program/meetings/{meeting['id']}"
    await client.put(f"{base}/attendance", json={"present": [s["id"] for s in seats] + [staff["id"]]}, headers=headers)
    hidden_name = f"{hidden['first_name']} {hidden['last_name']}"
    text = (f"{hidden_name.upper()} présente le guide. {hidden['last_name']} {hidden['first_name']} répond. "
            f"Mme {hidden['last_name']} remercie {consenting['first_name']}; {hidden['first_name']} reviendra.")
    await client.put(f"{base}/minutes", json={"text": text}, headers=headers)
    await client.post(f"{base}/decisions", json={"text": f"Mandat confié à {hidden_name}."}, headers=headers)
    public = f"/t/{slug}/public/committees/minutes/{meeting['id']}"
    assert (await client.get(public)).status_code == 404  # not published yet
    for status in ("circulated", "approved", "published"):
        assert (await client.post(f"{base}/minutes/status", json={"status": status}, headers=headers)).status_code == 200
    client.cookies.clear()
    page = await client.get(public)
    assert page.status_code == 200
    assert hidden["last_name"].casefold() not in page.text.casefold() and hidden["first_name"].casefold() not in page.text.casefold()
    assert f"remercie {consenting['first_name']};" in page.text  # a consenting partner's first name stays
    assert "Usager-ressource 2" in page.text and f"{consenting['first_name']} {consenting['last_name']}" in page.text
    assert "Dre Hélène Gélinas" in page.text
    listing = await client.get(f"/t/{slug}/public/committees")
    assert committee["name"].replace("'", "&#39;") in listing.text and hidden["last_name"] not in listing.text
    feed = await client.get(f"/t/{slug}/public/committees/feed.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml") and f"/minutes/{meeting['id']}" in feed.text
    document = await client.get(f"{public}/pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert hidden["last_name"].encode() not in document.content


async def test_partner_and_coordinator_pages_render(client, program, settings):
    headers = await coordinator_headers(client, program)
    slug = program.tenant.slug
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(True,))
    await sign_in(client, program, "partner_coordinator")
    for path in ("/program", "/program/pipeline", f"/program/partners/{partners[0]['id']}", "/program/committees",
                 f"/program/committees/{committee['id']}", f"/program/meetings/{meeting['id']}", "/program/approvals", "/program/reports?year=2024",
                 "/public/privacy"):
        response = await client.get(f"/t/{slug}{path}")
        assert response.status_code == 200, (path, response.text[:300])
    moved = await client.post(f"/t/{slug}/program/meetings/{meeting['id']}/minutes/status", data={"status": "published", "_csrf_token": csrf(client)})
    assert moved.status_code == 409  # publishing unapproved minutes is refused
    assert (await client.get(f"/t/{slug}/program/me")).status_code == 404  # the coordinator is not a partner


async def test_refused_coordinator_forms_are_shown_again_in_place_with_their_values(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await applied(client, settings, program)
    await activate(client, program, partner["id"], headers)
    await sign_in(client, program, "partner_coordinator")
    token = {"_csrf_token": csrf(client)}
    base = f"/t/{slug}/program"
    unnamed = await client.post(f"{base}/committees", data={"name": "", "kind": "users", "mandate": "Écouter les usagers", **token})
    assert unnamed.status_code == 422 and 'id="f-name-error"' in unnamed.text and "Écouter les usagers" in unnamed.text
    committee = await client.post(f"{base}/committees", data={"name": "Comité des usagers", "kind": "users", **token})
    page = committee.headers["location"].split("?")[0]  # the page, without what it says was done
    no_pledge = await client.post(f"{page}/members", data={"partner_id": partner["id"], "role": "partner", "term_start": "2026-01-01", **token})
    assert no_pledge.status_code == 409 and 'id="f-partner_id-error"' in no_pledge.text and "alert-error" in no_pledge.text
    backwards = await client.post(f"{page}/meetings", data={"starts_at": "2026-03-12T15:00", "ends_at": "2026-03-12T13:00", "place": "Salle A", **token})
    assert backwards.status_code == 422 and 'id="f-ends_at-error"' in backwards.text and 'value="Salle A"' in backwards.text
    meeting = await client.post(f"{page}/meetings", data={"starts_at": "2026-03-12T13:00", "ends_at": "2026-03-12T15:00", "place": "Salle A", **token})
    meeting_page = f"/t/{slug}/program/meetings/{meeting.headers['location'].split('?')[0].rsplit('/', 1)[1]}"
    empty = await client.post(f"{meeting_page}/decisions", data={"text": "", **token})
    assert empty.status_code == 422 and 'id="f-decision-error"' in empty.text
    early = await client.post(f"{meeting_page}/minutes/status", data={"status": "published", **token})
    assert early.status_code == 409 and "alert-error" in early.text
    leaving = await client.post(f"{base}/partners/{partner['id']}/stage", data={"stage": "withdrawn", "reason": "", **token})
    assert leaving.status_code == 422 and 'id="f-reason-error"' in leaving.text
    assert (await client.get(f"/api/t/{slug}/program/partners/{partner['id']}", headers=headers)).json()["stage"] == "active"


async def test_a_refused_receipt_is_shown_under_its_claim(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await applied(client, settings, program, email=program.emails["member"])
    await activate(client, program, partner["id"], headers)
    await sign_in(client, program, "member")
    token = {"_csrf_token": csrf(client)}
    sent = await client.post(f"/t/{slug}/program/me/claims", data={"activity_on": "2024-03-12", "starts_at": "09:00", "ends_at": "10:00", "description": "Comité", "parking_amount": "8", **token})
    assert sent.status_code in (302, 303), sent.text
    page = await client.get(f"/t/{slug}/program/me/claims")
    claim_id = re.search(r"/program/me/claims/([0-9a-f-]{36})/receipts", page.text).group(1)
    assert "1 pièce justificative manque encore." in page.text
    refused = await client.post(f"/t/{slug}/program/me/claims/{claim_id}/receipts", data=token, files={"file": ("recu.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert refused.status_code == 415 and f'id="f-file-{claim_id}-error"' in refused.text
    accepted = await client.post(f"/t/{slug}/program/me/claims/{claim_id}/receipts", data=token, files={"file": ("recu.pdf", b"%PDF-1.4\n", "application/pdf")})
    assert accepted.status_code in (302, 303)
    assert "manque encore" not in (await client.get(f"/t/{slug}/program/me/claims")).text


async def test_the_claim_form_speaks_the_programs_currency(client, make_tenant, settings):
    program = await make_tenant(roles=("partner_coordinator",), currency="EUR")  # HUS's, in Helsinki
    partner = await applied(client, settings, program, email=program.emails["member"])
    await activate(client, program, partner["id"], await coordinator_headers(client, program))
    await sign_in(client, program, "member")
    form = (await client.get(f"/t/{program.tenant.slug}/program/me/claims")).text
    assert "Stationnement (€)" in form and "Repas (€)" in form and "$" not in form
