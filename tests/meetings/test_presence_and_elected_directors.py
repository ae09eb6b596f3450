"""Issue 12's meetings parts: a member checks themselves in only where the meeting has a video link
(in a room only: at the door, with the card's QR code, or by the secretary), so that nobody at
home counts toward the quorum; the winners of an election of directors enter the register of
directors when its result is certified, in the seat of the election's category."""

from tests.conftest import sign_in
from tests.meetings.support import appoint, in_session, meeting, secretary, voters
from tests.meetings.test_elections import election, nominated_and_accepted
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_pages import post_form


async def test_a_member_checks_in_alone_only_where_the_meeting_has_a_video_link(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await secretary(client, world)
    (ann,) = await voters(database, world, 1)
    in_room = await meeting(client, world, headers)
    online = await meeting(client, world, headers, video_url="https://visio.exemple.ca/ag")
    for held in (in_room, online):
        assert (await client.post(f"/api/t/{slug}/meetings/{held['id']}/start", json={}, headers=headers)).status_code == 200
    problem(await client.post(f"/api/t/{slug}/meetings/{in_room['id']}/presence", json={}, headers=ann.headers), 409)
    assert (await client.get(f"/api/t/{slug}/meetings/{in_room['id']}/quorum", headers=ann.headers)).json()["present"] == 0
    page = await client.get(f"/t/{slug}/meetings/{in_room['id']}", headers=ann.headers)
    assert "à la porte" in page.text and f'action="/t/{slug}/meetings/{in_room["id"]}/presence"' not in page.text
    assert (await client.post(f"/api/t/{slug}/meetings/{online['id']}/presence", json={}, headers=ann.headers)).json()["present"] is True
    assert (await client.post(f"/api/t/{slug}/meetings/{in_room['id']}/attendance", json={"member_number": ann.member["number"]}, headers=headers)).status_code == 200
    assert (await client.post(f"/api/t/{slug}/meetings/{in_room['id']}/presence", json={"present": False}, headers=ann.headers)).json()["present"] is False  # leaving is theirs


async def test_the_certified_winners_enter_the_register_of_directors_in_their_seat(client, make_tenant, database):
    world = await make_tenant(categories=("user", "worker"))
    slug = world.tenant.slug
    headers = await secretary(client, world)
    people = await voters(database, world, 4)
    ann, bob, chloe, denis = people
    await appoint(client, world, headers, [bob])  # Bob sits already: re-elected, he keeps his term
    held = await in_session(client, world, headers, people, kind="annual_general", starts_at="2031-04-24T19:00:00")
    made = await election(client, world, headers, held["id"], category="user")
    await nominated_and_accepted(client, world, headers, made, people, [ann, bob, chloe])
    assert (await client.post(f"/api/t/{slug}/votes/{made['vote_id']}/open", json={}, headers=headers)).status_code == 200
    numbers = {c["member_number"]: c["ballot_number"] for c in (await client.get(f"/api/t/{slug}/elections/{made['id']}", headers=headers)).json()["candidates"]}
    for person in people:
        marks = [numbers[ann.member["number"]], numbers[bob.member["number"]]] if person is not chloe else [numbers[chloe.member["number"]]]
        assert (await client.post(f"/api/t/{slug}/elections/{made['id']}/ballot", json={"candidates": marks}, headers=person.headers)).status_code == 201
    assert (await client.post(f"/api/t/{slug}/votes/{made['vote_id']}/close", json={}, headers=headers)).status_code == 200
    before = (await client.get(f"/api/t/{slug}/directors", headers=headers)).json()
    assert [d["member_number"] for d in before] == [bob.member["number"]]  # closed is not certified

    await sign_in(client, world, "secretary")
    certified = await post_form(client, f"/t/{slug}/votes/{made['vote_id']}/certify", {"scrutineers": "Rémi Doucet"})
    assert certified.status_code in (302, 303)
    after = (await client.get(f"/api/t/{slug}/directors", headers=headers)).json()
    by_number = {d["member_number"]: d for d in after}
    assert set(by_number) == {ann.member["number"], bob.member["number"]}
    assert by_number[ann.member["number"]]["seat_category"] == "user" and by_number[ann.member["number"]]["term_starts_on"] == world.tenant.today().isoformat()
    assert by_number[bob.member["number"]]["id"] == before[0]["id"]  # his term goes on
    assert ann.member["last_name"] in (await client.get(f"/t/{slug}/directors")).text
