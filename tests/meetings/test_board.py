"""The register of directors, and board meetings kept to the board: a member who does not sit on
it finds no trace of a board meeting (404, absent from the lists), a director and the secretary see
all of it; the board meeting's notice reaches the directors only."""

import datetime as dt
import re

import httpx

from tests.clock import in_days
from tests.conftest import sign_in
from tests.meetings.support import appoint, in_session, open_vote, secretary, voters
from tests.meetings.test_documents import REPORT
from tests.meetings.test_meetings_api import SETTINGS, problem
from tests.meetings.test_pages import post_form


async def test_the_secretary_appoints_directors_and_ends_their_terms(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    (applicant,) = await voters(database, world, 1, status="applicant")
    url = f"/api/t/{world.tenant.slug}/directors"
    today = world.tenant.today()

    appointed = await client.post(url, json={"member_number": people[0].member["number"], "seat_category": "user", "term_starts_on": today.isoformat()}, headers=headers)
    assert appointed.status_code == 201, appointed.text
    director = appointed.json()
    assert (director["member_number"], director["seat_category"], director["term_starts_on"], director["term_ends_on"]) == (people[0].member["number"], "user", today.isoformat(), None)
    problem(await client.post(url, json={"member_number": 999999, "term_starts_on": today.isoformat()}, headers=headers), 422, "member_number")
    problem(await client.post(url, json={"member_number": applicant.member["number"], "term_starts_on": today.isoformat()}, headers=headers), 422, "member_number")
    problem(await client.post(url, json={"member_number": people[0].member["number"], "term_starts_on": today.isoformat()}, headers=headers), 409, "member_number")
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    problem(await client.post(url, json={"member_number": people[1].member["number"], "term_starts_on": tomorrow}, headers=headers), 422, "term_starts_on")
    problem(await client.post(url, json={"member_number": people[1].member["number"], "term_starts_on": "hier"}, headers=headers), 400)
    problem(await client.post(url, json={"member_number": people[1].member["number"], "term_starts_on": today.isoformat()}, headers=people[0].headers), 403)

    # The board and the secretary read the roster; a member who does not sit on it, not.
    assert [d["id"] for d in (await client.get(url, headers=headers)).json()] == [director["id"]]
    assert [d["member_number"] for d in (await client.get(url, headers=people[0].headers)).json()] == [people[0].member["number"]]
    problem(await client.get(url, headers=people[1].headers), 403)

    (second,) = await appoint(client, world, headers, people[1:2])
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    problem(await client.post(f"{url}/{second['id']}/end", json={"term_ends_on": yesterday}, headers=headers), 422, "term_ends_on")
    problem(await client.post(f"{url}/{second['id']}/end", json={"term_ends_on": today.isoformat()}, headers=people[0].headers), 403)
    ended = await client.post(f"{url}/{director['id']}/end", json={"term_ends_on": today.isoformat()}, headers=headers)
    assert ended.status_code == 200 and ended.json()["term_ends_on"] == today.isoformat()
    problem(await client.post(f"{url}/{director['id']}/end", json={"term_ends_on": today.isoformat()}, headers=headers), 409)
    problem(await client.post(f"{url}/00000000-0000-4000-8000-000000000000/end", json={"term_ends_on": today.isoformat()}, headers=headers), 404)
    assert [d["id"] for d in (await client.get(url, headers=headers)).json()] == [second["id"]]
    problem(await client.get(url, headers=people[0].headers), 403)  # no longer on the board
    (again,) = await appoint(client, world, headers, people[:1])  # a new term, from the day the last one ended
    assert again["id"] != director["id"]


async def test_a_board_meeting_is_the_boards_and_the_secretarys(app, client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    directors, member = (people := await voters(database, world, 3))[:2], people[2]
    await appoint(client, world, headers, directors)
    api = f"/api/t/{world.tenant.slug}"
    board = await in_session(client, world, headers, directors, kind="board", title="Conseil de mars", starts_at=in_days(3))
    general = await in_session(client, world, headers, people, title="Assemblée extraordinaire")
    meeting = f"{api}/meetings/{board['id']}"
    added = await client.post(f"{meeting}/documents", params={"kind": "other", "title": "États financiers intérimaires"}, content=REPORT,
                              headers={**headers, "content-type": "application/pdf"})
    assert added.status_code == 201, added.text
    document = f"{meeting}/documents/{added.json()['id']}"
    vote = await open_vote(client, world, headers, board["id"])
    assert (await client.post(f"{api}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=directors[0].headers)).status_code == 201
    problem(await client.post(f"{api}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=member.headers), 404)

    for path in (meeting, f"{meeting}/documents", document, f"{meeting}/live", f"{meeting}/votes", f"{api}/votes/{vote['id']}"):
        problem(await client.get(path, headers=member.headers), 404)
        assert (await client.get(path, headers=directors[1].headers)).status_code == 200, path
        assert (await client.get(path, headers=headers)).status_code == 200, path
    assert (await client.get(document, headers=directors[1].headers)).content == REPORT
    assert [m["id"] for m in (await client.get(f"{api}/meetings", headers=member.headers)).json()] == [general["id"]]
    for reader in (directors[1].headers, headers):
        assert {m["id"] for m in (await client.get(f"{api}/meetings", headers=reader)).json()} == {board["id"], general["id"]}

    # Its minutes, even approved and published, stay the board's.
    await client.post(f"{api}/votes/{vote['id']}/close", json={}, headers=headers)
    await client.post(f"{meeting}/adjourn", json={}, headers=headers)
    minutes = (await client.post(f"{meeting}/minutes", json={}, headers=headers)).json()
    assert (await client.post(f"{api}/minutes/{minutes['id']}/approve", json={"approved_body": "board"}, headers=headers)).status_code == 200
    assert (await client.post(f"{api}/minutes/{minutes['id']}/publish", json={}, headers=headers)).status_code == 200
    for path in (f"{api}/minutes/{minutes['id']}", f"{meeting}/minutes"):
        problem(await client.get(path, headers=member.headers), 404)
        assert (await client.get(path, headers=directors[1].headers)).status_code == 200, path
    assert (await client.get(f"{api}/minutes/{minutes['id']}/pdf", headers=directors[1].headers)).content.startswith(b"%PDF")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "member")  # a login that sits on no board
        listed = await browser.get(f"/t/{world.tenant.slug}/meetings")
        assert listed.status_code == 200 and "Assemblée extraordinaire" in listed.text and "Conseil de mars" not in listed.text
        assert (await browser.get(f"/t/{world.tenant.slug}/meetings/{board['id']}")).status_code == 404
        await sign_in(browser, world, "secretary")
        listed = await browser.get(f"/t/{world.tenant.slug}/meetings")
        assert "Conseil de mars" in listed.text and f'href="/t/{world.tenant.slug}/directors"' in listed.text


async def test_the_board_meetings_notice_reaches_the_directors_only(client, make_tenant, mailbox, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    director, member = await voters(database, world, 2)
    await appoint(client, world, headers, [director])
    api = f"/api/t/{world.tenant.slug}/meetings"
    board = (await client.post(api, json={"kind": "board", "title": "Conseil d'avril", "starts_at": in_days(20), "place": "Salle"}, headers=headers)).json()
    sent = await client.post(f"{api}/{board['id']}/notice", json={}, headers=headers)
    assert sent.status_code == 200, sent.text
    (message,) = await mailbox.received_by(director.member["email"])
    assert "Conseil d'avril" in message["Subject"]
    assert await mailbox.received_by(member.member["email"]) == []
    general = (await client.post(api, json={"kind": "special_general", "title": "Assemblée de mai", "starts_at": in_days(30), "place": "Salle"}, headers=headers)).json()
    assert (await client.post(f"{api}/{general['id']}/notice", json={}, headers=headers)).status_code == 200
    assert len(await mailbox.received_by(member.member["email"])) == 1


async def test_the_secretarys_page_of_directors(app, make_tenant, database):
    world = await make_tenant()
    (person,) = await voters(database, world, 1)
    page = f"/t/{world.tenant.slug}/directors"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        refused = await post_form(browser, page, {"member_number": "999999", "term_starts_on": world.tenant.today().isoformat()})
        assert refused.status_code == 422 and "Aucun membre n&#39;a ce numéro." in refused.text
        appointed = await post_form(browser, page, {"member_number": str(person.member["number"]), "seat_category": "user", "term_starts_on": world.tenant.today().isoformat()})
        assert appointed.status_code in (302, 303)
        roster = await browser.get(page)
        assert roster.status_code == 200 and f"({person.member['number']})" in roster.text and "Nommer" in roster.text
        ending = re.search(re.escape(page) + r'/([0-9a-f-]{36})/end"', roster.text).group(1)  # (the row's first form corrects the entry)
        assert (await post_form(browser, f"{page}/{ending}/end", {"term_ends_on": world.tenant.today().isoformat()})).status_code in (302, 303)
        assert f"({person.member['number']})" not in (await browser.get(page)).text
        await sign_in(browser, world, "member")
        assert (await browser.get(page)).status_code == 403


async def test_a_board_meeting_seats_the_directors_and_its_quorum_is_their_majority(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 5)
    directors, member = people[:3], people[3]
    await appoint(client, world, headers, directors)
    board = await in_session(client, world, headers, directors[:1], kind="board", title="Conseil de mai", starts_at=in_days(6))
    base = f"/api/t/{world.tenant.slug}/meetings/{board['id']}"
    problem(await client.post(f"{base}/attendance", json={"member_number": member.member["number"]}, headers=headers), 422, "member_number")
    assert (await client.get(f"{base}/quorum", headers=headers)).json() == {"present": 1, "entitled": 3, "needed": 2, "reached": False}
    assert (await client.post(f"{base}/attendance", json={"member_number": directors[1].member["number"]}, headers=headers)).status_code == 200
    assert (await client.get(f"{base}/quorum", headers=headers)).json()["reached"] is True
    # Where the by-laws let the absent vote online, the board's vote is still its directors' alone.
    settings = await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={**SETTINGS, "presence_required": False}, headers=headers)
    assert settings.status_code == 200, settings.text
    vote = await open_vote(client, world, headers, board["id"])
    assert vote["eligible_count"] == 3
    problem(await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=member.headers), 404)
