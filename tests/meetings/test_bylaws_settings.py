"""The by-laws' settings page holds every number the meetings follow, the board's seats per member
category among them, and refuses what contradicts itself, every field at once, in words next to
each field. Where the by-laws reserve seats, a director takes a free seat of their own category."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import rules
from tests.conftest import sign_in
from tests.meetings.support import secretary, voters
from tests.meetings.test_meetings_api import SETTINGS, problem
from tests.meetings.test_pages import post_form

FORM = {k: str(v) for k, v in SETTINGS.items() if not isinstance(v, bool | dict)}


@given(st.integers(1, 12), st.integers(1, 31))
def test_a_fiscal_year_ends_on_a_day_its_month_has(month, day):
    faults = rules.settings_faults(rules.GovernanceSettings(fiscal_year_end_month=month, fiscal_year_end_day=day), ("user",))
    try:
        dt.date(2024, month, day)  # (a leap year: a year may end on 29 February)
        exists = True
    except ValueError:
        exists = False
    assert (("fiscal_year_end_day", "This month has not that many days.") not in faults) == exists


@given(st.dictionaries(st.sampled_from(["user", "worker", "supporting"]), st.integers(0, 15)))
def test_the_boards_seats_are_the_acts_size_and_the_organisations_categories(seats):
    seats = {c: n for c, n in seats.items() if n}
    fields = {field for field, _ in rules.settings_faults(rules.GovernanceSettings(board_seats=seats), ("user", "worker"))}
    total = sum(seats.values())
    assert ("board_seats" in fields) == (bool(seats) and (not 3 <= total <= 15 or "supporting" in seats))


async def test_the_secretary_sets_the_seats_and_the_year_end_in_words(client, make_tenant):
    world = await make_tenant(categories=("user", "worker"))
    slug = world.tenant.slug
    await sign_in(client, world, "secretary")
    shown = await client.get(f"/t/{slug}/meetings/settings")
    assert '<option value="12" selected>décembre</option>' in shown.text and 'name="seats_worker"' in shown.text and 'name="seats_supporting"' not in shown.text
    refused = await post_form(client, f"/t/{slug}/meetings/settings", {
        **FORM, "fiscal_year_end_month": "2", "fiscal_year_end_day": "30", "quorum_rule": "percent", "quorum_value": "120",
        "proxies_allowed": "on", "proxy_cap": "0", "seats_user": "1", "seats_worker": "1",
    })
    assert refused.status_code == 422
    for field in ("fiscal_year_end_day", "quorum_value", "proxy_cap", "board_seats"):  # all at once, each by its field
        assert f'id="f-{field}-error"' in refused.text, field
    assert "Ce mois n&#39;a pas autant de jours." in refused.text and "au plus 100" in refused.text  # in words
    typo = await post_form(client, f"/t/{slug}/meetings/settings", {**FORM, "seats_user": "beaucoup", "general_notice_days": "-1"})
    assert typo.status_code == 422 and 'id="f-seats_user-error"' in typo.text and 'id="f-general_notice_days-error"' in typo.text
    saved = await post_form(client, f"/t/{slug}/meetings/settings", {**FORM, "fiscal_year_end_month": "3", "fiscal_year_end_day": "31", "seats_user": "3", "seats_worker": "2"})
    assert saved.status_code in (302, 303), saved.text
    after = await client.get(saved.headers["location"])
    assert '<option value="3" selected>mars</option>' in after.text and 'name="seats_user" type="number" value="3"' in after.text
    api = (await client.get(f"/api/t/{slug}/governance/settings", headers=await secretary(client, world))).json()
    assert api["board_seats"] == {"user": 3, "worker": 2} and api["fiscal_year_end_month"] == 3


async def test_a_director_takes_a_free_seat_of_their_own_category(client, make_tenant, database):
    world = await make_tenant(categories=("user", "worker"))
    headers = await secretary(client, world)
    users = await voters(database, world, 2)
    (worker,) = await voters(database, world, 1, category="worker")
    settings = await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={"board_seats": {"user": 1, "worker": 2}}, headers=headers)
    assert settings.status_code == 200, settings.text
    url, today = f"/api/t/{world.tenant.slug}/directors", world.tenant.today().isoformat()
    problem(await client.post(url, json={"member_number": users[0].member["number"], "term_starts_on": today}, headers=headers), 422, "seat_category")
    problem(await client.post(url, json={"member_number": worker.member["number"], "seat_category": "user", "term_starts_on": today}, headers=headers), 422, "seat_category")
    assert (await client.post(url, json={"member_number": users[0].member["number"], "seat_category": "user", "term_starts_on": today}, headers=headers)).status_code == 201
    problem(await client.post(url, json={"member_number": users[1].member["number"], "seat_category": "user", "term_starts_on": today}, headers=headers), 409, "seat_category")
    assert (await client.post(url, json={"member_number": worker.member["number"], "seat_category": "worker", "term_starts_on": today}, headers=headers)).status_code == 201
    problem(await client.put(f"/api/t/{world.tenant.slug}/governance/settings", json={"board_seats": {"supporting": 3}}, headers=headers), 422, "board_seats")


async def test_the_secretary_corrects_a_directors_seat_in_the_register(client, make_tenant, database):
    world = await make_tenant(categories=("user", "worker"))
    slug = world.tenant.slug
    headers = await secretary(client, world)
    (ann,) = await voters(database, world, 1)
    today = world.tenant.today()
    made = (await client.post(f"/api/t/{slug}/directors", json={"member_number": ann.member["number"], "term_starts_on": today.isoformat()}, headers=headers)).json()
    await sign_in(client, world, "secretary")
    future = await post_form(client, f"/t/{slug}/directors/{made['id']}", {"seat_category": "user", "term_starts_on": (today + dt.timedelta(days=3)).isoformat()})
    assert future.status_code == 422 and "<details open>" in future.text and 'class="field-error"' in future.text
    earlier = (today - dt.timedelta(days=30)).isoformat()
    corrected = await post_form(client, f"/t/{slug}/directors/{made['id']}", {"seat_category": "user", "term_starts_on": earlier})
    assert corrected.headers["location"].endswith("?done=corrected")
    assert "L'inscription de l'administrateur a été corrigée." in (await client.get(corrected.headers["location"])).text
    (entry,) = (await client.get(f"/api/t/{slug}/directors", headers=headers)).json()
    assert (entry["seat_category"], entry["term_starts_on"]) == ("user", earlier)
    await client.put(f"/api/t/{slug}/governance/settings", json={"board_seats": {"user": 1, "worker": 2}}, headers=headers)
    problem(await client.patch(f"/api/t/{slug}/directors/{made['id']}", json={"seat_category": "worker", "term_starts_on": earlier}, headers=headers), 422, "seat_category")
    assert (await client.patch(f"/api/t/{slug}/directors/{made['id']}", json={"seat_category": "user", "term_starts_on": earlier}, headers=headers)).status_code == 200  # its own seat is not counted
    assert (await client.post(f"/api/t/{slug}/directors/{made['id']}/end", json={"term_ends_on": today.isoformat()}, headers=headers)).status_code == 200
    problem(await client.patch(f"/api/t/{slug}/directors/{made['id']}", json={"seat_category": "user", "term_starts_on": earlier}, headers=headers), 409)
