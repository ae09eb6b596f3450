"""Members' annual dues and share payments through the same invoices: the dues settings, the
year's run, issue with e-mail or post, one dues invoice per member and year (also under
concurrent requests), share invoices paid by hand or by Stripe's webhook updating the register,
the member's own invoices, and the accounting journal."""

import asyncio
import datetime as dt
import uuid

from backend import db, jobqueue
from backend.context import Context
from billing.invoicing import HASHED_FIELDS, hashed_document
from billing.rules import GENESIS, chain_hash
from billing.tables import Payment
from governance.members.services import MemberRegister
from tenants.services import audit_events
from tenants.tables import Tenant
from tests.billing.helpers import connect_stripe
from tests.billing.test_invoices import _solidaire
from tests.billing.test_stripe import signed
from tests.clock import today
from tests.conftest import bearer, sign_in

YEAR = 2027


def admission(last_name: str, category: str = "user", *, email: str | None = None, language: str = "fr_CA", status: str = "active", subscribed: int = 1, paid: int = 1) -> dict:
    return {
        "first_name": "Ève", "last_name": last_name, "email": email, "street": "12 rue des Cèdres", "city": "Shawinigan", "region": "QC",
        "postal_code": "G9N 1A1", "language": language, "category": category, "status": status, "shares_subscribed": subscribed, "shares_paid": paid,
    }


async def coop_with_members(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    treasurer, secretary = await bearer(client, world, "treasurer"), await bearer(client, world, "secretary")
    members = {}
    for key, body in {
        "mailed": admission("Lampron", "user", email=f"lampron@{slug}.test", language="en_CA"),
        "posted": admission("Bellemare", "worker"),
        "free": admission("Gélinas", "supporting", email=f"gelinas@{slug}.test"),
        "applicant": admission("Murphy", "user", status="applicant", subscribed=0, paid=0),
    }.items():
        response = await client.post(f"/api/t/{slug}/members", json=body, headers=secretary)
        assert response.status_code == 201, response.text
        members[key] = response.json()
    return world, f"/api/t/{slug}/billing", treasurer, members


async def test_the_dues_run_drafts_then_issues_one_invoice_per_active_member_e_mailed_or_listed_for_post(client, make_tenant, mailbox):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    refused = await client.put(f"{api}/dues/settings", json={"dues_cents": {"honorary": 100}}, headers=treasurer)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    settings = await client.put(f"{api}/dues/settings", json={"dues_cents": {"user": 2500, "worker": 1000}}, headers=treasurer)
    assert settings.status_code == 200 and settings.json()["dues_taxable"] is False and settings.json()["categories"] == ["user", "worker", "supporting"]
    member = await bearer(client, world, "member")
    assert (await client.post(f"{api}/dues/runs", json={"year": YEAR}, headers=member)).status_code == 403
    assert (await client.post(f"{api}/dues/runs", json={"year": 1999}, headers=treasurer)).status_code == 400

    run = await client.post(f"{api}/dues/runs", json={"year": YEAR}, headers=treasurer)
    assert run.status_code == 200, run.text
    assert run.json() == {"year": YEAR, "drafts": 2, "total_cents": 3500, "already_issued": 0, "without_dues": 1}
    # Made again, the drafts are replaced, not doubled.
    assert (await client.post(f"{api}/dues/runs", json={"year": YEAR}, headers=treasurer)).json()["drafts"] == 2
    drafts = (await client.get(f"{api}/dues", params={"year": YEAR}, headers=treasurer)).json()
    assert sorted((d["name"], d["status"], d["total_cents"]) for d in drafts) == [("Ève Bellemare", "draft", 1000), ("Ève Lampron", "draft", 2500)]
    # The month's room-hour run leaves the dues drafts alone.
    assert (await client.post(f"{api}/invoice-runs", json={"month": today().strftime("%Y-%m")}, headers=treasurer)).status_code == 200

    issued = await client.post(f"{api}/dues/runs/issue", json={"year": YEAR}, headers=treasurer)
    assert issued.status_code == 200, issued.text
    report = issued.json()
    assert report["issued"] == 2 and report["to_post"] == 1 and report["first_number"].endswith("-000001") and report["last_number"].endswith("-000002")
    invoices = [i for i in (await client.get(f"{api}/invoices", headers=treasurer)).json() if i["purpose"] == "dues"]
    assert {(i["dues_year"], i["status"], i["gst_cents"], i["qst_cents"], i["lines"][0]["kind"]) for i in invoices} == {(YEAR, "issued", 0, 0, "dues")}
    assert (await client.get(f"{api}/chain", headers=treasurer)).json() == {"problems": []}
    # The member with an address gets it by e-mail with the PDF, in their language; the other is listed for post.
    [message] = await mailbox.received_by(members["mailed"]["email"])
    assert f"{YEAR}" in message["subject"] and "dues" in message["subject"].lower()
    [to_post] = (await client.get(f"{api}/dues", params={"year": YEAR, "to_post": "true"}, headers=treasurer)).json()
    assert to_post["name"] == "Ève Bellemare" and "12 rue des Cèdres" in to_post["address"] and to_post["number"]
    pdf = await client.get(f"{api}/invoices/{to_post['invoice_id']}/pdf", headers=treasurer)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Dues twice for the same member and year: 409, nothing written; nothing left to issue: 409.
    again = await client.post(f"{api}/dues/members/{members['mailed']['id']}", json={"year": YEAR}, headers=treasurer)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(f"{api}/dues/runs/issue", json={"year": YEAR}, headers=treasurer)).status_code == 409
    assert (await client.post(f"{api}/dues/runs", json={"year": YEAR}, headers=treasurer)).json()["already_issued"] == 2
    # An applicant pays no dues; a member of another organisation is not found.
    assert (await client.post(f"{api}/dues/members/{members['applicant']['id']}", json={"year": YEAR}, headers=treasurer)).status_code == 409
    assert (await client.post(f"{api}/dues/members/{uuid.uuid4()}", json={"year": YEAR}, headers=treasurer)).status_code == 404


async def test_dues_credited_in_full_are_replaced_once_and_only_then(client, make_tenant):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    await client.put(f"{api}/dues/settings", json={"dues_cents": {"user": 2500, "worker": 1000}}, headers=treasurer)
    url = f"{api}/dues/members/{members['mailed']['id']}"
    first = (await client.post(url, json={"year": YEAR}, headers=treasurer)).json()
    assert (await client.post(f"{api}/invoices/{first['id']}/issue", headers=treasurer)).status_code == 200
    # Credited in part, the dues stand: no second dues.
    credit = f"{api}/invoices/{first['id']}/credit-notes"
    assert (await client.post(credit, json={"reason": "Rabais", "amount_cents": 500}, headers=treasurer)).status_code == 201
    assert (await client.post(url, json={"year": YEAR}, headers=treasurer)).status_code == 409
    # Credited in full (the wrong category, say), new dues replace them: once, also when asked at once.
    assert (await client.post(credit, json={"reason": "Mauvaise catégorie"}, headers=treasurer)).status_code == 201
    answers = await asyncio.gather(*(client.post(url, json={"year": YEAR}, headers=treasurer) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    # The year's run makes the replacement again with the others' dues, and issues them.
    assert (await client.post(f"{api}/dues/runs", json={"year": YEAR}, headers=treasurer)).json()["drafts"] == 2
    assert (await client.post(f"{api}/dues/runs/issue", json={"year": YEAR}, headers=treasurer)).json()["issued"] == 2
    dues = [i for i in (await client.get(f"{api}/invoices", headers=treasurer)).json() if i["purpose"] == "dues" and i["kind"] == "invoice"]
    assert [d["status"] for d in dues] == ["issued"] * 3 and sum(d["clinician_id"] == first["clinician_id"] for d in dues) == 2
    assert (await client.get(f"{api}/chain", headers=treasurer)).json() == {"problems": []}
    assert (await client.post(url, json={"year": YEAR}, headers=treasurer)).status_code == 409


async def test_two_requests_for_the_same_members_dues_give_one_invoice_and_one_409(client, make_tenant):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    await client.put(f"{api}/dues/settings", json={"dues_cents": {"user": 2500}, "dues_taxable": True}, headers=treasurer)
    url = f"{api}/dues/members/{members['mailed']['id']}"
    answers = await asyncio.gather(*(client.post(url, json={"year": YEAR + 1}, headers=treasurer) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    [created] = [a.json() for a in answers if a.status_code == 201]
    # Dues the tenant declares taxable carry GST and QST.
    assert (created["subtotal_cents"], created["gst_cents"], created["qst_cents"]) == (2500, 125, 249)


async def test_a_share_invoice_paid_by_hand_then_by_card_updates_the_register_through_its_service(client, database, make_tenant, stripe_enabled):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    slug, secretary = world.tenant.slug, await bearer(client, world, "secretary")
    owing = await client.post(f"/api/t/{slug}/members", json=admission("Côté", "user", email=f"cote@{slug}.test", subscribed=5, paid=1), headers=secretary)
    member = owing.json()
    # Nothing owing: 422.
    nothing = await client.post(f"{api}/share-invoices", json={"member_id": members["mailed"]["id"]}, headers=treasurer)
    assert nothing.status_code == 422 and nothing.headers["content-type"].startswith("application/problem+json")

    created = await client.post(f"{api}/share-invoices", json={"member_id": member["id"]}, headers=treasurer)
    assert created.status_code == 201, created.text
    invoice = created.json()
    price = world.tenant.share_price_cents
    assert (invoice["purpose"], invoice["shares"], invoice["status"], invoice["total_cents"], invoice["gst_cents"]) == ("shares", 4, "issued", 4 * price, 0)
    # The 4 shares are invoiced: asking again is refused.
    assert (await client.post(f"{api}/share-invoices", json={"member_id": member["id"]}, headers=treasurer)).status_code == 422

    # Two and a half shares' worth paid by cheque: two shares are paid in the register.
    paid = await client.post(f"{api}/invoices/{invoice['id']}/payments", json={"amount_cents": 2 * price + price // 2, "method": "cheque", "received_on": today().isoformat()}, headers=treasurer)
    assert paid.status_code == 201, paid.text
    entry = (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=secretary)).json()
    assert entry["shares_paid"] == 3
    async with database.as_owner(), db.tenant_transaction(database.owner, world.tenant.id, write=False):
        events = await audit_events(world.tenant, uuid.UUID(member["id"]))
    assert any(e["action"] == "share.payment" for e in events)  # the register's share ledger wrote it

    # The rest by card: Stripe's signed webhook for a pending PaymentIntent settles the shares.
    await connect_stripe(client, api, treasurer)
    rest = invoice["total_cents"] - (2 * price + price // 2)
    async with database.as_owner(), db.tenant_transaction(database.owner, world.tenant.id, write=True):
        await Payment.insert(Payment(
            tenant_id=world.tenant.id, id=uuid.uuid4(), invoice_id=invoice["id"], method="stripe", status="pending", amount_cents=rest,
            received_on=today(), reference="pi_shares", stripe_payment_intent_id="pi_shares", created_at=dt.datetime.now(dt.UTC),
        ))
    payload, headers = signed({"id": f"evt_{uuid.uuid4().hex}", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_shares", "amount_received": rest}}})
    hook = await client.post(f"{api}/stripe/webhook", content=payload, headers=headers)
    assert hook.status_code == 200, hook.text
    entry = (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=secretary)).json()
    assert entry["shares_paid"] == 5
    assert (await client.get(f"{api}/invoices/{invoice['id']}", headers=treasurer)).json()["payment_state"] == "paid"
    # Nothing owing any more.
    assert (await client.post(f"{api}/share-invoices", json={"member_id": member["id"]}, headers=treasurer)).status_code == 422

    # The journal: shares to share capital (equity, 3100), not to sales.
    journal = (await client.get(f"{api}/journal.csv", params={"month": today().strftime("%Y-%m")}, headers=treasurer)).text
    rows = [line.split(",") for line in journal.splitlines()[1:]]
    assert any(r[2] == "3100" and r[5] == f"{4 * price / 100:.2f}" for r in rows) and not any(r[2] == "4100" for r in rows)


async def _share_invoice(client, world, api, treasurer, *, subscribed: int, paid: int) -> tuple[dict, dict]:
    slug = world.tenant.slug
    body = admission(f"Membre{uuid.uuid4().hex[:6]}", "user", subscribed=subscribed, paid=paid)
    member = (await client.post(f"/api/t/{slug}/members", json=body, headers=await bearer(client, world, "secretary"))).json()
    created = await client.post(f"{api}/share-invoices", json={"member_id": member["id"]}, headers=treasurer)
    assert created.status_code == 201, created.text
    return member, created.json()


async def _shares_paid(client, world, member) -> int:
    entry = await client.get(f"/api/t/{world.tenant.slug}/members/{member['id']}", headers=await bearer(client, world, "secretary"))
    return entry.json()["shares_paid"]


async def test_concurrent_payments_of_one_share_invoice_pay_each_share_once_and_never_overpay(client, make_tenant):
    world, api, treasurer, _ = await coop_with_members(client, make_tenant)
    price = world.tenant.share_price_cents
    member, invoice = await _share_invoice(client, world, api, treasurer, subscribed=5, paid=1)

    # Eight half-shares at once: the four shares are all paid, none lost between two payments.
    def cheque(amount: int) -> dict:
        return {"amount_cents": amount, "method": "cheque", "received_on": today().isoformat()}

    halves = await asyncio.gather(*(client.post(f"{api}/invoices/{invoice['id']}/payments", json=cheque(price // 2), headers=treasurer) for _ in range(8)))
    assert [r.status_code for r in halves] == [201] * 8, [r.text for r in halves if r.status_code != 201]
    assert await _shares_paid(client, world, member) == 5
    assert (await client.get(f"{api}/invoices/{invoice['id']}", headers=treasurer)).json()["payment_state"] == "paid"

    # Five cheques for the whole balance at once: one is taken, the others are overpayments.
    member, invoice = await _share_invoice(client, world, api, treasurer, subscribed=3, paid=1)
    wholes = await asyncio.gather(*(client.post(f"{api}/invoices/{invoice['id']}/payments", json=cheque(invoice["total_cents"]), headers=treasurer) for _ in range(5)))
    assert sorted(r.status_code for r in wholes) == [201, 422, 422, 422, 422]
    after = (await client.get(f"{api}/invoices/{invoice['id']}", headers=treasurer)).json()
    assert (after["paid_cents"], after["balance_cents"]) == (invoice["total_cents"], 0)
    assert await _shares_paid(client, world, member) == 3


async def test_a_credit_note_on_a_paid_share_invoice_takes_its_shares_out_of_the_register(client, make_tenant):
    world, api, treasurer, _ = await coop_with_members(client, make_tenant)
    price = world.tenant.share_price_cents
    member, invoice = await _share_invoice(client, world, api, treasurer, subscribed=3, paid=1)
    paid = await client.post(f"{api}/invoices/{invoice['id']}/payments", json={"amount_cents": invoice["total_cents"], "method": "cheque", "received_on": today().isoformat()}, headers=treasurer)
    assert paid.status_code == 201 and await _shares_paid(client, world, member) == 3
    # One share credited: its price goes to the member's account credit, the share out of the register.
    note = await client.post(f"{api}/invoices/{invoice['id']}/credit-notes", json={"amount_cents": price, "reason": "Part remboursée"}, headers=treasurer)
    assert note.status_code == 201, note.text
    assert await _shares_paid(client, world, member) == 2
    # The rest: no share of this invoice is left paid.
    rest = await client.post(f"{api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Annulée"}, headers=treasurer)
    assert rest.status_code == 201, rest.text
    assert await _shares_paid(client, world, member) == 1


async def test_a_share_payment_is_recorded_even_when_the_qualifying_shares_were_raised_since(client, database, make_tenant):
    world, api, treasurer, _ = await coop_with_members(client, make_tenant)
    member, invoice = await _share_invoice(client, world, api, treasurer, subscribed=2, paid=1)
    async with database.as_owner():
        await Tenant.update({Tenant.qualifying_shares: 3}).where(Tenant.id == world.tenant.id)
    paid = await client.post(f"{api}/invoices/{invoice['id']}/payments", json={"amount_cents": invoice["total_cents"], "method": "cheque", "received_on": today().isoformat()}, headers=treasurer)
    assert paid.status_code == 201, paid.text
    assert await _shares_paid(client, world, member) == 2


async def test_a_member_sees_and_pays_their_own_invoices_and_the_journal_books_dues_apart(client, database, make_tenant):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    # The member's login is linked to the entry that pays dues.
    async with database.as_owner(), db.tenant_transaction(database.owner, world.tenant.id, write=True):
        await MemberRegister(Context(world.tenant)).link_login(members["mailed"]["number"], world.users["member"])
    await client.put(f"{api}/dues/settings", json={"dues_cents": {"user": 2500, "worker": 1000}}, headers=treasurer)
    await client.post(f"{api}/dues/runs", json={"year": YEAR}, headers=treasurer)
    await client.post(f"{api}/dues/runs/issue", json={"year": YEAR}, headers=treasurer)
    member = await bearer(client, world, "member")
    [own] = (await client.get(f"{api}/invoices", headers=member)).json()
    assert own["purpose"] == "dues" and own["total_cents"] == 2500
    others = [d for d in (await client.get(f"{api}/dues", params={"year": YEAR}, headers=treasurer)).json() if d["invoice_id"] != own["id"]]
    assert (await client.get(f"{api}/invoices/{others[0]['invoice_id']}", headers=member)).status_code == 404
    assert (await client.get(f"{api}/invoices/{own['id']}/pdf", headers=member)).status_code == 200
    # Without Stripe keys, card payment is refused clearly; the page says how to pay.
    assert (await client.post(f"{api}/invoices/{own['id']}/card-payment", headers=member)).status_code == 409
    await sign_in(client, world, "member")
    mine = await client.get(f"/t/{world.tenant.slug}/billing/mine")
    assert mine.status_code == 200 and own["number"] in mine.text
    # Dues are booked to their own revenue account (4200), not to sales.
    journal = (await client.get(f"{api}/journal.csv", params={"month": today().strftime("%Y-%m")}, headers=treasurer)).text
    rows = [line.split(",") for line in journal.splitlines()[1:]]
    assert sorted(r[5] for r in rows if r[2] == "4200") == ["10.00", "25.00"] and not any(r[2] == "4100" for r in rows)
    # Nor do they count as room revenue in the co-op's room report.
    month = today().strftime("%Y-%m")
    report = await client.get(f"{api}/reports/rooms", params={"from": month, "to": month}, headers=treasurer)
    assert report.status_code == 200 and report.json()["unattributed_cents"] == 0


async def test_the_treasurers_dues_page_sets_runs_issues_and_invoices_shares(client, make_tenant):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    await sign_in(client, world, "treasurer")
    base = f"/t/{world.tenant.slug}/billing"
    csrf = {"_csrf_token": client.cookies.get("csrftoken", "")}
    assert (await client.post(f"{base}/dues/settings", data={**csrf, "dues_user": "25,00", "dues_worker": "10"})).status_code in (302, 303)
    assert (await client.get(f"{api}/dues/settings", headers=treasurer)).json()["dues_cents"] == {"user": 2500, "worker": 1000}
    ran = await client.post(f"{base}/dues/runs", data={**csrf, "year": str(YEAR)})
    assert ran.status_code == 200 and "Ève Lampron" in ran.text
    assert (await client.post(f"{base}/dues/runs/issue", data={**csrf, "year": str(YEAR)})).status_code in (302, 303)
    shown = await client.get(f"{base}/dues", params={"year": YEAR})
    assert shown.status_code == 200 and "12 rue des Cèdres" in shown.text  # the member without e-mail, listed for post
    refused = await client.post(f"{base}/share-invoices", data={**csrf, "member_id": members["mailed"]["id"]})
    assert refused.status_code == 422
    # A member admitted after the run: offered on the page, their dues drafted alone.
    late = (await client.post(f"/api/t/{world.tenant.slug}/members", json=admission("Tardif", "user"), headers=await bearer(client, world, "secretary"))).json()
    offered = await client.get(f"{base}/dues", params={"year": YEAR})
    assert "Tardif" in offered.text and "Préparer sa cotisation" in offered.text
    drafted = await client.post(f"{base}/dues/members", data={**csrf, "year": str(YEAR), "member_id": late["id"]})
    assert drafted.status_code in (302, 303), drafted.text
    documents = (await client.get(f"{api}/dues", params={"year": YEAR}, headers=treasurer)).json()
    assert [d["status"] for d in documents if d["member_id"] == late["id"]] == ["draft"]
    again = await client.post(f"{base}/dues/members", data={**csrf, "year": str(YEAR), "member_id": late["id"]})
    assert again.status_code == 409 and "Tardif" in again.text


async def test_the_command_line_runs_and_issues_the_dues_and_lists_who_gets_them_by_post(client, database, make_tenant):
    world, api, treasurer, members = await coop_with_members(client, make_tenant)
    await client.put(f"{api}/dues/settings", json={"dues_cents": {"user": 2500, "worker": 1000}}, headers=treasurer)
    slug = world.tenant.slug
    await jobqueue.drain()  # (the earlier tests' e-mails are out before a second process writes)
    done = await _solidaire(database, "invoices", "dues", "--tenant", slug, "--year", str(YEAR), "--issue")
    assert done.returncode == 0, done.stderr
    assert "2 dues drafts" in done.stdout and "2 issued, 1 e-mailed, 1 to send by post" in done.stdout
    assert "by post:" in done.stdout and "Bellemare" in done.stdout and "12 rue des Cèdres" in done.stdout
    assert (await client.get(f"{api}/chain", headers=treasurer)).json() == {"problems": []}


def test_the_hash_covers_what_a_dues_or_share_invoice_is_for_and_room_invoices_hash_as_before():
    room = {name: None for name in HASHED_FIELDS} | {"seller": {}, "buyer": {}}
    assert hashed_document(room, []) == hashed_document({**room, "purpose": "rooms", "dues_year": None, "shares": None}, [])
    dues = {**room, "purpose": "dues", "dues_year": 2027, "shares": None}
    assert chain_hash(GENESIS, hashed_document(dues, [])) != chain_hash(GENESIS, hashed_document({**dues, "dues_year": 2028}, []))
    assert chain_hash(GENESIS, hashed_document(dues, [])) != chain_hash(GENESIS, hashed_document({**dues, "purpose": "shares"}, []))
