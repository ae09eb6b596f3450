"""Trainings: cohorts and sessions, enrolment within the cohort's size, attendance, completion
(training → active for the required training, hours received logged), and the questionnaire
answered once (login or signed link), summarised per cohort."""

import asyncio
import re

from governance.partners import rules
from tests.conftest import bearer, sign_in
from tests.partners.helpers import applied, coordinator_headers

PAST = {"starts_at": "2024-03-12T13:00:00", "ends_at": "2024-03-12T15:00:00", "place": "Pavillon Saint-Joseph", "trainers": "Ginette Désaulniers, Marc Houle"}
ANSWER = {"clarity": 5, "trainers": 4, "usefulness": 4, "readiness": 3, "comment": "Très concret."}


async def in_training(client, settings, world, headers, **overrides) -> dict:
    partner = await applied(client, settings, world, **overrides)
    for stage in ("called", "interview", "training"):
        response = await client.post(f"/api/t/{world.tenant.slug}/program/partners/{partner['id']}/stage", json={"stage": stage}, headers=headers)
        assert response.status_code == 200, response.text
    return response.json()


async def training(client, world, headers, **overrides) -> dict:
    body = {"name": "Formation au partenariat (2 h)", "school": "", "required": True, "min_size": 1, "max_size": 26, **overrides}
    response = await client.post(f"/api/t/{world.tenant.slug}/program/trainings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_completing_the_required_training_activates_and_the_questionnaire_is_answered_once(client, program, settings, mailbox):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    api = f"/api/t/{slug}/program"
    by_link = await in_training(client, settings, program, headers)
    by_login = await in_training(client, settings, program, headers, email=program.emails["member"])
    absent = await in_training(client, settings, program, headers)
    cohort = await training(client, program, headers)
    sessions = [(await client.post(f"{api}/trainings/{cohort['id']}/sessions", json=body, headers=headers)).json()
                for body in (PAST, {**PAST, "starts_at": "2024-03-19T13:00:00", "ends_at": "2024-03-19T14:00:00"})]
    enrolments = {}
    for partner in (by_link, by_login, absent):
        response = await client.post(f"{api}/trainings/{cohort['id']}/enrolments", json={"partner_id": partner["id"]}, headers=headers)
        assert response.status_code == 201, response.text
        enrolments[partner["id"]] = response.json()["id"]
    again = await client.post(f"{api}/trainings/{cohort['id']}/enrolments", json={"partner_id": absent["id"]}, headers=headers)
    assert again.status_code == 409
    everyone = list(enrolments.values())
    assert (await client.put(f"{api}/training-sessions/{sessions[0]['id']}/attendance", json={"present": everyone}, headers=headers)).status_code == 200
    assert (await client.put(f"{api}/training-sessions/{sessions[1]['id']}/attendance", json={"present": everyone[:2]}, headers=headers)).status_code == 200

    # Closed twice at once: once (hours logged once, one questionnaire each).
    both = await asyncio.gather(*(client.post(f"{api}/trainings/{cohort['id']}/completion", headers=headers) for _ in range(2)))
    assert sorted(r.status_code for r in both) == [200, 409], [r.text for r in both]
    done = next(r for r in both if r.status_code == 200)
    assert done.json() == {"completed": 2, "activated": 2, "not_completed": 1}
    stages = {p["id"]: p["stage"] for p in (await client.get(f"{api}/partners", headers=headers)).json()}
    assert (stages[by_link["id"]], stages[by_login["id"]], stages[absent["id"]]) == ("active", "active", "training")
    assert (await client.post(f"{api}/trainings/{cohort['id']}/completion", headers=headers)).status_code == 409
    hours = (await client.get(f"{api}/reports/hours", headers=headers)).json()
    assert {a["activity"]: a["minutes"] for a in hours["per_activity"]} == {"training_received": 2 * 180}

    # The signed link e-mailed answers once; a forged one, or one for someone who did not complete, opens nothing.
    [message] = [m for m in await mailbox.received_by(by_link["email"]) if "formation" in m["Subject"].lower()]
    link = re.search(r"/t/[^/]+/public/feedback/(\S+)", message.get_body(("plain",)).get_content()).group(1)
    first, second = await asyncio.gather(*(client.post(f"/api/t/{slug}/public/feedback/{link}", json=ANSWER) for _ in range(2)))
    assert sorted((first.status_code, second.status_code)) == [200, 409]
    forged = rules.feedback_token("not-the-secret", slug, enrolments[absent["id"]])
    assert (await client.post(f"/api/t/{slug}/public/feedback/{forged}", json=ANSWER)).status_code == 404
    not_completed = rules.feedback_token(settings.secret_key, slug, enrolments[absent["id"]])
    assert (await client.post(f"/api/t/{slug}/public/feedback/{not_completed}", json=ANSWER)).status_code == 409
    assert (await client.post(f"/api/t/{slug}/public/feedback/{link}", json={**ANSWER, "clarity": 6})).status_code == 400

    # Through the partner's login: their own enrolment only.
    member = await bearer(client, program, "member")
    [mine] = (await client.get(f"{api}/me/trainings", headers=member)).json()
    assert mine["cohort"]["name"] == cohort["name"] and mine["completed_at"] and len(mine["sessions"]) == 2
    other = await client.post(f"{api}/me/trainings/{enrolments[by_link['id']]}/feedback", json=ANSWER, headers=member)
    assert other.status_code == 404
    answer = {**ANSWER, "clarity": 4, "readiness": 4, "comment": ""}
    assert (await client.post(f"{api}/me/trainings/{mine['id']}/feedback", json=answer, headers=member)).status_code == 200
    assert (await client.post(f"{api}/me/trainings/{mine['id']}/feedback", json=answer, headers=member)).status_code == 409

    summary = (await client.get(f"{api}/trainings/{cohort['id']}", headers=headers)).json()["feedback"]
    assert (summary["responses"], summary["enrolled"], summary["rate_percent"]) == (2, 2, 100)
    assert {q["question"]: q["mean_tenths"] for q in summary["questions"]} == {"clarity": 45, "trainers": 40, "usefulness": 40, "readiness": 35}
    assert summary["comments"] == ["Très concret."]


async def test_enrolment_is_refused_beyond_the_cohort_and_outside_training_or_active(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    api = f"/api/t/{slug}/program"
    cohort = await training(client, program, headers, name="Cohorte avec l'école", school="Metropolia", required=False, max_size=1)
    first, second = [await in_training(client, settings, program, headers) for _ in range(2)]
    received = await applied(client, settings, program)
    late = await client.post(f"{api}/trainings/{cohort['id']}/enrolments", json={"partner_id": received["id"]}, headers=headers)
    assert late.status_code == 409 and late.json()["errors"][0]["field"] == "partner_id"
    both = await asyncio.gather(*(client.post(f"{api}/trainings/{cohort['id']}/enrolments", json={"partner_id": p["id"]}, headers=headers) for p in (first, second)))
    assert sorted(r.status_code for r in both) == [201, 409]
    assert len((await client.get(f"{api}/trainings/{cohort['id']}", headers=headers)).json()["enrolments"]) == 1
    bad_size = await client.post(f"{api}/trainings", json={"name": "X", "min_size": 17, "max_size": 10}, headers=headers)
    assert bad_size.status_code == 422 and bad_size.json()["errors"][0]["field"] == "max_size"
    # No session yet, or the last one still to come: not completed.
    assert (await client.post(f"{api}/trainings/{cohort['id']}/completion", headers=headers)).status_code == 409
    future = {**PAST, "starts_at": "2099-03-12T13:00:00", "ends_at": "2099-03-12T15:00:00"}
    assert (await client.post(f"{api}/trainings/{cohort['id']}/sessions", json=future, headers=headers)).status_code == 201
    assert (await client.post(f"{api}/trainings/{cohort['id']}/completion", headers=headers)).status_code == 409
    member = await bearer(client, program, "member")
    assert (await client.post(f"{api}/trainings", json={"name": "X"}, headers=member)).status_code == 403


async def test_the_coordinators_pages_run_a_training_and_show_refusals_in_place(client, program, settings, mailbox):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    partner = await in_training(client, settings, program, headers)
    await sign_in(client, program, "partner_coordinator")
    csrf = {"_csrf_token": client.cookies["csrftoken"]}
    refused = await client.post(f"/t/{slug}/program/trainings", data={"name": "", "min_size": "17", "max_size": "26", **csrf})
    assert refused.status_code == 422 and 'id="f-name-error"' in refused.text and 'aria-invalid="true"' in refused.text
    too_small = await client.post(f"/t/{slug}/program/trainings", data={"name": "Cohorte", "min_size": "17", "max_size": "10", **csrf})
    assert too_small.status_code == 422 and 'id="f-max_size-error"' in too_small.text and 'value="Cohorte"' in too_small.text
    created = await client.post(f"/t/{slug}/program/trainings", data={"name": "Formation au partenariat (2 h)", "min_size": "1", "max_size": "26", "required": "on", **csrf})
    assert created.status_code in (302, 303)
    page = created.headers["location"].split("?")[0]  # the page, without what it says was done
    bad_session = await client.post(f"{page}/sessions", data={"starts_at": "2024-03-12T15:00", "ends_at": "2024-03-12T13:00", "place": "Salle", "trainers": "Ginette", **csrf})
    assert bad_session.status_code == 422 and 'id="f-ends_at-error"' in bad_session.text
    assert (await client.post(f"{page}/sessions", data={"starts_at": "2024-03-12T13:00", "ends_at": "2024-03-12T15:00", "place": "Salle", "trainers": "Ginette", **csrf})).status_code in (302, 303)
    assert (await client.post(f"{page}/enrolments", data={"partner_id": partner["id"], **csrf})).status_code in (302, 303)
    twice = await client.post(f"{page}/enrolments", data={"partner_id": partner["id"], **csrf})
    assert twice.status_code == 409 and "alert-error" in twice.text
    cohort = (await client.get(f"/api/t/{slug}/program/trainings/{page.rsplit('/', 1)[1]}", headers=headers)).json()
    session, enrolment = cohort["sessions"][0], cohort["enrolments"][0]
    assert (await client.post(f"/t/{slug}/program/training-sessions/{session['id']}/attendance", data={"present": enrolment["id"], **csrf})).status_code in (302, 303)
    assert (await client.post(f"{page}/completion", data=csrf)).status_code in (302, 303)
    shown = await client.get(page)
    assert shown.status_code == 200 and partner["last_name"] in shown.text and "Close the training" not in shown.text
    [message] = [m for m in await mailbox.received_by(partner["email"]) if "formation" in m["Subject"].lower()]
    link = re.search(r"(/t/[^/]+/public/feedback/\S+)", message.get_body(("plain",)).get_content()).group(1)
    client.cookies.clear()
    form = await client.get(link)
    assert form.status_code == 200 and 'name="clarity"' in form.text
    csrf = {"_csrf_token": client.cookies["csrftoken"]}
    missing = await client.post(link, data={"clarity": "5", **csrf})
    assert missing.status_code == 422 and 'id="f-trainers-error"' in missing.text
    sent = await client.post(link, data={"clarity": "5", "trainers": "5", "usefulness": "4", "readiness": "4", "comment": "Merci", **csrf})
    assert sent.status_code == 200 and "alert-success" in sent.text
    assert (await client.get(link)).status_code == 200
    summary = (await client.get(f"/api/t/{slug}/program/trainings/{cohort['id']}", headers=headers)).json()["feedback"]
    assert summary["responses"] == 1 and summary["comments"] == ["Merci"]
