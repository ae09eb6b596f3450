"""Issuing a whole month at once: numbers and hash chain in the transaction, the PDFs and e-mails
after the commit (API, page, and in batches from the command line), also while someone issues one
invoice by hand at the same time."""

import asyncio
import uuid

from billing import invoicing
from tests.billing.helpers import add_clinician, make_coop, past_booking
from tests.billing.test_invoices import _solidaire, drafts, run
from tests.billing.test_mail_and_statement import attachment_of
from tests.billing.test_pages import post_form
from tests.clock import at, last_month, month_of
from tests.conftest import sign_in

MONTH = month_of(last_month())


async def coop_with_drafts(client, database, make_tenant, clinicians: int = 3):
    coop = await make_coop(client, make_tenant)
    accounts = [coop.account] + [(await add_clinician(client, database, coop, f"Dre Numéro {i}"))[0] for i in range(clinicians - 1)]
    for hour, account in enumerate(accounts, start=8):
        await past_booking(database, coop, at(last_month(), hour), at(last_month(), hour + 1), clinician_id=account["id"])
    assert (await run(client, coop)).json()["drafts"] == clinicians
    return coop, accounts


def consecutive(numbers: list[str]) -> bool:
    sequence = sorted(int(n.split("-")[1]) for n in numbers)
    return sequence == list(range(sequence[0], sequence[0] + len(sequence)))


async def test_the_month_is_issued_at_once_and_each_invoice_e_mailed_with_its_pdf_after_the_commit(client, database, make_tenant, mailbox):
    coop, accounts = await coop_with_drafts(client, database, make_tenant)
    url = f"{coop.api}/invoice-runs/issue"
    assert (await client.post(url, json={"month": MONTH}, headers=coop.clinician)).status_code == 403
    assert (await client.post(url, json={"month": "2027-13"}, headers=coop.treasurer)).status_code == 400
    issued = await client.post(url, json={"month": MONTH}, headers=coop.treasurer)
    assert issued.status_code == 200, issued.text
    report = issued.json()
    assert report["issued"] == 3 and report["first_number"].endswith("-000001") and report["last_number"].endswith("-000003")
    invoices = (await client.get(f"{coop.api}/invoices", params={"month": MONTH}, headers=coop.treasurer)).json()
    assert [i["status"] for i in invoices] == ["issued"] * 3 and consecutive([i["number"] for i in invoices])
    assert (await client.get(f"{coop.api}/chain", headers=coop.treasurer)).json() == {"problems": []}
    emails = {account["id"]: account["email"] for account in accounts}
    for invoice in invoices:
        [message] = await mailbox.received_by(emails[invoice["clinician_id"]])
        pdf = await client.get(f"{coop.api}/invoices/{invoice['id']}/pdf", headers=coop.treasurer)
        assert attachment_of(message) == (f"{invoice['number']}.pdf", pdf.content)
    # Nothing is left to issue: a clear 409, nothing sent again.
    again = await client.post(url, json={"month": MONTH}, headers=coop.treasurer)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert len(await mailbox.received_by(coop.account["email"])) == 1


async def test_a_month_issued_while_a_treasurer_issues_one_draft_keeps_the_numbers_gapless(client, database, make_tenant):
    coop, _ = await coop_with_drafts(client, database, make_tenant, clinicians=4)
    one = (await drafts(client, coop))[0]
    single, whole = await asyncio.gather(
        client.post(f"{coop.api}/invoices/{one['id']}/issue", headers=coop.treasurer),
        client.post(f"{coop.api}/invoice-runs/issue", json={"month": MONTH}, headers=coop.treasurer),
    )
    assert single.status_code in (200, 409) and whole.status_code in (200, 409)
    invoices = (await client.get(f"{coop.api}/invoices", params={"month": MONTH}, headers=coop.treasurer)).json()
    assert [i["status"] for i in invoices] == ["issued"] * 4
    assert consecutive([i["number"] for i in invoices])
    assert (await client.get(f"{coop.api}/chain", headers=coop.treasurer)).json() == {"problems": []}


async def test_the_treasurer_issues_the_month_from_the_page(client, database, make_tenant):
    coop, _ = await coop_with_drafts(client, database, make_tenant, clinicians=2)
    base = f"/t/{coop.world.tenant.slug}/billing"
    await sign_in(client, coop.world, "treasurer")
    listing = await client.get(f"{base}/invoices", params={"month": MONTH})
    assert f'action="{base}/invoice-runs/issue"' in listing.text
    done = await post_form(client, f"{base}/invoice-runs/issue", {"month": MONTH})
    assert done.status_code in (302, 303)
    refused = await post_form(client, f"{base}/invoice-runs/issue", {"month": MONTH})
    assert refused.status_code == 409 and 'role="alert"' in refused.text
    after = await client.get(f"{base}/invoices", params={"month": MONTH})
    assert f'action="{base}/invoice-runs/issue"' not in after.text


async def test_the_command_line_issues_in_batches_and_mails_each_invoice_once(client, database, make_tenant):
    coop, _ = await coop_with_drafts(client, database, make_tenant)
    slug = coop.world.tenant.slug
    done = await _solidaire(database, "invoices", "issue", "--tenant", slug, "--month", MONTH, "--batch", "2")
    assert done.returncode == 0, done.stderr
    assert "3 invoices of" in done.stdout and "3 e-mailed" in done.stdout
    invoices = (await client.get(f"{coop.api}/invoices", params={"month": MONTH}, headers=coop.treasurer)).json()
    assert consecutive([i["number"] for i in invoices]) and {i["status"] for i in invoices} == {"issued"}
    for invoice in invoices:
        log = (await client.get(f"{coop.api}/invoices/{invoice['id']}/deliveries", headers=coop.treasurer)).json()
        assert len(log) == 1
    # Mailing them again (as `solidaire invoices mail` does after an interruption) queues nothing: each is e-mailed once.
    engine = client._transport.app.state.engine
    assert await invoicing.mail_documents(engine, coop.world.tenant, [uuid.UUID(i["id"]) for i in invoices]) == 0
    assert (await client.get(f"{coop.api}/chain", headers=coop.treasurer)).json() == {"problems": []}
