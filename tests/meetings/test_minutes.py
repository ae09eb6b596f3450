"""Minutes: drafted from the meeting's record (attendance and quorum, motions with mover and
seconder, the vote and its result, resolution numbers, the late-notice reason), edited, approved
and then frozen (a change is refused with 409 or made in a new version), PDF in the tenant's
language; through the API and the pages."""

import httpx

from backend import db, jobqueue
from tests.clock import in_days
from tests.conftest import bearer, sign_in
from tests.meetings.support import in_session, open_vote, secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_notice import pdf_objects
from tests.meetings.test_pages import post_form


async def held_meeting(client, world, database, headers) -> tuple[dict, list]:
    """An adjourned meeting called late (with a reason), three present, a motion adopted by secret ballot."""
    people = await voters(database, world, 3)
    held = await in_session(client, world, headers, [], starts_at=in_days(3), title="Assemblée extraordinaire 2031")
    base = f"/api/t/{world.tenant.slug}/meetings/{held['id']}"
    # The meeting was started before its notice went out: record it, late, with the reason.
    await client.post(f"{base}/notice", json={"late_notice_reason": "Inondation de la salle prévue"}, headers=headers)
    await jobqueue.drain()  # the notices' delivery, started after the commit, ends within the test
    for voter in people:
        assert (await client.post(f"{base}/attendance", json={"member_number": voter.member["number"]}, headers=headers)).status_code == 200
    motion = (await client.post(f"{base}/motions", json={
        "text": "Que le règlement 4 soit modifié.", "proposer_number": people[0].member["number"], "seconder_number": people[1].member["number"],
    }, headers=headers)).json()
    vote = await open_vote(client, world, headers, held["id"], motion_id=motion["id"], question=None)
    for voter, choice in zip(people, ("yes", "yes", "no"), strict=True):
        assert (await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot", json={"choice": choice}, headers=voter.headers)).status_code == 201
    assert (await client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/close", json={}, headers=headers)).status_code == 200
    return held, people


async def test_minutes_are_drafted_from_the_record_approved_and_frozen(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    held, people = await held_meeting(client, world, database, headers)
    api = f"/api/t/{world.tenant.slug}"
    problem(await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers), 409)  # still in session
    assert (await client.get(f"{api}/meetings/{held['id']}/minutes", headers=headers)).json() == []
    await client.post(f"{api}/meetings/{held['id']}/adjourn", json={}, headers=headers)

    drafted = await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers)
    assert drafted.status_code == 201, drafted.text
    minutes = drafted.json()
    body = minutes["body"]
    assert minutes["version"] == 1 and minutes["status"] == "draft"
    motion = (await client.get(f"{api}/meetings/{held['id']}/motions", headers=headers)).json()[0]
    mover, seconder = people[0].member, people[1].member
    for expected in (
        "Assemblée extraordinaire 2031", "Inondation de la salle prévue",  # the late-notice reason
        "3 membres présents sur 3", "Le quorum a été atteint",
        f"{mover['first_name']} {mover['last_name']} (membre no {mover['number']})", f"(membre no {seconder['number']})",
        "Que le règlement 4 soit modifié.", motion["resolution_number"], "scrutin secret", "Pour 2, Contre 1, Abstention 0", "adoptée",
    ):
        assert expected in body, (expected, body)

    url = f"{api}/minutes/{minutes['id']}"
    edited = await client.put(url, json={"body": body + "\n\nLa séance est levée à 21 h."}, headers=headers)
    assert edited.status_code == 200 and edited.json()["body"].endswith("levée à 21 h.")
    problem(await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers), 409)  # a draft exists
    problem(await client.put(url, json={"body": "x"}, headers=await bearer(client, world, "member")), 403)
    problem(await client.put(url, json={"body": "\x00"}, headers=headers), 400, "body")

    approved = await client.post(f"{url}/approve", json={"approved_body": "general_meeting"}, headers=headers)
    assert approved.status_code == 200 and approved.json()["status"] == "approved" and approved.json()["approved_at"]
    problem(await client.put(url, json={"body": "Réécrit"}, headers=headers), 409)
    problem(await client.post(f"{url}/approve", json={"approved_body": "board"}, headers=headers), 409)
    assert (await client.get(url, headers=headers)).json() == approved.json()  # frozen: unchanged

    second = (await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers)).json()
    assert (second["version"], second["status"], second["body"]) == (2, "draft", approved.json()["body"])
    versions = (await client.get(f"{api}/meetings/{held['id']}/minutes", headers=headers)).json()
    assert [(v["version"], v["status"]) for v in versions] == [(2, "draft"), (1, "approved")]

    document = await client.get(f"{url}/pdf", headers=headers)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert b"/Lang (fr)" in pdf_objects(document.content)  # the tenant's language


async def test_the_database_refuses_to_change_approved_minutes(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    held, _ = await held_meeting(client, world, database, headers)
    api = f"/api/t/{world.tenant.slug}"
    await client.post(f"{api}/meetings/{held['id']}/adjourn", json={}, headers=headers)
    minutes = (await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers)).json()
    await client.post(f"{api}/minutes/{minutes['id']}/approve", json={"approved_body": "board"}, headers=headers)
    refused = None
    try:  # as the tables' owner, past the application: the trigger still refuses
        async with database.as_owner(), db.transaction(database.owner, write=True):
            await db.execute(database.owner, "UPDATE meeting_minutes SET body = 'falsifié' WHERE id = {}", minutes["id"])
    except Exception as error:  # noqa: BLE001  (sqlite3 and asyncpg raise their own classes)
        refused = error
    assert refused is not None and "frozen" in str(refused)
    assert (await client.get(f"{api}/minutes/{minutes['id']}", headers=headers)).json()["body"] == minutes["body"]


async def test_the_secretary_drafts_edits_and_approves_the_minutes_in_the_pages(app, client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    held, _ = await held_meeting(client, world, database, headers)
    await client.post(f"/api/t/{world.tenant.slug}/meetings/{held['id']}/adjourn", json={}, headers=headers)
    page = f"/t/{world.tenant.slug}/meetings/{held['id']}/minutes"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        assert "Rédiger le procès-verbal" in (await browser.get(page)).text
        assert (await post_form(browser, page, {})).status_code in (302, 303)
        shown = await browser.get(page)
        assert "Inondation de la salle prévue" in shown.text
        minutes_id = (await client.get(f"/api/t/{world.tenant.slug}/meetings/{held['id']}/minutes", headers=headers)).json()[0]["id"]
        refused = await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes_id}", {"body": ""})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        assert (await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes_id}", {"body": "Procès-verbal révisé."})).status_code in (302, 303)
        assert (await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes_id}/approve", {"approved_body": "board"})).status_code in (302, 303)
        frozen = await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes_id}", {"body": "Encore"})
        assert frozen.status_code == 409
        assert (await browser.get(f"/t/{world.tenant.slug}/minutes/{minutes_id}/pdf")).content.startswith(b"%PDF")
    assert (await client.get(f"/api/t/{world.tenant.slug}/minutes/{minutes_id}", headers=headers)).json()["body"] == "Procès-verbal révisé."


async def test_members_read_minutes_only_once_approved_and_published(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    held, people = await held_meeting(client, world, database, headers)
    api = f"/api/t/{world.tenant.slug}"
    await client.post(f"{api}/meetings/{held['id']}/adjourn", json={}, headers=headers)
    draft = (await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers)).json()
    member = people[0].headers
    assert (await client.get(f"{api}/minutes/{draft['id']}", headers=member)).status_code == 404
    assert (await client.get(f"{api}/minutes/{draft['id']}/pdf", headers=member)).status_code == 404
    assert (await client.get(f"{api}/meetings/{held['id']}/minutes", headers=member)).json() == []
    assert (await client.post(f"{api}/minutes/{draft['id']}/approve", json={"approved_body": "board"}, headers=headers)).status_code == 200
    assert (await client.get(f"{api}/minutes/{draft['id']}", headers=member)).status_code == 404  # approved, not yet published
    assert (await client.post(f"{api}/minutes/{draft['id']}/publish", json={}, headers=headers)).status_code == 200
    approved = await client.get(f"{api}/minutes/{draft['id']}", headers=member)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [m["id"] for m in (await client.get(f"{api}/meetings/{held['id']}/minutes", headers=member)).json()] == [draft["id"]]
