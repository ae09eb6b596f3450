"""The billing demo of the Shawinigan co-op: rooms, rates, clinicians who sign in, the month of the
demo's AS_OF (last month) invoiced (chain intact, one invoice paid) and weekly bookings to come."""

from backend import db
from backend.context import Context
from billing.dues import Dues
from billing.invoicing import Invoicing
from solidaire.cli import load_demo
from tenants import demo, services


async def test_the_demo_coop_has_rooms_clinicians_invoices_and_bookings(database, client):
    async with database.as_owner():
        await load_demo(database.owner)  # once per run: False when an earlier module loaded it
        tenant = await services.tenant_by_slug("coop-shawinigan")
        async with db.tenant_transaction(database.owner, tenant.id, write=False):
            invoicing = Invoicing(Context(tenant))
            rooms, accounts = await invoicing.rooms.rooms(), await invoicing.clinicians.clinicians("clinician")
            dues = await Dues(Context(tenant)).member_documents(year=demo.AS_OF.year)
            last_month = await invoicing.invoices(month=f"{demo.AS_OF:%Y-%m}")
            problems = await invoicing.verify_chain()
            bookings = await invoicing.bookings.bookings()
    assert len(rooms) == 3 and len(accounts) == 4
    assert len(last_month) == 4 and all(i["status"] == "issued" and i["total_cents"] > 0 for i in last_month)
    assert sum(i["payment_state"] == "paid" for i in last_month) == 1
    assert problems == []
    # The members' dues of the year: issued, two of them paid.
    assert len(dues) > 20 and all(d["status"] == "issued" for d in dues) and sum(d["balance_cents"] == 0 for d in dues) == 2
    assert any(b["status"] == "no_show" for b in bookings) and sum(b["status"] == "booked" for b in bookings) > 30
    token = await client.post("/api/t/coop-shawinigan/auth/token", json={"email": "dre.gelinas@coop-shawinigan.demo", "password": demo.DEMO_PASSWORD})
    assert token.status_code == 201
    mine = await client.get("/api/t/coop-shawinigan/billing/invoices", headers={"authorization": f"Bearer {token.json()['token']}"})
    assert len(mine.json()) == 1


async def test_every_demo_document_has_its_page(database, client):
    async with database.as_owner():
        await load_demo(database.owner)
        tenant = await services.tenant_by_slug("coop-shawinigan")
        async with db.tenant_transaction(database.owner, tenant.id, write=False):
            documents = await Invoicing(Context(tenant)).invoices()
    token = await client.post("/api/t/coop-shawinigan/auth/token", json={"email": "tresorerie@coop-shawinigan.demo", "password": demo.DEMO_PASSWORD})
    headers = {"authorization": f"Bearer {token.json()['token']}"}
    answers = {d["number"]: (await client.get(f"/t/coop-shawinigan/billing/invoices/{d['id']}", headers=headers)).status_code for d in documents}
    assert len(answers) > 20 and set(answers.values()) == {200}, answers
