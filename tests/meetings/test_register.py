"""The register of resolutions (page, PDF, CSV: every adopted resolution by number; members read
the general meetings') and the annual report's governance part (PDF)."""

import csv
import datetime as dt
import io

import httpx

from tests.clock import days_in_one_year, in_days
from tests.conftest import bearer, sign_in
from tests.meetings.support import appoint, in_session, open_vote, secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_notice import pdf_objects


async def adopt(client, world, headers, people, text: str, **meeting) -> dict:
    """A meeting in session where a motion is adopted by the people present; then adjourned."""
    held = await in_session(client, world, headers, people, **meeting)
    api = f"/api/t/{world.tenant.slug}"
    motion = (await client.post(f"{api}/meetings/{held['id']}/motions", json={
        "text": text, "proposer_number": people[0].member["number"], "seconder_number": people[1].member["number"],
    }, headers=headers)).json()
    vote = await open_vote(client, world, headers, held["id"], motion_id=motion["id"], question=None)
    for voter in people:
        assert (await client.post(f"{api}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=voter.headers)).status_code == 201
    await client.post(f"{api}/votes/{vote['id']}/close", json={}, headers=headers)
    await client.post(f"{api}/meetings/{held['id']}/adjourn", json={}, headers=headers)
    return held


async def test_the_register_of_resolutions_and_the_annual_report(app, client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await voters(database, world, 3)
    workers = await voters(database, world, 2, category="worker")
    await appoint(client, world, headers, people)  # who votes at the board's meeting sits on it
    first = days_in_one_year(30, 3)  # the three meetings in one year: resolution numbers are per year
    year = dt.date.fromisoformat(in_days(first)[:10]).year
    await adopt(client, world, headers, people, "Que le budget soit adopté.", kind="special_general", title="Assemblée extraordinaire", starts_at=in_days(first))
    await adopt(client, world, headers, people, "=HYPERLINK(\"http://x\")", kind="board", title="Conseil", starts_at=in_days(first + 1))
    api = f"/api/t/{world.tenant.slug}"

    register = (await client.get(f"{api}/resolutions", headers=headers)).json()
    assert [r["resolution_number"] for r in register] == [f"AGE-{year}-01", f"CA-{year}-01"]
    assert register[0]["text"] == "Que le budget soit adopté." and register[0]["meeting_kind"] == "special_general"
    member = (await client.get(f"{api}/resolutions", headers=workers[0].headers)).json()
    assert [r["resolution_number"] for r in member] == [f"AGE-{year}-01"]  # the board's are the board's
    director = (await client.get(f"{api}/resolutions", headers=people[0].headers)).json()
    assert [r["resolution_number"] for r in director] == [f"AGE-{year}-01", f"CA-{year}-01"]
    rows = list(csv.reader(io.StringIO((await client.get(f"{api}/resolutions.csv", headers=headers)).content.decode("utf-8-sig"))))
    assert rows[0][0] == "Numéro de résolution" and [r[0] for r in rows[1:]] == [f"AGE-{year}-01", f"CA-{year}-01"]
    assert rows[2][5] == "'=HYPERLINK(\"http://x\")"  # no formula reaches a spreadsheet
    document = await client.get(f"{api}/resolutions.pdf", headers=headers)
    assert document.status_code == 200 and document.content.startswith(b"%PDF") and b"/Lang (fr)" in pdf_objects(document.content)

    report = (await client.get(f"{api}/annual-report/governance", params={"year": year}, headers=headers)).json()
    assert (report["general_meetings"], report["board_meetings"], report["resolutions"], report["active_members"]) == (1, 1, 1, 5)
    assert {r["category"]: r["active"] for r in report["members_by_category"]} == {"user": 3, "worker": 2, "supporting": 0}
    assert report["annual_meetings"] == [] and report["directors"] == []
    problem(await client.get(f"{api}/annual-report/governance", params={"year": year}, headers=people[0].headers), 403)
    problem(await client.get(f"{api}/annual-report/governance", params={"year": 99999}, headers=headers), 400)
    annual = (await client.post(f"{api}/meetings", json={
        "kind": "annual_general", "title": "Assemblée annuelle", "starts_at": in_days(first + 2), "place": "Salle", "deadline_reason": "Report autorisé",
    }, headers=headers)).json()
    report = (await client.get(f"{api}/annual-report/governance", params={"year": year}, headers=headers)).json()
    assert [m["id"] for m in report["annual_meetings"]] == [annual["id"]] and report["annual_meetings"][0]["held_on"] == in_days(first + 2)[:10]
    document = await client.get(f"{api}/annual-report/governance.pdf", params={"year": year}, headers=headers)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        page = await browser.get(f"/t/{world.tenant.slug}/resolutions")
        assert page.status_code == 200 and f"CA-{year}-01" in page.text and "Que le budget soit adopté." in page.text
        assert (await browser.get(f"/t/{world.tenant.slug}/resolutions.pdf")).content.startswith(b"%PDF")
        page = await browser.get(f"/t/{world.tenant.slug}/annual-report", params={"year": year})
        assert page.status_code == 200 and "Assemblée annuelle" in page.text and "Rapport annuel" in page.text
        assert (await browser.get(f"/t/{world.tenant.slug}/annual-report.pdf", params={"year": year})).content.startswith(b"%PDF")
    assert (await client.get(f"{api}/resolutions", headers=await bearer(client, world, "treasurer"))).status_code == 200
