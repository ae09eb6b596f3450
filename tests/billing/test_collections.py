"""Collecting: the ageing of unpaid balances and the reminders of overdue invoices (the tenant's
delays, each reminder once, also when two runs meet), by API, page and command line."""

import asyncio
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing import rules
from tenants.services import TenantInfo
from tests.billing.test_invoices import _solidaire, issued_invoice
from tests.billing.test_pages import post_form
from tests.conftest import sign_in

DUE = dt.date(2027, 3, 31)
delays = st.lists(st.integers(1, 365), min_size=0, max_size=5, unique=True)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(-200, 200), st.integers(1, 10**7)), max_size=30))
def test_every_balance_is_in_exactly_one_ageing_bucket(items):
    balances = [(DUE + dt.timedelta(days=offset), cents) for offset, cents in items]
    buckets = rules.ageing(balances, DUE)
    assert sum(buckets.values()) == sum(cents for _, cents in balances)
    assert list(buckets) == list(rules.AGEING_BUCKETS)


def test_the_ageing_buckets_bounds():
    assert [rules.ageing_bucket(DUE, DUE + dt.timedelta(days=d)) for d in (-3, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current", "current", "days_1_30", "days_1_30", "days_31_60", "days_31_60", "days_61_90", "days_61_90", "days_over_90",
    ]


@settings(deadline=None)
@given(delays, st.integers(0, 10), st.lists(st.integers(1, 30), max_size=20))
def test_reminders_run_on_any_days_send_each_delay_at_most_once_and_never_early(days, start, gaps):
    sent: list[int] = []
    today = DUE + dt.timedelta(days=start)
    for gap in [0, *gaps]:
        today += dt.timedelta(days=gap)
        due = rules.reminder_due(DUE, today, days, sent)
        if due is not None:
            assert due in days and due <= (today - DUE).days and due not in sent and all(due > s for s in sent)
            sent.append(due)
    assert len(sent) == len(set(sent)) <= len(days)


def test_a_late_start_sends_only_the_latest_reminder():
    assert rules.reminder_due(DUE, DUE + dt.timedelta(days=40), [7, 30], []) == 30
    assert rules.reminder_due(DUE, DUE + dt.timedelta(days=50), [7, 30], [30]) is None
    assert rules.reminder_due(DUE, DUE + dt.timedelta(days=6), [7, 30], []) is None
    assert rules.reminder_due(DUE, DUE + dt.timedelta(days=100), [], []) is None


@pytest.fixture
def clock(monkeypatch):
    """Moves the organisations' today (the invoices' due dates are real, issued today)."""

    def move_to(day: dt.date) -> None:
        monkeypatch.setattr(TenantInfo, "today", lambda self: day)

    return move_to


async def test_overdue_invoices_are_reminded_once_per_delay_and_aged(client, database, make_tenant, mailbox, clock):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    due = dt.date.fromisoformat(invoice["due_on"])
    url = f"{coop.api}/reminders"
    assert (await client.post(url, headers=coop.clinician)).status_code == 403
    assert (await client.post(url, headers=coop.treasurer)).json() == []  # not due yet
    clock(due + dt.timedelta(days=8))
    first = await client.post(url, headers=coop.treasurer)
    assert first.status_code == 200 and [(r["days"], r["balance_cents"], r["sent_to"]) for r in first.json()] == [(7, invoice["total_cents"], coop.account["email"])]
    assert (await client.post(url, headers=coop.treasurer)).json() == []  # once
    [message] = [m for m in await mailbox.received_by(coop.account["email"]) if m["Subject"].startswith("Rappel")]
    assert invoice["number"] in message["Subject"] and invoice["number"] in message.get_body(("plain",)).get_content()

    paid = await client.post(f"{coop.api}/invoices/{invoice['id']}/payments", json={"amount_cents": 1000, "method": "cheque", "received_on": str(due)}, headers=coop.treasurer)
    assert paid.status_code == 201
    clock(due + dt.timedelta(days=45))
    ageing = (await client.get(f"{coop.api}/reports/ageing", headers=coop.treasurer)).json()
    left = invoice["total_cents"] - 1000
    assert ageing["totals"]["days_31_60"] == left == ageing["totals"]["total_cents"] and ageing["totals"]["current"] == 0
    assert [(c["name"], c["days_31_60"]) for c in ageing["clinicians"]] == [(coop.account["name"], left)]
    assert ageing["invoices"][0]["days_late"] == 45 and ageing["invoices"][0]["bucket"] == "days_31_60"
    # Two runs at the same time send the 30-day reminder once.
    runs = await asyncio.gather(*(client.post(url, headers=coop.treasurer) for _ in range(3)))
    assert sorted(len(r.json()) for r in runs if r.status_code == 200) in ([0, 0, 1], [0, 1])
    log = (await client.get(f"{coop.api}/invoices/{invoice['id']}/reminders", headers=coop.treasurer)).json()
    assert [(r["days"], r["balance_cents"]) for r in log] == [(7, invoice["total_cents"]), (30, left)]

    # A new delay applies from now on; a paid invoice is never reminded.
    settings = (await client.get(f"{coop.api}/settings", headers=coop.treasurer)).json()
    assert settings["reminder_days"] == [7, 30]
    assert (await client.put(f"{coop.api}/settings", json={**settings, "reminder_days": [0]}, headers=coop.treasurer)).status_code == 400
    changed = await client.put(f"{coop.api}/settings", json={**settings, "reminder_days": [60, 7, 30, 60]}, headers=coop.treasurer)
    assert changed.json()["reminder_days"] == [7, 30, 60]
    await client.post(f"{coop.api}/invoices/{invoice['id']}/payments", json={"amount_cents": left, "method": "transfer", "received_on": str(due + dt.timedelta(days=45))}, headers=coop.treasurer)
    clock(due + dt.timedelta(days=70))
    assert (await client.post(url, headers=coop.treasurer)).json() == []
    assert (await client.get(f"{coop.api}/reports/ageing", headers=coop.treasurer)).json()["totals"]["total_cents"] == 0


async def test_the_treasurer_sends_reminders_from_the_page_and_the_command_line(client, database, make_tenant, clock):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    base = f"/t/{coop.world.tenant.slug}/billing"
    done = await _solidaire(database, "invoices", "remind", "--tenant", coop.world.tenant.slug)  # another process: today is today, nothing is late
    assert done.returncode == 0 and "0 reminders sent" in done.stdout, done.stderr
    await sign_in(client, coop.world, "treasurer")
    listing = await client.get(f"{base}/invoices")
    assert f'action="{base}/reminders"' in listing.text
    clock(dt.date.fromisoformat(invoice["due_on"]) + dt.timedelta(days=31))
    sent = await post_form(client, f"{base}/reminders", {})
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith("reminded=1")
    assert "1 rappel envoyé" in (await client.get(sent.headers["location"])).text
    report = await client.get(f"{base}/reports/")
    assert report.status_code == 200 and "31 à 60 jours" in report.text
