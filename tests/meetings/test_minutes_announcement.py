"""Approved minutes of a general meeting, once published, are announced by e-mail (through the
outbox and the job queue, to the tests' real SMTP server) to each active member with an address who
consents to be contacted, in their language, with the link to the meeting's page; once per minutes;
a board meeting's minutes are not announced; the secretary's page says how many were told."""

import secrets

import httpx
from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import notice
from tests.clock import in_days
from tests.conftest import admission, sign_in
from tests.meetings.support import in_session, secretary
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_minutes_approval import drafted
from tests.meetings.test_pages import post_form
from tests.tenants.test_pages import link_member

SUBJECTS = {"fr_CA": "Procès-verbal publié", "fi": "Pöytäkirja julkaistu", "en_CA": "Minutes published"}
LINES = {"fr_CA": "Consultez-le sur la page de l'assemblée", "fi": "Lue se kokouksen sivulta", "en_CA": "Read them on the meeting's page"}


async def members(client, world, headers) -> dict[str, dict]:
    """Who consents to be contacted, one per language; and those who are not told."""
    made = {}
    for name, overrides in {
        "fr_CA": {"language": "fr_CA", "consent_contact": True}, "fi": {"language": "fi", "first_name": "Aino", "consent_contact": True},
        "en_CA": {"language": "en_CA", "consent_contact": True},
        "no_consent": {"consent_contact": False}, "no_email": {"email": None, "consent_contact": True},
        "applicant": {"status": "applicant", "consent_contact": True},
    }.items():
        body = admission(**{"email": f"{name}.{secrets.token_hex(3)}@exemple.ca", **overrides})
        response = await client.post(f"/api/t/{world.tenant.slug}/members", json=body, headers=headers)
        assert response.status_code == 201, response.text
        made[name] = response.json()
    return made


async def test_published_minutes_of_a_general_meeting_are_announced_once(app, client, make_tenant, mailbox, database):
    world = await make_tenant()
    headers, held, _, minutes = await drafted(client, world, database)  # (its three voters do not consent)
    people = await members(client, world, headers)
    url = f"/api/t/{world.tenant.slug}/minutes/{minutes['id']}"
    approved = await client.post(f"{url}/approve", json={"approved_body": "board"}, headers=headers)
    assert approved.status_code == 200 and approved.json()["members_told"] is None
    problem(await client.post(f"{url}/approve", json={"approved_body": "board"}, headers=headers), 409)  # approved once
    assert await mailbox.received_by(people["fr_CA"]["email"]) == []  # not before the members can read them
    published = await client.post(f"{url}/publish", json={}, headers=headers)
    assert published.status_code == 200 and published.json()["members_told"] == 3, published.text
    link = f"/t/{world.tenant.slug}/meetings/{held['id']}#minutes"
    for language, subject in SUBJECTS.items():
        (message,) = await mailbox.received_by(people[language]["email"])
        assert message["Subject"].startswith(subject) and held["title"] in message["Subject"]
        body = message.get_body(("plain",)).get_content()
        assert LINES[language] in body and link in body and "http" in body
    for name in ("no_consent", "applicant"):
        assert await mailbox.received_by(people[name]["email"]) == []
    # Once per minutes: neither a second publication nor a second approval mails again.
    problem(await client.post(f"{url}/publish", json={}, headers=headers), 409)
    problem(await client.post(f"{url}/approve", json={"approved_body": "general_meeting"}, headers=headers), 409)
    for language in SUBJECTS:
        assert len(await mailbox.received_by(people[language]["email"])) == 1
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        page = await browser.get(f"/t/{world.tenant.slug}/meetings/{held['id']}/minutes")
        assert page.status_code == 200 and "3 membres en ont été avisés par courriel" in page.text
        # The member's link leads to the minutes on the meeting's page.
        await sign_in(browser, world, "member")
        await link_member(database, world, "member")
        meeting_page = await browser.get(f"/t/{world.tenant.slug}/meetings/{held['id']}")
        assert 'id="minutes"' in meeting_page.text and f"/minutes/{minutes['id']}/pdf" in meeting_page.text


async def test_a_board_meetings_minutes_are_not_announced(app, client, make_tenant, mailbox, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    board = await in_session(client, world, headers, [], kind="board", title="Conseil de mai", starts_at=in_days(2))
    api = f"/api/t/{world.tenant.slug}"
    assert (await client.post(f"{api}/meetings/{board['id']}/adjourn", json={}, headers=headers)).status_code == 200
    minutes = (await client.post(f"{api}/meetings/{board['id']}/minutes", json={}, headers=headers)).json()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        approved = await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes['id']}/approve", {"approved_body": "board", "approval_meeting_id": ""})
        assert approved.status_code in (302, 303), approved.text
        assert (await post_form(browser, f"/t/{world.tenant.slug}/minutes/{minutes['id']}/publish", {})).status_code in (302, 303)
        page = await browser.get(f"/t/{world.tenant.slug}/meetings/{board['id']}/minutes")
        assert "avisés par courriel" not in page.text
    assert (await client.get(f"{api}/minutes/{minutes['id']}", headers=headers)).json()["members_told"] is None
    for language in SUBJECTS:
        assert await mailbox.received_by(people[language]["email"]) == []


@given(st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(("active", "applicant", "withdrawn")), "email": st.one_of(st.none(), st.just(""), st.emails()), "consent_contact": st.booleans(),
})))
def test_only_active_members_with_an_address_who_consent_are_told(register):
    told = notice.minutes_recipients(register)
    assert told == [m for m in register if m["status"] == "active" and m["email"] and m["consent_contact"]]
