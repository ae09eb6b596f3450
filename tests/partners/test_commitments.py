"""The confidentiality pledge (recorded from paper or signed through the login, by version and
date) and a mandate per involvement; nobody is seated without a valid pledge; the coordinator's
follow-up lists missing, outdated or expired pledges and seats without a current mandate."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from governance.partners import rules
from governance.partners.rules import MandateState, Period, PledgeState
from tests.conftest import bearer, sign_in
from tests.partners.helpers import activate, applied, coordinator_headers, pledge


async def test_a_partner_is_seated_only_with_a_valid_pledge_and_the_follow_up_shows_what_is_missing(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    api = f"/api/t/{slug}/program"
    today = program.tenant.today()
    partner = await applied(client, settings, program, email=program.emails["member"])
    await activate(client, program, partner["id"], headers)
    committee = (await client.post(f"{api}/committees", json={"name": "Comité des usagers", "kind": "users"}, headers=headers)).json()
    seat = {"partner_id": partner["id"], "role": "partner", "term_start": (today - dt.timedelta(days=30)).isoformat()}
    refused = await client.post(f"{api}/committees/{committee['id']}/members", json=seat, headers=headers)
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "partner_id"
    assert (await client.get(f"{api}/committees/{committee['id']}", headers=headers)).json()["members"] == []
    follow_up = (await client.get(f"{api}/follow-up", headers=headers)).json()
    assert [(p["id"], p["state"]) for p in follow_up["pledges"]] == [(partner["id"], "missing")]

    future = await client.post(f"{api}/partners/{partner['id']}/pledges", json={"signed_on": (today + dt.timedelta(days=1)).isoformat(), "version": "1"}, headers=headers)
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "signed_on"
    # Signed by the partner through their login: the current text, today.
    member = await bearer(client, program, "member")
    assert (await client.post(f"{api}/me/pledge", json={"accept": False}, headers=member)).status_code == 422
    signed = await client.post(f"{api}/me/pledge", json={"accept": True}, headers=member)
    assert signed.status_code == 201 and signed.json()["state"] == "valid" and signed.json()["pledges"][0]["signed_on"] == today.isoformat()
    seated = await client.post(f"{api}/committees/{committee['id']}/members", json=seat, headers=headers)
    assert seated.status_code == 201, seated.text
    follow_up = (await client.get(f"{api}/follow-up", headers=headers)).json()
    assert follow_up["pledges"] == [] and [(s["partner_id"], s["state"]) for s in follow_up["mandates"]] == [(partner["id"], "missing")]

    mandates = f"{api}/partners/{partner['id']}/mandates"
    for body, field in (({"kind": "committee", "starts_on": "2024-01-01", "ends_on": "2024-12-31"}, "committee_id"),
                        ({"kind": "project", "starts_on": "2024-01-01", "ends_on": "2024-12-31"}, "title"),
                        ({"kind": "project", "title": "Guide", "starts_on": "2024-12-31", "ends_on": "2024-01-01"}, "ends_on")):
        bad = await client.post(mandates, json=body, headers=headers)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == field, bad.text
    ended = {"kind": "committee", "committee_id": committee["id"], "starts_on": (today - dt.timedelta(days=400)).isoformat(), "ends_on": (today - dt.timedelta(days=1)).isoformat()}
    assert (await client.post(mandates, json=ended, headers=headers)).status_code == 201
    assert [s["state"] for s in (await client.get(f"{api}/follow-up", headers=headers)).json()["mandates"]] == ["expired"]
    current = {**ended, "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=365)).isoformat()}
    given_mandate = (await client.post(mandates, json=current, headers=headers)).json()
    assert given_mandate["title"] == "Comité des usagers"
    assert (await client.get(f"{api}/follow-up", headers=headers)).json()["mandates"] == []
    assert len((await client.get(mandates, headers=headers)).json()) == 2

    # A new text of the pledge: everyone signs again before being seated anew.
    assert (await client.put(f"{api}/policy", json={"pledge_version": "2025-1"}, headers=headers)).status_code == 200
    assert (await client.get(f"{api}/partners/{partner['id']}/pledge", headers=headers)).json()["state"] == "outdated"
    other = (await client.post(f"{api}/committees", json={"name": "Comité 2", "kind": "improvement"}, headers=headers)).json()
    assert (await client.post(f"{api}/committees/{other['id']}/members", json=seat, headers=headers)).status_code == 409
    assert (await client.get(f"{api}/me/pledge", headers=member)).json()["state"] == "outdated"
    assert (await client.post(f"{api}/partners/{partner['id']}/pledges", json={"signed_on": "2024-01-01", "version": "1"}, headers=member)).status_code == 403


async def test_the_partner_file_shows_refused_pledges_and_mandates_in_place(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await applied(client, settings, program)
    await activate(client, program, partner["id"], headers)
    await pledge(client, program, partner["id"], headers, signed_on="2020-01-01")  # expired (24 months)
    await sign_in(client, program, "partner_coordinator")
    csrf = {"_csrf_token": client.cookies["csrftoken"]}
    base = f"/t/{slug}/program/partners/{partner['id']}"
    tomorrow = (program.tenant.today() + dt.timedelta(days=1)).isoformat()
    refused = await client.post(f"{base}/pledges", data={"signed_on": tomorrow, "version": "1", **csrf})
    assert refused.status_code == 422 and 'id="f-signed_on-error"' in refused.text and f'value="{tomorrow}"' in refused.text
    bad = await client.post(f"{base}/mandates", data={"kind": "committee", "committee_id": "", "title": "", "starts_on": "2024-01-01", "ends_on": "2024-12-31", **csrf})
    assert bad.status_code == 422 and 'id="f-committee_id-error"' in bad.text
    follow_up = await client.get(f"/t/{slug}/program/follow-up")
    assert follow_up.status_code == 200 and partner["last_name"] in follow_up.text and "Expir" in follow_up.text
    assert (await client.post(f"{base}/pledges", data={"signed_on": program.tenant.today().isoformat(), "version": "1", **csrf})).status_code in (302, 303)
    assert partner["last_name"] not in (await client.get(f"/t/{slug}/program/follow-up")).text


signatures = st.lists(st.tuples(st.sampled_from(["1", "2"]), st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1))), max_size=5)


@given(signatures, st.sampled_from(["1", "2"]), st.integers(1, 60), st.dates(dt.date(2018, 1, 1), dt.date(2028, 1, 1)))
def test_a_pledge_is_valid_only_for_the_current_text_signed_within_its_period(pledges, version, months, today):
    state = rules.pledge_state(pledges, version, months, today)
    current = [day for text, day in pledges if text == version and day <= today]
    assert (state == PledgeState.MISSING) == (not pledges)
    if state == PledgeState.VALID:
        assert current and not rules.is_inactive(max(current), today, months)
    if current and not rules.is_inactive(max(current), today, months):
        assert state == PledgeState.VALID
    assert rules.pledge_state(list(reversed(pledges)), version, months, today) == state
    try:
        rules.check_pledge_for_seat(state)
    except rules.RuleViolation:
        assert state != PledgeState.VALID
    else:
        assert state == PledgeState.VALID


periods = st.builds(lambda start, days: Period(start, start + dt.timedelta(days=days)), st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)), st.integers(0, 800))


@given(periods, st.booleans(), st.lists(periods, max_size=4), st.dates(dt.date(2020, 1, 1), dt.date(2028, 1, 1)))
def test_a_seat_held_today_needs_a_mandate_covering_today(seat, open_ended, mandates, today):
    seat = Period(seat.starts_on, None) if open_ended else seat
    state = rules.mandate_state(seat, mandates, today)
    assert (state is None) == (not seat.covers(today))
    if state is not None:
        assert (state == MandateState.COVERED) == any(m.covers(today) for m in mandates)
        if state == MandateState.MISSING:
            assert all(m.starts_on > today for m in mandates)
