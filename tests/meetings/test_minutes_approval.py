"""Minutes approved by a named body (the next general meeting or the board, at a later meeting of
that kind), then published to the members, once; the database keeps published minutes frozen."""

import httpx

from backend import db
from tests.clock import in_days
from tests.conftest import sign_in
from tests.meetings.support import meeting, secretary
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_minutes import held_meeting
from tests.meetings.test_pages import post_form
from tests.tenants.test_pages import link_member


async def drafted(client, world, database) -> tuple[dict, dict, list, dict]:
    """The secretary's headers, a held and adjourned meeting, its voters, and its draft minutes."""
    headers = await secretary(client, world)
    held, people = await held_meeting(client, world, database, headers)
    api = f"/api/t/{world.tenant.slug}"
    await client.post(f"{api}/meetings/{held['id']}/adjourn", json={}, headers=headers)
    minutes = (await client.post(f"{api}/meetings/{held['id']}/minutes", json={}, headers=headers)).json()
    return headers, held, people, minutes


async def test_the_approving_body_is_recorded_then_the_minutes_are_published_once(app, client, make_tenant, database):
    world = await make_tenant()
    headers, held, people, minutes = await drafted(client, world, database)
    api = f"/api/t/{world.tenant.slug}"
    url = f"{api}/minutes/{minutes['id']}"
    board = await meeting(client, world, headers, kind="board", title="Conseil de juin", starts_at=in_days(60))
    general = await meeting(client, world, headers, kind="annual_general", title="Assemblée annuelle", starts_at=in_days(90), deadline_reason="Report")
    earlier = await meeting(client, world, headers, kind="board", title="Conseil d'hier", starts_at=in_days(1))

    problem(await client.post(f"{url}/approve", json={}, headers=headers), 400, "approved_body")
    problem(await client.post(f"{url}/approve", json={"approved_body": "general_meeting", "approval_meeting_id": board["id"]}, headers=headers), 422, "approval_meeting_id")
    problem(await client.post(f"{url}/approve", json={"approved_body": "board", "approval_meeting_id": earlier["id"]}, headers=headers), 422, "approval_meeting_id")
    problem(await client.post(f"{url}/approve", json={"approved_body": "board", "approval_meeting_id": held["id"]}, headers=headers), 422, "approval_meeting_id")
    problem(await client.post(f"{url}/approve", json={"approved_body": "general_meeting", "approval_meeting_id": "00000000-0000-4000-8000-000000000000"}, headers=headers), 422, "approval_meeting_id")
    problem(await client.post(f"{url}/publish", json={}, headers=headers), 409)  # a draft is not published
    approved = (await client.post(f"{url}/approve", json={"approved_body": "general_meeting", "approval_meeting_id": general["id"]}, headers=headers)).json()
    assert (approved["status"], approved["approved_body"], approved["approval_meeting_id"], approved["published_at"]) == ("approved", "general_meeting", general["id"], None)

    member = people[0].headers
    problem(await client.get(url, headers=member), 404)
    problem(await client.post(f"{url}/publish", json={}, headers=member), 403)
    published = await client.post(f"{url}/publish", json={}, headers=headers)
    assert published.status_code == 200 and published.json()["published_at"]
    problem(await client.post(f"{url}/publish", json={}, headers=headers), 409)
    assert (await client.get(url, headers=member)).json()["body"] == minutes["body"]

    refused = []
    for change in ("published_at = NULL", "body = 'falsifié'", "approved_body = 'board'"):
        try:  # as the tables' owner, past the application: the trigger still refuses
            async with database.as_owner(), db.transaction(database.owner, write=True):
                await db.execute(database.owner, f"UPDATE meeting_minutes SET {change} WHERE id = {{}}", minutes["id"])
        except Exception as error:  # noqa: BLE001  (sqlite3 and asyncpg raise their own classes)
            refused.append("frozen" in str(error))
    assert refused == [True, True, True]
    assert (await client.get(url, headers=headers)).json() == published.json()

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "member")

        await link_member(database, world, "member")
        page = await browser.get(f"/t/{world.tenant.slug}/meetings/{held['id']}")
        assert f"/t/{world.tenant.slug}/minutes/{minutes['id']}/pdf" in page.text


async def test_the_secretary_approves_and_publishes_in_the_pages(app, client, make_tenant, database):
    world = await make_tenant()
    _, held, _, minutes = await drafted(client, world, database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        page = await browser.get(f"/t/{world.tenant.slug}/meetings/{held['id']}/minutes")
        assert 'name="approved_body"' in page.text and "Le conseil d&#39;administration" in page.text
        refused = await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes['id']}/approve", {"approved_body": "board", "approval_meeting_id": str(held["id"])})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        approved = await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes['id']}/approve", {"approved_body": "board", "approval_meeting_id": ""})
        assert approved.status_code in (302, 303), approved.text
        page = await browser.get(f"/t/{world.tenant.slug}/meetings/{held['id']}/minutes")
        assert "(Le conseil d&#39;administration)" in page.text and f"/minutes/{minutes['id']}/publish" in page.text
        assert (await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes['id']}/publish", {})).status_code in (302, 303)
        page = await browser.get(f"/t/{world.tenant.slug}/meetings/{held['id']}/minutes")
        assert f"/minutes/{minutes['id']}/publish" not in page.text and "Publié" in page.text
