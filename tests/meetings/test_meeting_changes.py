"""A meeting called is changed, postponed or cancelled from the console, and those its notice
called are told in their language (the outbox); a meeting whose notice is out is not brought
nearer than the notice allows; a cancelled meeting is not opened. A member checks their receipt
in a page once the vote is closed."""

import re

from tests.clock import in_days
from tests.conftest import bearer, sign_in
from tests.meetings.support import in_session, meeting, open_vote, secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_notice import members
from tests.meetings.test_pages import post_form


async def test_the_secretary_postpones_then_cancels_a_meeting_and_those_called_are_told(client, make_tenant, mailbox):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    called = await meeting(client, world, headers, title="Assemblée sur les statuts", starts_at=in_days(20))
    assert (await client.post(f"/api/t/{slug}/meetings/{called['id']}/notice", json={}, headers=headers)).status_code == 200
    await sign_in(client, world, "secretary")
    console = f"/t/{slug}/meetings/{called['id']}/console"
    shown = await client.get(console)
    assert f'value="{in_days(20)[:16]}"' in shown.text  # the change form starts from the meeting as it is

    nearer = await post_form(client, f"/t/{slug}/meetings/{called['id']}", {"title": "Assemblée sur les statuts", "starts_at": in_days(5)[:16], "place": "Salle"})
    assert nearer.status_code == 422 and 'id="f-starts_at-error"' in nearer.text and "au plus tôt" in nearer.text
    postponed = await post_form(client, f"/t/{slug}/meetings/{called['id']}", {
        "title": "Assemblée sur les statuts", "starts_at": in_days(27)[:16], "place": "Salle Desjardins", "reason": "La salle n'est pas libre.",
    })
    assert postponed.status_code in (302, 303) and postponed.headers["location"].endswith("/console?done=changed#meeting")
    after = await client.get(postponed.headers["location"])
    assert 'role="status"' in after.text and "La réunion a été modifiée" in after.text
    for language, subject in {"fr_CA": "Réunion reportée", "fi": "Kokous siirretty", "en_CA": "Meeting postponed"}.items():
        told = [m for m in await mailbox.received_by(people[language]["email"]) if m["Subject"].startswith(subject)]
        assert len(told) == 1, [m["Subject"] for m in await mailbox.received_by(people[language]["email"])]
        assert "Salle Desjardins" in told[0].get_body(("plain",)).get_content()
    assert await mailbox.received_by(people["applicant"]["email"]) == []

    unexplained = await post_form(client, f"/t/{slug}/meetings/{called['id']}/cancel", {"cancel_reason": ""})
    assert unexplained.status_code == 422 and 'id="f-cancel_reason-error"' in unexplained.text
    assert 'data-confirm="' in unexplained.text
    cancelled = await post_form(client, f"/t/{slug}/meetings/{called['id']}/cancel", {"cancel_reason": "Le conseil retire la proposition."})
    assert cancelled.headers["location"].endswith("?done=cancelled#meeting")
    page = await client.get(cancelled.headers["location"])
    assert "Le conseil retire la proposition." in page.text and "Annulée" in page.text
    told = [m for m in await mailbox.received_by(people["fi"]["email"]) if "peruttu" in m["Subject"]]
    assert len(told) == 1 and "Le conseil retire la proposition." in told[0].get_body(("plain",)).get_content()
    api = f"/api/t/{slug}/meetings/{called['id']}"
    problem(await client.post(f"{api}/start", json={}, headers=headers), 409)
    problem(await client.post(f"{api}/cancel", json={"reason": "Encore"}, headers=headers), 409)
    problem(await client.put(api, json={"title": "X", "starts_at": in_days(40), "place": "Salle"}, headers=headers), 409)
    assert (await client.get(api, headers=headers)).json()["cancel_reason"] == "Le conseil retire la proposition."


async def test_a_meeting_changed_before_its_notice_tells_nobody_and_a_member_cannot_change_it(client, make_tenant, mailbox):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    called = await meeting(client, world, headers, starts_at=in_days(20))
    api = f"/api/t/{slug}/meetings/{called['id']}"
    changed = await client.put(api, json={"title": "Assemblée d'hiver", "starts_at": in_days(12), "video_url": "https://visio.exemple.ca/a"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["place"], changed.json()["video_url"]) == ("Assemblée d'hiver", None, "https://visio.exemple.ca/a")
    problem(await client.put(api, json={"title": "X", "starts_at": in_days(12)}, headers=headers), 422, "place")
    problem(await client.put(api, json={"title": "X", "starts_at": in_days(12), "place": "Salle"}, headers=await bearer(client, world, "member")), 403)
    assert await mailbox.received_by(people["fr_CA"]["email"]) == []


async def test_a_member_checks_their_receipt_in_a_page(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    people = await voters(database, world, 2)
    held = await in_session(client, world, headers, people)
    vote = await open_vote(client, world, headers, held["id"])
    receipts = []
    for person in people:
        cast = await client.post(f"/api/t/{slug}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=person.headers)
        receipts.append(cast.json()["receipt_code"])
    page = f"/t/{slug}/votes/{vote['id']}/receipt"
    early = await client.get(page, params={"code": receipts[0]}, headers=people[0].headers)
    assert early.status_code == 200 and "publiée à la fermeture" in early.text
    assert (await client.post(f"/api/t/{slug}/votes/{vote['id']}/close", json={}, headers=headers)).status_code == 200
    box = (await client.get(f"/api/t/{slug}/votes/{vote['id']}/ballot-box", headers=people[0].headers)).json()
    found = await client.get(page, params={"code": receipts[0].lower()}, headers=people[0].headers)
    position = re.search(r"à la position (\d+), compté", found.text)
    assert position and int(position.group(1)) in {b["position"] for b in box["ballots"]}, found.text
    assert box["chain_head"] in found.text and f"--box ballot-box-{vote['id']}.json --receipt" in found.text
    unknown = await client.get(page, params={"code": "AAAA-BBBB-CCCC-DDDD"}, headers=people[0].headers)
    assert unknown.status_code == 200 and 'role="alert"' in unknown.text and "à la position" not in unknown.text
    form = await client.get(page, headers=people[0].headers)
    assert 'name="code"' in form.text and "à la position" not in form.text and 'role="alert"' not in form.text
