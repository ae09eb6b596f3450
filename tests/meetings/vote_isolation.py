from tests.clock import in_days

"""What the isolation walk needs of elections, consultations and vote modes (tests/meetings/isolation.py
merges it): tenant B's objects, a valid body for each route, and B's state."""


JSON_BODIES = {
    ("POST", "/api/t/{slug:str}/meetings/{meeting_id:uuid}/elections"): lambda: {"title": "CA", "seats": 1, "nominations_close_at": in_days(3)},
    ("POST", "/api/t/{slug:str}/elections/{election_id:uuid}/nominations"): lambda: {"candidate_number": 1},
    ("POST", "/api/t/{slug:str}/candidacies/{candidacy_id:uuid}/accept"): lambda: {},
    ("POST", "/api/t/{slug:str}/elections/{election_id:uuid}/ballot"): lambda: {"candidates": [1]},
    ("POST", "/api/t/{slug:str}/consultations"): lambda: {"title": "Q", "opens_at": in_days(-1), "closes_at": in_days(3)},
    ("POST", "/api/t/{slug:str}/consultations/{consultation_id:uuid}/open"): lambda: {},
    ("POST", "/api/t/{slug:str}/consultations/{consultation_id:uuid}/ballot"): lambda: {"choice": "yes"},
    ("POST", "/api/t/{slug:str}/consultations/{consultation_id:uuid}/close"): lambda: {},
    ("POST", "/api/t/{slug:str}/consultations/{consultation_id:uuid}/certify"): lambda: {},
    ("POST", "/api/t/{slug:str}/votes/{vote_id:uuid}/room-count"): lambda: {"yes": 1, "no": 0},
}
FORM_BODIES = {
    ("POST", "/t/{slug:str}/meetings/{meeting_id:uuid}/elections"): {"title": "CA", "seats": "1", "method": "plurality", "nominations_close_at": "2031-03-10T18:30"},
    ("POST", "/t/{slug:str}/elections/{election_id:uuid}/nominations"): {"candidate_number": "1"},
    ("POST", "/t/{slug:str}/candidacies/{candidacy_id:uuid}/accept"): {},
    ("POST", "/t/{slug:str}/elections/{election_id:uuid}/ballot"): {"mark-1": "on"},
    ("POST", "/t/{slug:str}/consultations"): {"title": "Q", "opens_at": "2031-03-10T18:30", "closes_at": "2031-03-12T18:30"},
    ("POST", "/t/{slug:str}/consultations/{consultation_id:uuid}/open"): {},
    ("POST", "/t/{slug:str}/consultations/{consultation_id:uuid}/ballot"): {"choice": "yes"},
    ("POST", "/t/{slug:str}/consultations/{consultation_id:uuid}/close"): {},
    ("POST", "/t/{slug:str}/consultations/{consultation_id:uuid}/certify"): {},
    ("POST", "/t/{slug:str}/votes/{vote_id:uuid}/room-count"): {"yes": "1", "no": "0"},
}


async def make_objects(client, world, headers, ids: dict, marker: str) -> dict:
    """B's election on B's meeting, with a candidate nominated on paper (not accepted)."""
    base = f"/api/t/{world.tenant.slug}"
    members = (await client.get(f"{base}/members", headers=headers)).json()
    numbers = [m["number"] for m in (members["items"] if isinstance(members, dict) else members)][:2]
    election = (await client.post(f"{base}/meetings/{ids['meeting_id']}/elections", json={"title": f"Élection {marker}", "seats": 1, "nominations_close_at": in_days(3)}, headers=headers)).json()
    candidacy = (await client.post(f"{base}/elections/{election['id']}/nominations", json={"candidate_number": numbers[0], "nominator_number": numbers[1]}, headers=headers)).json()
    consultation = (await client.post(f"{base}/consultations", json={"title": f"Consultation {marker}", "opens_at": in_days(-1), "closes_at": in_days(3)}, headers=headers)).json()
    return {"election_id": election["id"], "candidacy_id": candidacy["id"], "consultation_id": consultation["id"]}


async def snapshot(client, world, headers, ids) -> tuple:
    base = f"/api/t/{world.tenant.slug}"
    return tuple([(await client.get(path, headers=headers)).json() for path in (f"{base}/elections/{ids['election_id']}", f"{base}/consultations/{ids['consultation_id']}")])
