"""Committees kept from the pages: renamed, their members' roles and terms changed, a term ended,
the committee ended with the terms still running; an ended committee takes no member nor meeting.
The same through the API."""

import datetime as dt

from tests.conftest import sign_in
from tests.partners.helpers import coordinator_headers
from tests.partners.test_committees_api import committee_with_partners
from tests.partners.test_pages import csrf


async def test_a_committee_and_its_seats_are_changed_and_ended_from_the_pages(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(True,))
    await sign_in(client, program, "partner_coordinator")
    token = {"_csrf_token": csrf(client)}
    page = f"/t/{slug}/program/committees/{committee['id']}"
    edit = await client.get(f"{page}/edit")
    assert edit.status_code == 200 and 'data-confirm="Mettre fin à ce comité?' in edit.text
    unnamed = await client.post(page, data={"name": "", "kind": "users", "mandate": "Écouter", **token})
    assert unnamed.status_code == 422 and 'id="f-name-error"' in unnamed.text and "Écouter" in unnamed.text
    renamed = await client.post(page, data={"name": "Comité des usagers", "kind": "users", "mandate": "Écouter", **token})
    assert renamed.headers["location"] == f"{page}?done=committee_saved"
    shown = (await client.get(renamed.headers["location"])).text
    assert "Le comité a été enregistré." in shown and "Comité des usagers" in shown and "Comité des usagers (" not in shown
    seat = seats[0]["id"]
    over = dt.date(2025, 12, 31) < program.tenant.today()  # the partner's term ends then
    assert ("Modifier le siège" if over else "Modifier ou terminer le mandat") in shown  # a term over is corrected, not ended
    backwards = await client.post(f"{page}/members/{seat}", data={"role": "chair", "term_start": "2024-01-01", "term_end": "2023-06-30", **token})
    assert backwards.status_code == 422 and f'id="f-term_end-{seat}-error"' in backwards.text
    changed = await client.post(f"{page}/members/{seat}", data={"role": "chair", "term_start": "2024-01-01", "term_end": "", **token})
    assert changed.headers["location"] == f"{page}?done=seat_saved#seat-{seat}"
    assert "Modifier ou terminer le mandat" in (await client.get(page)).text  # a term without end runs: it can end
    ended = await client.post(f"{page}/members/{seat}/end", data={"ended_on": "2024-06-30", **token})
    assert ended.headers["location"] == f"{page}?done=seat_ended#seat-{seat}"
    assert "Le mandat de la personne a pris fin." in (await client.get(ended.headers["location"])).text
    api = f"/api/t/{slug}/program/committees/{committee['id']}"
    members = {m["id"]: m for m in (await client.get(api, headers=headers)).json()["members"]}
    assert members[seat]["role"] == "chair" and members[seat]["term_end"] == "2024-06-30"
    too_early = await client.post(f"{page}/end", data={"ended_on": "2023-12-31", **token})  # before the members' terms start
    assert too_early.status_code == 422 and 'id="f-ended_on-error"' in too_early.text
    done = await client.post(f"{page}/end", data={"ended_on": "2025-06-30", **token})
    assert done.headers["location"] == f"{page}?done=committee_ended#members"
    after = (await client.get(api, headers=headers)).json()
    assert after["ended_on"] == "2025-06-30"
    terms = {m["id"]: m["term_end"] for m in after["members"]}
    assert terms[staff["id"]] == "2025-06-30" and terms[seat] == "2024-06-30"  # a term ended before stays as it was
    closed = (await client.get(page)).text
    assert f'action="{page}/members"' not in closed and f'action="{page}/meetings"' not in closed
    refused = await client.post(f"/api/t/{slug}/program/committees/{committee['id']}/members", json={"name": "X", "role": "professional", "term_start": "2025-01-01"}, headers=headers)
    assert refused.status_code == 409
    again = await client.post(f"{api}/end", json={"ended_on": "2025-07-01"}, headers=headers)
    assert again.status_code == 409


async def test_the_api_changes_and_ends_committees_and_seats(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    committee, partners, seats, staff, meeting = await committee_with_partners(client, settings, program, headers, consents=(True,))
    api = f"/api/t/{slug}/program/committees/{committee['id']}"
    changed = await client.patch(api, json={"mandate": "Nouveau mandat"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["mandate"] == "Nouveau mandat" and changed.json()["name"] == committee["name"]
    assert (await client.patch(api, json={"kind": "nope"}, headers=headers)).status_code == 400
    role = await client.patch(f"{api}/members/{staff['id']}", json={"role": "secretary"}, headers=headers)
    assert role.status_code == 200 and role.json()["role"] == "secretary" and role.json()["term_start"] == "2024-01-01"
    meeting_after = await client.post(f"{api}/end", json={"ended_on": "2024-03-01"}, headers=headers)  # its meeting of 12 March comes after
    assert meeting_after.status_code == 409
    ended = await client.post(f"{api}/members/{staff['id']}/end", json={"ended_on": "2024-12-31"}, headers=headers)
    assert ended.status_code == 200 and ended.json()["term_end"] == "2024-12-31"
    assert (await client.post(f"{api}/members/{staff['id']}/end", json={"ended_on": "2025-12-31"}, headers=headers)).status_code == 409
    other = (await client.post(f"/api/t/{slug}/program/committees", json={"name": "Autre", "kind": "users"}, headers=headers)).json()
    assert (await client.patch(f"/api/t/{slug}/program/committees/{other['id']}/members/{staff['id']}", json={"role": "chair"}, headers=headers)).status_code == 404
