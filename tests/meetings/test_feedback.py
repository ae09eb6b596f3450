"""After every action of the console, the minutes and the register of directors, the page says what
happened, in the section the action was taken from (the redirect's anchor); what cannot be undone
asks first (data-confirm), opening a meeting before its date too."""

import re

from tests.clock import in_days
from tests.conftest import sign_in
from tests.meetings.support import in_session, open_vote, secretary, voters
from tests.meetings.test_pages import post_form


async def said(client, response, anchor: str, message: str) -> str:
    """The page a form's redirect leads to, which must say `message` (and come back to `anchor`)."""
    assert response.status_code in (302, 303), response.text
    location = response.headers["location"]
    assert location.endswith(anchor), location
    page = await client.get(location)
    assert re.search(r'role="status">' + re.escape(message), page.text), page.text[:200]
    return page.text


async def test_each_step_of_a_meeting_says_what_it_did_and_comes_back_where_it_was(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    people = await voters(database, world, 2)
    await sign_in(client, world, "secretary")
    created = await post_form(client, f"/t/{slug}/meetings", {"kind": "special_general", "title": "AGE", "starts_at": in_days(2)[:16], "place": "Salle"})
    console = created.headers["location"]
    meeting_id = console.split("/")[-2]
    page = (await client.get(console)).text
    assert "avant sa date, et bien que son avis ne soit pas inscrit comme envoyé" in page  # asked before opening early
    text = await said(client, await post_form(client, f"/t/{slug}/meetings/{meeting_id}/session", {"status": "in_session"}), "?done=opened", "La réunion est ouverte")
    assert "data-confirm=\"Lever l’assemblée?" in text
    for person in people:
        await said(client, await post_form(client, f"/t/{slug}/meetings/{meeting_id}/attendance", {"member_number": str(person.member["number"]), "present": "true"}),
                   "#attendance", "La présence a été inscrite.")
    numbers = [str(p.member["number"]) for p in people]
    await said(client, await post_form(client, f"/t/{slug}/meetings/{meeting_id}/motions", {"text": "Adopter le règlement 9.", "proposer_number": numbers[0], "seconder_number": numbers[1]}),
               "#motions", "La proposition a été inscrite.")
    main_id = re.search(r'name="motion_id" value="([0-9a-f-]{36})"', (await client.get(console)).text).group(1)
    text = await said(client, await post_form(client, f"/t/{slug}/meetings/{meeting_id}/votes", {"motion_id": main_id, "secret": "on"}), "#votes", "Le vote est préparé")
    vote_id = re.search(r'/votes/([0-9a-f-]{36})/open"', text).group(1)
    await said(client, await post_form(client, f"/t/{slug}/votes/{vote_id}/open", {}), "#votes", "Le vote est ouvert")
    for person in people:
        assert (await client.post(f"/api/t/{slug}/votes/{vote_id}/ballot", json={"choice": "yes"}, headers=person.headers)).status_code == 201
    await said(client, await post_form(client, f"/t/{slug}/votes/{vote_id}/close", {}), "#votes", "Le vote est fermé")
    await said(client, await post_form(client, f"/t/{slug}/votes/{vote_id}/certify", {}), "#votes", "Le résultat a été certifié.")
    await said(client, await post_form(client, f"/t/{slug}/meetings/{meeting_id}/session", {"status": "adjourned"}), "#meeting", "La réunion est levée.")

    text = await said(client, await post_form(client, f"/t/{slug}/meetings/{meeting_id}/minutes", {}), "?done=drafted", "Le procès-verbal a été rédigé")
    minutes_id = re.search(r'/minutes/([0-9a-f-]{36})/approve"', text).group(1)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', text, re.S).group(1)
    assert "AGE-" in body  # the resolution, numbered, is in the minutes drafted from the record
    await said(client, await post_form(client, f"/t/{slug}/minutes/{minutes_id}", {"body": "Procès-verbal."}), "?done=saved", "Le procès-verbal a été enregistré.")
    text = await said(client, await post_form(client, f"/t/{slug}/minutes/{minutes_id}/approve", {"approved_body": "general_meeting"}), "#versions", "Le procès-verbal a été approuvé")
    assert 'data-confirm="Publier ce procès-verbal' in text
    await said(client, await post_form(client, f"/t/{slug}/minutes/{minutes_id}/publish", {}), "#versions", "Le procès-verbal a été publié")

    text = await said(client, await post_form(client, f"/t/{slug}/directors", {"member_number": numbers[0], "term_starts_on": world.tenant.today().isoformat()}),
                      "?done=appointed", "Le membre a été inscrit")
    assert 'data-confirm="Mettre fin à ce mandat?' in text


async def test_a_members_live_meeting_puts_the_open_ballot_first_and_watches_for_changes(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    people = await voters(database, world, 2)
    held = await in_session(client, world, headers, people)
    page_url = f"/t/{slug}/meetings/{held['id']}"
    state_url = f"{page_url}/state"
    me = people[0].headers
    quiet = await client.get(page_url, headers=me)
    assert quiet.text.index('id="notice-title"') < quiet.text.index('id="ballots"')  # nothing open: the notice first
    assert '<meta http-equiv="refresh"' in quiet.text and f'data-url="{state_url}"' in quiet.text  # reloads without JavaScript
    before = (await client.get(state_url, headers=me)).text
    assert "vous attend" not in (await client.get(f"/t/{slug}/meetings", headers=me)).text
    assert "vous attend" not in (await client.get(f"/t/{slug}/", headers=me)).text

    vote = await open_vote(client, world, headers, held["id"], question="Adopter le budget 2031?")
    opened = (await client.get(state_url, headers=me)).text
    assert opened != before and len(opened) == 16
    live = await client.get(page_url, headers=me)
    assert live.text.index('id="ballots"') < live.text.index('id="notice-title"')  # the ballot comes first
    assert 'name="choice" value="yes"' in live.text and f'data-state="{opened}"' in live.text
    assert '<meta http-equiv="refresh"' not in live.text  # a ballot being filled in is not reloaded away
    listing = await client.get(f"/t/{slug}/meetings", headers=me)
    assert "1 bulletin vous attend" in listing.text and f'href="{page_url}#ballots"' in listing.text and "Adopter le budget 2031?" in listing.text
    home = (await client.get(f"/t/{slug}/", headers=me)).text  # the member's home page says so too
    assert "1 bulletin vous attend" in home and f'href="{page_url}#ballots"' in home
    assert "vous attend" not in (await client.get(f"/t/{slug}/", headers=headers)).text  # the secretary casts no ballot here

    assert (await client.post(f"/api/t/{slug}/votes/{vote['id']}/ballot", json={"choice": "no"}, headers=me)).status_code == 201
    assert "vous attend" not in (await client.get(f"/t/{slug}/meetings", headers=me)).text
    assert "vous attend" not in (await client.get(f"/t/{slug}/", headers=me)).text
    assert '<meta http-equiv="refresh"' in (await client.get(page_url, headers=me)).text
    assert (await client.post(f"/api/t/{slug}/votes/{vote['id']}/close", json={}, headers=headers)).status_code == 200
    assert (await client.get(state_url, headers=me)).text not in (before, opened)
    assert (await client.get(f"/t/{slug}/meetings/{held['id']}/state")).status_code in (302, 303, 401)  # signed in only
