"""Rooms, rates and bookings through the API: no double booking (100 concurrent requests), the
refusals, weekly series with clashes reported, cancellation policy and no-shows."""

import asyncio
import datetime as dt

from tests.billing.helpers import EVERY_DAY, book, future_day, make_coop
from tests.clock import local, today

PROBLEM = "application/problem+json"


async def _count_bookings(client, coop) -> int:
    return len((await client.get(f"{coop.api}/bookings", headers=coop.treasurer)).json())


async def test_one_hundred_concurrent_requests_for_one_slot_give_one_booking_and_99_conflicts(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    day = future_day()
    responses = await asyncio.gather(*(book(client, coop, day, 9, 11) for _ in range(100)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 99, statuses
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["status"] == 409 and refused.json()["detail"]
    assert await _count_bookings(client, coop) == 1


async def test_overlapping_bookings_are_refused_back_to_back_ones_accepted(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    day = future_day()
    assert (await book(client, coop, day, 9, 11)).status_code == 201
    clash = await book(client, coop, day, 10, 12)
    assert clash.status_code == 409
    assert "09:00" in clash.json()["detail"] or "9:00" in clash.json()["detail"]
    assert (await book(client, coop, day, 11, 12)).status_code == 201
    assert await _count_bookings(client, coop) == 2


async def test_bad_bookings_are_refused_and_nothing_is_written(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    day = future_day()
    past = today() - dt.timedelta(days=3)
    closed = await client.post(
        f"{coop.api}/rooms", json={"name": "Salle fermée", "kind": "office", "opening_hours": EVERY_DAY, "active": False}, headers=coop.treasurer
    )
    cases = [
        ({"starts_at": local(day, 6), "ends_at": local(day, 8)}, "starts_at"),  # before opening
        ({"starts_at": local(day, 21), "ends_at": local(day, 23)}, "starts_at"),  # after closing
        ({"starts_at": local(past, 9), "ends_at": local(past, 10)}, "starts_at"),  # in the past
        ({"starts_at": local(day, 11), "ends_at": local(day, 10)}, "ends_at"),  # ends before it starts
        ({"starts_at": local(day, 9), "ends_at": local(day, 10), "room_id": closed.json()["id"]}, "room_id"),
    ]
    for body, field in cases:
        response = await client.post(f"{coop.api}/bookings", json={"room_id": coop.room["id"], **body}, headers=coop.clinician)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["errors"][0]["field"] == field
    assert await _count_bookings(client, coop) == 0
    # Only clinicians and the administrator book; a member may not.
    member = await client.post(f"{coop.api}/bookings", json={"room_id": coop.room["id"], "starts_at": local(day, 9), "ends_at": local(day, 10)}, headers=coop.treasurer)
    assert member.status_code == 403


async def test_the_administrator_books_for_a_clinician(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    day = future_day()
    body = {"room_id": coop.room["id"], "starts_at": local(day, 9), "ends_at": local(day, 10), "clinician_id": coop.account["id"]}
    response = await client.post(f"{coop.api}/bookings", json=body, headers=coop.admin)
    assert response.status_code == 201 and response.json()["clinician_id"] == coop.account["id"]
    mine = await client.get(f"{coop.api}/bookings", headers=coop.clinician)
    assert [b["id"] for b in mine.json()] == [response.json()["id"]]


async def test_a_weekly_series_books_what_is_free_and_reports_each_clash(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    first = future_day()
    taken = first + dt.timedelta(weeks=2)
    skipped = first + dt.timedelta(weeks=3)
    assert (await book(client, coop, taken, 10, 11)).status_code == 201
    response = await client.post(
        f"{coop.api}/series",
        json={"room_id": coop.room["id"], "starts_at": local(first, 9), "ends_at": local(first, 12), "rrule": "FREQ=WEEKLY;COUNT=6", "exceptions": [skipped.isoformat()]},
        headers=coop.clinician,
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert len(result["booked"]) == 4  # 6 weeks, one skipped, one taken
    assert len(result["clashes"]) == 1
    clash = result["clashes"][0]
    assert dt.datetime.fromisoformat(clash["starts_at"]).astimezone(dt.UTC).date() == taken and clash["reason"]
    assert all(b["series_id"] == result["series_id"] for b in result["booked"])
    bad_rule = await client.post(
        f"{coop.api}/series", json={"room_id": coop.room["id"], "starts_at": local(first, 9), "ends_at": local(first, 12), "rrule": "NONSENSE"}, headers=coop.clinician
    )
    assert bad_rule.status_code == 422 and bad_rule.json()["errors"][0]["field"] == "rrule"


async def test_cancellation_is_free_early_and_charged_late(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    settings = await client.put(f"{coop.api}/settings", json={"free_cancellation_hours": 48, "late_fee_percent": 50}, headers=coop.treasurer)
    assert settings.status_code == 200
    early = (await book(client, coop, future_day(), 9, 10)).json()
    cancelled = await client.post(f"{coop.api}/bookings/{early['id']}/cancel", headers=coop.clinician)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled" and cancelled.json()["cancellation_fee_percent"] == 0
    again = await client.post(f"{coop.api}/bookings/{early['id']}/cancel", headers=coop.clinician)
    assert again.status_code == 409
    # The slot is free again.
    assert (await book(client, coop, future_day(), 9, 10)).status_code == 201
    # Late: the policy's delay is longer than the time left.
    stricter = await client.put(f"{coop.api}/settings", json={"free_cancellation_hours": 720, "late_fee_percent": 50}, headers=coop.treasurer)
    assert stricter.status_code == 200
    late = (await book(client, coop, future_day(weeks=2), 13, 14)).json()
    charged = await client.post(f"{coop.api}/bookings/{late['id']}/cancel", headers=coop.clinician)
    assert charged.json()["cancellation_fee_percent"] == 50


async def test_a_no_show_is_recorded_only_after_the_start(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    booking = (await book(client, coop, future_day(), 9, 10)).json()
    early = await client.post(f"{coop.api}/bookings/{booking['id']}/no-show", headers=coop.treasurer)
    assert early.status_code == 409
    by_clinician = await client.post(f"{coop.api}/bookings/{booking['id']}/no-show", headers=coop.clinician)
    assert by_clinician.status_code == 403


async def test_rates_have_validity_dates_and_never_overlap(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    body = {"room_kind": "office", "clinician_class": "family_physician", "hourly_cents": 4500, "valid_from": "2027-07-01"}
    assert (await client.post(f"{coop.api}/rates", json=body, headers=coop.treasurer)).status_code == 201
    rates = (await client.get(f"{coop.api}/rates", headers=coop.treasurer)).json()
    assert [(r["valid_from"], r["valid_until"]) for r in rates] == [("2020-01-01", "2027-06-30"), ("2027-07-01", None)]
    older = await client.post(f"{coop.api}/rates", json={**body, "valid_from": "2027-01-01"}, headers=coop.treasurer)
    assert older.status_code == 409
    both = await client.post(f"{coop.api}/rates", json={**body, "room_id": coop.room["id"], "valid_from": "2028-01-01"}, headers=coop.treasurer)
    assert both.status_code == 422
    assert len((await client.get(f"{coop.api}/rates", headers=coop.treasurer)).json()) == 2


async def test_rooms_are_kept_by_the_treasurer_with_valid_opening_hours(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    bad = await client.post(f"{coop.api}/rooms", json={"name": "X", "kind": "office", "opening_hours": {"mon": "18:00-08:00"}}, headers=coop.treasurer)
    assert bad.status_code == 422
    same = await client.post(f"{coop.api}/rooms", json={"name": "Bureau 1", "kind": "office", "opening_hours": {}}, headers=coop.treasurer)
    assert same.status_code == 409
    by_clinician = await client.post(f"{coop.api}/rooms", json={"name": "Y", "kind": "office", "opening_hours": {}}, headers=coop.clinician)
    assert by_clinician.status_code == 403
    closed = await client.patch(f"{coop.api}/rooms/{coop.room['id']}", json={"active": False}, headers=coop.treasurer)
    assert closed.status_code == 200 and closed.json()["active"] is False
    assert len((await client.get(f"{coop.api}/rooms", headers=coop.clinician)).json()) == 1
