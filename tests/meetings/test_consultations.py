"""Consultations between meetings through the JSON API: the time window, eligibility frozen at the
opening without presence, the e-mail invitation, secrecy and receipts of the ballot machinery,
results hidden until the close, certification once."""

import datetime as dt
import re

import httpx
from hypothesis import given
from hypothesis import strategies as st

from backend import jobqueue
from governance.meetings import consultations, jobs, rules, vote_rules
from tests.billing.test_invoices import _solidaire
from tests.clock import in_days
from tests.conftest import sign_in
from tests.meetings.support import secretary, voters
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_pages import post_form
from tests.meetings.test_secrecy_and_verification import verify
from tests.tenants.test_pages import link_member


async def consultation(client, world, headers, **body) -> dict:
    response = await client.post(
        f"/api/t/{world.tenant.slug}/consultations",
        json={"title": "Orientation : ouvrir une clinique le samedi?", "description": "Avis consultatif.", "opens_at": in_days(-1), "closes_at": in_days(7), **body},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_consultation_from_invitation_to_certified_result(client, make_tenant, database, mailbox, monkeypatch):
    world = await make_tenant(categories=("user", "worker"))
    headers = await secretary(client, world)
    base = f"/api/t/{world.tenant.slug}"
    users = await voters(database, world, 3)
    (worker,) = await voters(database, world, 1, category="worker")
    (applicant,) = await voters(database, world, 1, status="applicant")
    # Refused set-ups: closing before opening, closing in the past, by a member.
    problem(await client.post(f"{base}/consultations", json={"title": "X", "opens_at": in_days(2), "closes_at": in_days(1)}, headers=headers), 422, "closes_at")
    problem(await client.post(f"{base}/consultations", json={"title": "X", "opens_at": in_days(-3), "closes_at": in_days(-2)}, headers=headers), 422, "closes_at")
    problem(await client.post(f"{base}/consultations", json={"title": "X", "opens_at": in_days(1), "closes_at": in_days(2)}, headers=users[0].headers), 403)
    later = await consultation(client, world, headers, opens_at=in_days(2))
    problem(await client.post(f"{base}/consultations/{later['id']}/open", json={}, headers=headers), 409)  # not before its opening time
    made = await consultation(client, world, headers, category="user")
    url = f"{base}/consultations/{made['id']}"
    assert (made["status"], made["window"], made["counts"]) == ("draft", "during", None)
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=users[0].headers), 409)  # not open yet
    problem(await client.post(f"{base}/votes/{later['vote_id']}/open", json={}, headers=headers), 409)  # its rules hold on the votes' route too
    opened = await client.post(f"{url}/open", json={}, headers=headers)
    assert opened.status_code == 200, opened.text
    # Nobody is checked in anywhere: presence is not asked; the worker and the applicant are not eligible.
    assert (opened.json()["eligible_count"], opened.json()["invited"]) == (3, 3)
    problem(await client.post(f"{url}/open", json={}, headers=headers), 409)
    invitation = (await mailbox.received_by(users[0].member["email"]))[-1]
    assert made["title"] in invitation["Subject"] and f"/t/{world.tenant.slug}/consultations/{made['id']}" in invitation.get_content()
    assert await mailbox.received_by(worker.member["email"]) == []
    receipts, receipt_codes = [], []
    for voter, choice in zip(users, ("yes", "yes", "no"), strict=True):
        response = await client.post(f"{url}/ballot", json={"choice": choice}, headers=voter.headers)
        assert response.status_code == 201, response.text
        receipts.append(response.json()["receipt_hash"])
        receipt_codes.append(response.json()["receipt_code"])
    problem(await client.post(f"{url}/ballot", json={"choice": "no"}, headers=users[0].headers), 409)  # one member, one vote
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=worker.headers), 403)
    problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=applicant.headers), 403)
    running = (await client.get(url, headers=users[0].headers)).json()
    assert (running["ballots"], running["counts"], running["votes_cast"]) == (3, None, None)
    problem(await client.get(f"{base}/votes/{made['vote_id']}/ballot-box", headers=headers), 409)
    problem(await client.post(f"{url}/close", json={}, headers=headers), 409)  # open until its closing time
    problem(await client.post(f"{base}/votes/{made['vote_id']}/close", json={}, headers=headers), 409)  # (the same rule on the votes' route)
    # After the closing time: a late ballot is refused, then the secretary closes it.
    after = dt.datetime.fromisoformat(made["closes_at"]) + dt.timedelta(minutes=1)
    monkeypatch.setattr(consultations, "now", lambda: after)
    (late,) = await voters(database, world, 1)
    problem(await client.post(f"{url}/ballot", json={"choice": "no"}, headers=late.headers), 409)  # too late (and not eligible: frozen at the opening)
    closed = await client.post(f"{url}/close", json={}, headers=headers)
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["counts"], closed.json()["votes_cast"]) == ("closed", {"yes": 2, "no": 1, "abstain": 0}, 3)
    box = (await client.get(f"{base}/votes/{made['vote_id']}/ballot-box", headers=users[1].headers)).json()
    assert {b["receipt_hash"] for b in box["ballots"]} == set(receipts)
    published = [rules.PublishedBallot(**b) for b in box["ballots"]]
    assert rules.verify_box(made["vote_id"], published, box["chain_head"], box["counts"]) == []
    checked = await verify(database, "--tenant", world.tenant.slug, "--vote", made["vote_id"], "--receipt", receipt_codes[0])
    assert checked.returncode == 0 and "verified: 3 ballots" in checked.stdout, checked.stderr
    assert (await client.post(f"{url}/certify", json={}, headers=headers)).json()["certified_at"]
    problem(await client.post(f"{url}/certify", json={}, headers=headers), 409)
    listed = (await client.get(f"{base}/consultations", headers=users[2].headers)).json()
    assert {c["id"] for c in listed} == {made["id"], later["id"]}


async def test_a_ballot_after_the_closing_time_is_refused_while_not_yet_closed(client, make_tenant, database, monkeypatch):
    world = await make_tenant()
    headers = await secretary(client, world)
    (ann,) = await voters(database, world, 1)
    made = await consultation(client, world, headers)
    url = f"/api/t/{world.tenant.slug}/consultations/{made['id']}"
    assert (await client.post(f"{url}/open", json={}, headers=headers)).status_code == 200
    monkeypatch.setattr(consultations, "now", lambda: dt.datetime.fromisoformat(made["closes_at"]))
    refused = problem(await client.post(f"{url}/ballot", json={"choice": "yes"}, headers=ann.headers), 409)
    assert refused["detail"]
    assert (await client.get(url, headers=headers)).json()["ballots"] == 0


members = st.lists(st.tuples(st.sampled_from(["active", "suspended", "applicant"]), st.sampled_from(["user", "worker"]), st.integers(0, 3)), max_size=40)


@given(members, st.sampled_from([None, "user", "worker"]), st.integers(0, 3))
def test_consultation_eligibility_is_good_standing_and_category_without_presence(people, category, qualifying):
    listed = [vote_rules.Member(i, status, cat, paid) for i, (status, cat, paid) in enumerate(people)]
    chosen = vote_rules.consultation_voters(listed, category=category, qualifying_shares=qualifying)
    assert {m.member_id for m in chosen} == {
        m.member_id for m in listed if m.status == "active" and m.shares_paid >= qualifying and category in (None, m.category)
    }


@given(st.datetimes(), st.timedeltas(dt.timedelta(0), dt.timedelta(days=30)), st.timedeltas(dt.timedelta(seconds=1), dt.timedelta(days=30)))
def test_the_window_of_a_consultation(opens_at, wait, length):
    closes_at = opens_at + length
    assert vote_rules.window(opens_at - dt.timedelta(seconds=1), opens_at, closes_at) == "before"
    assert vote_rules.window(opens_at, opens_at, closes_at) == "during"
    assert vote_rules.window(closes_at, opens_at, closes_at) == "after"
    moment = opens_at + wait
    assert vote_rules.window(moment, opens_at, closes_at) == ("during" if wait < length else "after")


async def test_a_consultation_through_the_pages(app, client, make_tenant, database, monkeypatch):
    world = await make_tenant()
    slug = world.tenant.slug
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member:
        await sign_in(keeper, world, "secretary")
        await sign_in(member, world, "member")
        await link_member(database, world, "member")
        refused = await post_form(keeper, f"/t/{slug}/consultations", {"title": "Q", "opens_at": in_days(2)[:16], "closes_at": in_days(1)[:16]})
        assert refused.status_code == 422 and "alert-error" in refused.text
        created = await post_form(keeper, f"/t/{slug}/consultations", {"title": "Heures d'ouverture le samedi?", "description": "Avis.", "opens_at": in_days(-1)[:16], "closes_at": in_days(3)[:16], "category": ""})
        assert created.status_code in (302, 303), created.text
        url = created.headers["location"].split("?")[0]  # (the page says what was done: ?done=created)
        assert "Heures d&#39;ouverture" in (await member.get(f"/t/{slug}/consultations")).text
        assert (await post_form(keeper, f"{url}/open", {})).status_code in (302, 303)
        ballot = await member.get(url)
        assert 'name="choice"' in ballot.text and "<legend>" in ballot.text
        assert re.search(r'action="[^"]+/ballot">\s*<input type="hidden" name="_csrf_token"', ballot.text)  # the form carries its token
        cast = await post_form(member, f"{url}/ballot", {"choice": "yes"})
        assert cast.status_code == 201 and "receipt-code" in cast.text and f'href="{url}"' in cast.text
        assert "receipt-code" not in (await member.get(url)).text
        early = await post_form(keeper, f"{url}/close", {})
        assert early.status_code == 409
        closes_at = (await client.get(f"/api/t/{slug}/consultations/{url.rsplit('/', 1)[1]}", headers=await secretary(client, world))).json()["closes_at"]
        monkeypatch.setattr(consultations, "now", lambda: dt.datetime.fromisoformat(closes_at) + dt.timedelta(seconds=1))
        assert (await post_form(keeper, f"{url}/close", {})).status_code in (302, 303)
        results = await member.get(url)
        assert results.status_code == 200 and "<svg" in results.text


def test_a_consultation_is_opened_only_during_its_window_and_closed_only_after_it():
    steps = {(status, window): vote_rules.consultation_step(status, window) for status in ("draft", "open", "closed") for window in ("before", "during", "after")}
    assert {key: step for key, step in steps.items() if step} == {("draft", "during"): "open", ("open", "after"): "close"}


async def test_consultations_open_and_close_on_time_without_the_secretary(client, make_tenant, database, monkeypatch):
    world = await make_tenant()
    headers = await secretary(client, world)
    base = f"/api/t/{world.tenant.slug}/consultations"
    people = await voters(database, world, 2)
    due = await consultation(client, world, headers)
    later = await consultation(client, world, headers, title="Orientation : un deuxième point de service?", opens_at=in_days(2))
    # From cron, in another process: what is due opens, the rest waits.
    done = await _solidaire(database, "votes", "advance", "--tenant", world.tenant.slug)
    assert done.returncode == 0 and done.stdout.splitlines() == [f"opened: {due['title']}"], done.stderr
    assert [(await client.get(f"{base}/{c['id']}", headers=headers)).json()["status"] for c in (due, later)] == ["open", "draft"]
    assert (await client.post(f"{base}/{due['id']}/ballot", json={"choice": "yes"}, headers=people[0].headers)).status_code == 201
    # After its closing time it closes (in this process: opening the sealed ballots takes the
    # server's SECRET_KEY); the one whose window passed unopened is left as it was.
    after = dt.datetime.fromisoformat(due["closes_at"]) + dt.timedelta(minutes=1)
    monkeypatch.setattr(consultations, "now", lambda: after)
    monkeypatch.setattr(jobs, "now", lambda: after)
    assert await jobs.advance(database.app, world.tenant) == {"opened": [], "closed": [due["title"]], "refused": []}
    closed = (await client.get(f"{base}/{due['id']}", headers=headers)).json()
    assert (closed["status"], closed["counts"]) == ("closed", {"yes": 1, "no": 0, "abstain": 0})
    assert await jobs.advance(database.app, world.tenant) == {"opened": [], "closed": [], "refused": []}


async def test_the_queue_opens_a_due_consultation_on_its_own(app, client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    await voters(database, world, 1)
    due = await consultation(client, world, headers)
    # What the task's schedule does every minute, in whichever process takes it: the task queued
    # for every tenant; the server's worker runs it.
    await app.state.queue.worker.queue_everywhere("meetings.advance")
    await jobqueue.drain()
    assert (await client.get(f"/api/t/{world.tenant.slug}/consultations/{due['id']}", headers=headers)).json()["status"] == "open"
