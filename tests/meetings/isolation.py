"""What the isolation walk (tests/test_isolation.py) needs of the meetings package: tenant B's
meeting, motion, vote and director, a valid body for each route that takes one, and B's state."""

import secrets

from tests.clock import in_days
from tests.conftest import admission
from tests.meetings import record_isolation, vote_isolation
from tests.meetings.test_meetings_api import SETTINGS

MEETING = {"kind": "board", "title": "Conseil", "starts_at": in_days(20), "place": "Salle", "agenda": [{"title": "Ouverture"}]}
JSON_BODIES = {
    ("PUT", "/api/t/{slug:str}/governance/settings"): lambda: SETTINGS,
    ("POST", "/api/t/{slug:str}/meetings"): lambda: MEETING,
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/notice"): lambda: {"late_notice_reason": "test"},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/start"): lambda: {},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/adjourn"): lambda: {},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/presence"): lambda: {"present": True},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/attendance"): lambda: {"member_number": 1},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/motions"): lambda: {"text": "Motion", "proposer_number": 1, "seconder_number": 2},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/votes"): lambda: {"question": "Q?"},
    ("POST", "/api/t/{slug:str}/motions/{motion_id:uuid}/withdraw"): lambda: {},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/minutes"): lambda: {},
    ("PUT", "/api/t/{slug:str}/minutes/{minutes_id:uuid}"): lambda: {"body": "Procès-verbal"},
    ("POST", "/api/t/{slug:str}/minutes/{minutes_id:uuid}/approve"): lambda: {"approved_body": "board"},
    ("POST", "/api/t/{slug:str}/votes/{vote_id:uuid}/open"): lambda: {},
    ("POST", "/api/t/{slug:str}/votes/{vote_id:uuid}/ballot"): lambda: {"choice": "yes"},
    ("POST", "/api/t/{slug:str}/votes/{vote_id:uuid}/close"): lambda: {},
    ("POST", "/api/t/{slug:str}/votes/{vote_id:uuid}/certify"): lambda: {},
    ("POST", "/api/t/{slug:str}/directors"): lambda: {"member_number": 1, "term_starts_on": "2024-01-01"},
    ("POST", "/api/t/{slug:str}/directors/{director_id:uuid}/end"): lambda: {"term_ends_on": "2031-01-01"},
    ("PATCH", "/api/t/{slug:str}/directors/{director_id:uuid}"): lambda: {"seat_category": "user", "term_starts_on": "2024-01-01"},
    ("PUT", "/api/t/{slug:str}/meetings/{meeting_id:uuid}"): lambda: {"title": "Changée", "starts_at": in_days(40), "place": "Salle"},
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/cancel"): lambda: {"reason": "test"},
    # the meeting's record (tests/meetings/record_isolation.py)
    **record_isolation.JSON_BODIES,
    **vote_isolation.JSON_BODIES,  # elections, consultations, vote modes
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/motions"): {"text": "Proposition", "proposer_number": "1", "seconder_number": "2"},
    ("POST", "/t/{slug:str}/motions/{motion_id:uuid}/withdraw"): {},
    ("POST", "/t/{slug:str}/meetings/settings"): {k: str(v) for k, v in SETTINGS.items() if not isinstance(v, bool | dict)},
    ("POST", "/t/{slug:str}/meetings"): {"kind": "board", "title": "Conseil", "starts_at": "2031-03-10T18:30", "place": "Salle", "agenda": "Ouverture"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/notice"): {"late_notice_reason": "test"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/presence"): {"present": "true"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/session"): {"status": "adjourned"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/attendance"): {"member_number": "1", "present": "true"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/votes"): {"question": "Q?", "majority": "majority", "secret": "on"},
    ("POST", "/t/{slug:str}/votes/{vote_id:uuid}/ballot"): {"choice": "yes"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/minutes"): {},
    ("POST", "/t/{slug:str}/minutes/{minutes_id:uuid}"): {"body": "Procès-verbal"},
    ("POST", "/t/{slug:str}/minutes/{minutes_id:uuid}/approve"): {"approved_body": "board"},
    ("POST", "/t/{slug:str}/votes/{vote_id:uuid}/open"): {},
    ("POST", "/t/{slug:str}/votes/{vote_id:uuid}/close"): {},
    ("POST", "/t/{slug:str}/votes/{vote_id:uuid}/certify"): {},
    ("POST", "/t/{slug:str}/directors"): {"member_number": "1", "term_starts_on": "2024-01-01"},
    ("POST", "/t/{slug:str}/directors/{director_id:uuid}/end"): {"term_ends_on": "2031-01-01"},
    ("POST", "/t/{slug:str}/directors/{director_id:uuid}"): {"seat_category": "user", "term_starts_on": "2024-01-01"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}"): {"title": "Changée", "starts_at": "2031-04-10T18:30", "place": "Salle"},
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/cancel"): {"cancel_reason": "test"},
    **record_isolation.FORM_BODIES,
    **vote_isolation.FORM_BODIES,
}
UPLOADS: dict = {**record_isolation.UPLOADS}


async def make_objects(client, world, headers) -> tuple[dict[str, str], list[str]]:
    """B's meeting (in session, B's member checked in), a motion and a vote, all with secret texts."""
    marker = f"Secret{secrets.token_hex(4)}"
    base = f"/api/t/{world.tenant.slug}"
    numbers = [(await client.post(f"{base}/members", json=admission(), headers=headers)).json()["number"] for _ in range(2)]
    meeting = (await client.post(f"{base}/meetings", json={**MEETING, "title": f"Réunion {marker}"}, headers=headers)).json()
    await client.post(f"{base}/meetings/{meeting['id']}/start", json={}, headers=headers)
    await client.post(f"{base}/meetings/{meeting['id']}/attendance", json={"member_number": numbers[0]}, headers=headers)
    motion = (await client.post(f"{base}/meetings/{meeting['id']}/motions", json={"text": f"Motion {marker}", "proposer_number": numbers[0], "seconder_number": numbers[1]}, headers=headers)).json()
    vote = (await client.post(f"{base}/meetings/{meeting['id']}/votes", json={"question": f"Question {marker}?"}, headers=headers)).json()
    held = (await client.post(f"{base}/meetings", json={**MEETING, "title": f"Conseil {marker}"}, headers=headers)).json()
    for step in ("start", "adjourn"):
        await client.post(f"{base}/meetings/{held['id']}/{step}", json={}, headers=headers)
    minutes = (await client.post(f"{base}/meetings/{held['id']}/minutes", json={}, headers=headers)).json()
    director = (await client.post(f"{base}/directors", json={"member_number": numbers[0], "term_starts_on": "2024-01-01"}, headers=headers)).json()
    ids = {"meeting_id": meeting["id"], "motion_id": motion["id"], "vote_id": vote["id"], "minutes_id": minutes["id"], "director_id": director["id"]}
    ids |= await vote_isolation.make_objects(client, world, headers, ids, marker)
    return {**ids, **await record_isolation.make_objects(client, world, headers, ids, marker)}, [marker]


async def snapshot(client, world, headers, ids) -> tuple:
    base = f"/api/t/{world.tenant.slug}"
    meeting = f"{base}/meetings/{ids['meeting_id']}"
    return tuple([
        (await client.get(path, headers=headers)).json()
        for path in (meeting, f"{meeting}/attendance", f"{meeting}/motions", f"{meeting}/votes", f"{base}/votes/{ids['vote_id']}", f"{base}/governance/settings",
                     f"{meeting}/notice", f"{base}/minutes/{ids['minutes_id']}", f"{base}/directors")
    ]) + await record_isolation.snapshot(client, world, headers, ids) + await vote_isolation.snapshot(client, world, headers, ids)
