"""Meetings through the JSON API: calling, deadlines, the notice, settings, attendance, quorum."""

import datetime as dt

from tests.clock import in_days, next_clock_change
from tests.conftest import bearer
from tests.meetings.support import in_session, meeting, secretary, voters

SETTINGS = {
    "general_notice_days": 10, "special_notice_days": 10, "board_notice_days": 5, "agm_months_after_year_end": 6, "fiscal_year_end_month": 12,
    "fiscal_year_end_day": 31, "quorum_rule": "present", "quorum_value": 0, "abstentions_count": False,
    "presence_required": True, "representation_allowed": False, "proxies_allowed": False, "proxy_cap": 0,
    "requisition_large_membership": 2000, "requisition_large_count": 500, "requisition_percent": 25, "board_seats": {},
}


def problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    if field:
        assert field in [e["field"] for e in body.get("errors", [])], body
    return body


async def test_settings_have_the_acts_defaults_and_can_change(client, make_tenant):
    world = await make_tenant()
    headers = await secretary(client, world)
    url = f"/api/t/{world.tenant.slug}/governance/settings"
    assert (await client.get(url, headers=headers)).json() == SETTINGS
    changed = {**SETTINGS, "general_notice_days": 15, "special_notice_days": 7, "quorum_rule": "number", "quorum_value": 25, "representation_allowed": True}
    assert (await client.put(url, json=changed, headers=headers)).json() == changed
    assert (await client.get(url, headers=headers)).json() == changed
    problem(await client.put(url, json={**changed, "board_notice_days": -1}, headers=headers), 400, "board_notice_days")
    member = await bearer(client, world, "member")
    assert (await client.put(url, json=SETTINGS, headers=member)).status_code == 403
    assert (await client.get(url, headers=headers)).json() == changed
    # A PUT changes what it is given, nothing else: {} changes nothing, one field only that field.
    assert (await client.put(url, json={}, headers=headers)).json() == changed
    assert (await client.put(url, json={"requisition_percent": 10}, headers=headers)).json() == {**changed, "requisition_percent": 10}
    assert (await client.put(url, json={"proxy_cap": 3}, headers=headers)).json() == {**changed, "requisition_percent": 10, "proxy_cap": 3}


async def test_a_meeting_is_stored_in_utc_with_its_ordered_agenda(client, make_tenant):
    world = await make_tenant()
    headers = await secretary(client, world)
    created = await meeting(client, world, headers, starts_at="2031-05-20T19:00:00", video_url="https://meet.exemple.ca/aga")
    assert created["starts_at"].startswith("2031-05-20T23:00:00")  # 19 h in Montreal (EDT) is 23 h UTC
    assert [(i["position"], i["title"]) for i in created["agenda"]] == [(1, "Ouverture"), (2, "Règlements")]
    fetched = (await client.get(f"/api/t/{world.tenant.slug}/meetings/{created['id']}", headers=headers)).json()
    assert fetched == created
    listed = (await client.get(f"/api/t/{world.tenant.slug}/meetings", headers=await bearer(client, world, "member"))).json()
    assert [m["id"] for m in listed] == [created["id"]]


async def test_bad_meetings_are_refused_and_nothing_is_written(client, make_tenant):
    world = await make_tenant()
    headers = await secretary(client, world)
    url = f"/api/t/{world.tenant.slug}/meetings"
    base = {"kind": "board", "title": "CA", "starts_at": in_days(20), "place": "Salle"}
    cases = [
        ({**base, "place": None}, 422, "place"),  # neither a place nor a link
        ({**base, "kind": "picnic"}, 400, "kind"),
        ({**base, "video_url": "javascript:alert(1)"}, 400, "video_url"),
        ({**base, "starts_at": "demain"}, 400, "starts_at"),
        ({**base, "starts_at": f"{next_clock_change(forward=True)}T02:30:00"}, 422, "starts_at"),  # the clocks skip 2:00-3:00
        # The annual meeting of a year ending 31 December is held by 30 June.
        ({**base, "kind": "annual_general", "starts_at": "2031-07-02T19:00:00"}, 422, "deadline_reason"),
    ]
    for body, status, field in cases:
        problem(await client.post(url, json=body, headers=headers), status, field)
    assert (await client.get(url, headers=headers)).json() == []
    late = await client.post(url, json={**base, "kind": "annual_general", "starts_at": "2031-07-02T19:00:00", "deadline_reason": "Audit retardé"}, headers=headers)
    assert late.status_code == 201 and late.json()["deadline_reason"] == "Audit retardé"
    assert (await client.post(url, json={**base, "kind": "annual_general", "starts_at": "2031-06-30T19:00:00"}, headers=headers)).status_code == 201
    assert (await client.post(url, json=base, headers=await bearer(client, world, "member"))).status_code == 403


async def test_a_late_notice_is_refused_unless_the_secretary_records_why(client, make_tenant):
    world = await make_tenant()
    headers = await secretary(client, world)
    on_time = await meeting(client, world, headers, starts_at=in_days(11))
    late = await meeting(client, world, headers, starts_at=in_days(9))
    board_on_time = await meeting(client, world, headers, kind="board", starts_at=in_days(6))
    base = f"/api/t/{world.tenant.slug}/meetings"
    sent = await client.post(f"{base}/{on_time['id']}/notice", json={}, headers=headers)
    assert sent.status_code == 200 and sent.json()["notice_sent_at"] and sent.json()["late_notice_reason"] is None
    problem(await client.post(f"{base}/{on_time['id']}/notice", json={}, headers=headers), 409)  # sent once
    problem(await client.post(f"{base}/{late['id']}/notice", json={}, headers=headers), 422, "late_notice_reason")
    assert (await client.get(f"{base}/{late['id']}", headers=headers)).json()["notice_sent_at"] is None
    excused = await client.post(f"{base}/{late['id']}/notice", json={"late_notice_reason": "Salle réservée tardivement"}, headers=headers)
    assert excused.status_code == 200 and excused.json()["late_notice_reason"] == "Salle réservée tardivement"
    assert (await client.post(f"{base}/{board_on_time['id']}/notice", json={}, headers=headers)).status_code == 200


async def test_attendance_by_the_member_and_by_number_gives_a_live_quorum(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    ann, bob, carl = await voters(database, world, 3)
    (suspended,) = await voters(database, world, 1, status="applicant")
    await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={**SETTINGS, "quorum_rule": "number", "quorum_value": 2}, headers=headers)
    created = await meeting(client, world, headers, video_url="https://visio.exemple.ca/ag")  # members may attend from afar
    base = f"/api/t/{world.tenant.slug}/meetings/{created['id']}"
    problem(await client.post(f"{base}/presence", json={}, headers=ann.headers), 409)  # not in session yet
    assert (await client.post(f"{base}/start", json={}, headers=headers)).status_code == 200
    quorum = (await client.get(f"{base}/quorum", headers=ann.headers)).json()
    assert quorum == {"present": 0, "entitled": 3, "needed": 2, "reached": False}
    assert (await client.post(f"{base}/presence", json={}, headers=ann.headers)).json()["present"] is True
    assert (await client.post(f"{base}/attendance", json={"member_number": bob.member["number"]}, headers=headers)).status_code == 200
    assert (await client.get(f"{base}/quorum", headers=ann.headers)).json()["reached"] is True
    # Bob leaves, then comes back.
    assert (await client.post(f"{base}/attendance", json={"member_number": bob.member["number"], "present": False}, headers=headers)).json()["present"] is False
    assert (await client.get(f"{base}/quorum", headers=ann.headers)).json()["present"] == 1
    assert (await client.post(f"{base}/presence", json={"present": True}, headers=bob.headers)).status_code == 200
    assert (await client.get(f"{base}/quorum", headers=ann.headers)).json()["present"] == 2
    # Refusals, each changing nothing.
    problem(await client.post(f"{base}/attendance", json={"member_number": 9999}, headers=headers), 422, "member_number")
    problem(await client.post(f"{base}/attendance", json={"member_number": suspended.member["number"]}, headers=headers), 422, "member_number")
    problem(await client.post(f"{base}/attendance", json={"member_number": carl.member["number"], "representative_name": "Conjoint"}, headers=headers), 422, "representative_name")
    problem(await client.post(f"{base}/presence", json={}, headers=await bearer(client, world, "treasurer")), 403)  # no register entry
    listed = (await client.get(f"{base}/attendance", headers=headers)).json()
    assert [(a["member_number"], a["present"]) for a in listed] == [(ann.member["number"], True), (bob.member["number"], True)]
    assert (await client.get(f"{base}/attendance", headers=ann.headers)).status_code == 403
    # Where the by-laws allow it, a member is represented by a spouse or adult child.
    await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={**SETTINGS, "representation_allowed": True}, headers=headers)
    represented = await client.post(f"{base}/attendance", json={"member_number": carl.member["number"], "representative_name": "Marie Côté"}, headers=headers)
    assert represented.json()["representative_name"] == "Marie Côté"


async def test_the_meeting_adjourns_once_and_attendance_stops(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    (ann,) = await voters(database, world, 1)
    created = await in_session(client, world, headers, [ann])
    base = f"/api/t/{world.tenant.slug}/meetings/{created['id']}"
    problem(await client.post(f"{base}/start", json={}, headers=headers), 409)
    assert (await client.post(f"{base}/adjourn", json={}, headers=headers)).json()["status"] == "adjourned"
    problem(await client.post(f"{base}/adjourn", json={}, headers=headers), 409)
    problem(await client.post(f"{base}/presence", json={}, headers=ann.headers), 409)


async def test_another_tenants_meeting_is_not_found(client, make_tenant):
    a, b = await make_tenant(), await make_tenant()
    created = await meeting(client, b, await secretary(client, b))
    response = await client.get(f"/api/t/{a.tenant.slug}/meetings/{created['id']}", headers=await secretary(client, a))
    problem(response, 404)
    assert dt.datetime.fromisoformat(created["starts_at"])  # B's meeting is intact
