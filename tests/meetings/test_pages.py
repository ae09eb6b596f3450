"""The meetings pages: the secretary calls a meeting, runs it from the console; members check in,
vote and get a receipt; the results page shows the counts and the SVG chart."""

import re

import httpx

from governance.meetings.rules import receipt_hash
from tests.conftest import bearer, sign_in
from tests.meetings.support import voters
from tests.meetings.test_meetings_api import SETTINGS
from tests.tenants.test_pages import link_member


def csrf(client) -> str:
    return client.cookies["csrftoken"]


async def post_form(client, url: str, data: dict):
    return await client.post(url, data={**data, "_csrf_token": csrf(client)})


async def test_a_small_meeting_through_the_pages(app, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as secretary, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member:
        await sign_in(secretary, world, "secretary")
        await sign_in(member, world, "member")
        # The "member" login gets an entry in the register; two more members vote by API.
        own = await link_member(database, world, "member")
        others = await voters(database, world, 2)

        refused = await post_form(secretary, f"/t/{slug}/meetings", {"kind": "board", "title": "CA", "starts_at": "2031-03-10T18:30"})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text  # no place, no link
        created = await post_form(secretary, f"/t/{slug}/meetings", {
            "kind": "special_general", "title": "Assemblée extraordinaire 2031", "starts_at": "2031-03-10T18:30",
            "place": "Salle Desjardins", "video_url": "https://visio.exemple.ca/age", "agenda": "Ouverture\nRèglement 4\nLevée",
        })
        assert created.status_code in (302, 303), created.text
        console_url = created.headers["location"]
        meeting_id = console_url.split("/")[-2]
        listing = await member.get(f"/t/{slug}/meetings")
        assert "Assemblée extraordinaire 2031" in listing.text and "Secrétariat" not in listing.text
        page = await member.get(f"/t/{slug}/meetings/{meeting_id}")
        assert page.status_code == 200 and "18 h 30" in page.text  # shown in Montreal time, in French
        assert [m for m in re.findall(r"<li>([^<]+)", page.text)][:3] == ["Ouverture", "Règlement 4", "Levée"]

        assert (await post_form(secretary, f"/t/{slug}/meetings/{meeting_id}/session", {"status": "in_session"})).status_code in (302, 303)
        assert (await post_form(member, f"/t/{slug}/meetings/{meeting_id}/presence", {"present": "true"})).status_code in (302, 303)
        for other in others:
            assert (await post_form(secretary, f"/t/{slug}/meetings/{meeting_id}/attendance", {"member_number": str(other.member["number"]), "present": "true"})).status_code in (302, 303)
        unknown = await post_form(secretary, f"/t/{slug}/meetings/{meeting_id}/attendance", {"member_number": "999", "present": "true"})
        assert unknown.status_code == 422 and "f-member_number-error" in unknown.text
        console = await secretary.get(console_url)
        assert console.status_code == 200 and own["last_name"] in console.text

        assert (await post_form(secretary, f"/t/{slug}/meetings/{meeting_id}/votes", {"question": "Adopter le règlement 4?", "majority": "two_thirds", "secret": "on"})).status_code in (302, 303)
        vote_id = re.search(r'/votes/([0-9a-f-]{36})/open"', (await secretary.get(console_url)).text).group(1)
        assert (await post_form(secretary, f"/t/{slug}/votes/{vote_id}/open", {})).status_code in (302, 303)

        ballot_page = await member.get(f"/t/{slug}/meetings/{meeting_id}")
        assert 'name="choice" value="yes"' in ballot_page.text
        receipt = await post_form(member, f"/t/{slug}/votes/{vote_id}/ballot", {"choice": "yes"})
        assert receipt.status_code == 201
        code = re.search(r"([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})", receipt.text).group(1)
        again = await post_form(member, f"/t/{slug}/votes/{vote_id}/ballot", {"choice": "no"})
        assert again.status_code == 409 and "text/html" in again.headers["content-type"]
        for other, choice in zip(others, ("yes", "no"), strict=True):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as api:
                assert (await api.post(f"/api/t/{slug}/votes/{vote_id}/ballot", json={"choice": choice}, headers=other.headers)).status_code == 201
        hidden = await member.get(f"/t/{slug}/votes/{vote_id}")
        assert "<svg" not in hidden.text and "3" in hidden.text
        assert (await post_form(member, f"/t/{slug}/votes/{vote_id}/close", {})).status_code == 403
        assert (await post_form(secretary, f"/t/{slug}/votes/{vote_id}/close", {})).status_code in (302, 303)
        assert (await post_form(secretary, f"/t/{slug}/votes/{vote_id}/certify", {"scrutineers": "Rémi Doucet\n Aline Pellerin \n"})).status_code in (302, 303)
        assert (await post_form(secretary, f"/t/{slug}/votes/{vote_id}/certify", {})).status_code == 409

        results = await member.get(f"/t/{slug}/votes/{vote_id}")
        assert results.status_code == 200
        assert '<svg class="vote-chart" role="img"' in results.text and re.search(r"66,7\s%", results.text)  # Babel's French percentage
        assert "Rémi Doucet, Aline Pellerin" in results.text  # who signed the result with the secretary
        assert "Adoptée" in results.text or "Adopté" in results.text
        box = await member.get(f"/api/t/{slug}/votes/{vote_id}/ballot-box")
        assert receipt_hash(vote_id, code) in {b["receipt_hash"] for b in box.json()["ballots"]}


async def test_the_secretary_sets_the_bylaws_numbers_in_a_page(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    await sign_in(client, world, "secretary")
    shown = await client.get(f"/t/{slug}/meetings/settings")
    assert shown.status_code == 200 and 'name="general_notice_days" type="number" value="10"' in shown.text  # the Act's default
    form = {**{k: str(v) for k, v in SETTINGS.items() if not isinstance(v, bool | dict)}, "general_notice_days": "15", "proxies_allowed": "on", "proxy_cap": "2"}
    saved = await post_form(client, f"/t/{slug}/meetings/settings", form)
    assert saved.status_code in (302, 303) and saved.headers["location"].endswith("?saved=1")
    after = await client.get(saved.headers["location"])
    assert 'value="15"' in after.text and "enregistrés" in after.text
    api = (await client.get(f"/api/t/{slug}/governance/settings", headers=await bearer(client, world, "secretary"))).json()
    assert (api["general_notice_days"], api["proxies_allowed"], api["proxy_cap"], api["presence_required"]) == (15, True, 2, False)
    refused = await post_form(client, f"/t/{slug}/meetings/settings", {**form, "board_notice_days": "-3"})
    assert refused.status_code in (400, 422) and 'id="f-board_notice_days-error"' in refused.text and 'value="-3"' in refused.text
    member = await bearer(client, world, "member")
    assert (await client.get(f"/t/{slug}/meetings/settings", headers=member)).status_code in (302, 303, 403)


async def test_a_motion_moved_seconded_amended_and_adopted_through_the_pages_gets_its_resolution_number(app, client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    people = await voters(database, world, 3)
    await sign_in(client, world, "secretary")
    created = await post_form(client, f"/t/{slug}/meetings", {"kind": "special_general", "title": "AGE", "starts_at": "2031-03-10T18:30", "place": "Salle"})
    console_url = created.headers["location"]
    meeting_id = console_url.split("/")[-2]
    assert (await post_form(client, f"/t/{slug}/meetings/{meeting_id}/session", {"status": "in_session"})).status_code in (302, 303)
    for person in people:
        await post_form(client, f"/t/{slug}/meetings/{meeting_id}/attendance", {"member_number": str(person.member["number"]), "present": "true"})
    numbers = [str(p.member["number"]) for p in people]
    same = await post_form(client, f"/t/{slug}/meetings/{meeting_id}/motions", {"text": "Adopter le règlement 7.", "proposer_number": numbers[0], "seconder_number": numbers[0]})
    assert same.status_code == 422 and 'id="f-seconder_number-error"' in same.text  # seconded by another member
    moved = await post_form(client, f"/t/{slug}/meetings/{meeting_id}/motions", {"text": "Adopter le règlement 7.", "proposer_number": numbers[0], "seconder_number": numbers[1]})
    assert moved.status_code in (302, 303)
    main_id = re.search(r'name="motion_id" value="([0-9a-f-]{36})"', (await client.get(console_url)).text).group(1)
    amended = await post_form(client, f"/t/{slug}/meetings/{meeting_id}/motions", {"text": "Remplacer « 7 » par « 7 révisé ».", "proposer_number": numbers[1], "seconder_number": numbers[2], "amends_id": main_id})
    assert amended.status_code in (302, 303)
    amendment_id = next(m for m in re.findall(r'/motions/([0-9a-f-]{36})/withdraw', (await client.get(console_url)).text) if m != main_id)
    assert (await post_form(client, f"/t/{slug}/motions/{amendment_id}/withdraw", {})).status_code in (302, 303)
    console = await client.get(console_url)
    assert "Amendement" in console.text and "Retirée" in console.text
    assert (await post_form(client, f"/t/{slug}/meetings/{meeting_id}/votes", {"motion_id": main_id, "secret": "on"})).status_code in (302, 303)
    vote_id = re.search(r'/votes/([0-9a-f-]{36})/open"', (await client.get(console_url)).text).group(1)
    assert (await post_form(client, f"/t/{slug}/votes/{vote_id}/open", {})).status_code in (302, 303)
    for person in people:
        assert (await client.post(f"/api/t/{slug}/votes/{vote_id}/ballot", json={"choice": "yes"}, headers=person.headers)).status_code == 201
    assert (await post_form(client, f"/t/{slug}/votes/{vote_id}/close", {})).status_code in (302, 303)
    console = await client.get(console_url)
    assert "Adoptée" in console.text and "Résolution AGE-2031-01" in console.text
    assert "AGE-2031-01" in (await client.get(f"/t/{slug}/resolutions")).text
