"""Issuing e-mails the document (real SMTP: the aiosmtpd `mailbox`) in the clinician's language
with its PDF; a refused issue sends nothing; the treasurer sends it again; statements of account."""

from tests.billing.helpers import add_clinician, make_coop, past_booking
from tests.billing.test_invoices import drafts, issued_invoice, run
from tests.clock import at, last_month, today


def attachment_of(message) -> tuple[str, bytes]:
    [attachment] = list(message.iter_attachments())
    return attachment.get_filename(), attachment.get_content()


async def test_issuing_e_mails_each_invoice_in_its_clinicians_language_with_its_pdf(client, database, make_tenant, mailbox):
    coop = await make_coop(client, make_tenant)
    murphy, _ = await add_clinician(client, database, coop, "Dr Brian Murphy", language="en_CA")
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await past_booking(database, coop, at(last_month(), 11), at(last_month(), 12), clinician_id=murphy["id"])
    await run(client, coop)
    for draft in await drafts(client, coop):
        issued = await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)
        assert issued.status_code == 200, issued.text
    invoices = {i["clinician_id"]: i for i in (await client.get(f"{coop.api}/invoices", headers=coop.treasurer)).json()}
    expected = {coop.account["email"]: ("Facture", invoices[coop.account["id"]]), murphy["email"]: ("Invoice", invoices[murphy["id"]])}
    for address, (word, invoice) in expected.items():
        [message] = await mailbox.received_by(address)
        assert message["Subject"].startswith(f"{word} {invoice['number']} ")
        pdf = await client.get(f"{coop.api}/invoices/{invoice['id']}/pdf", headers=coop.treasurer)
        assert attachment_of(message) == (f"{invoice['number']}.pdf", pdf.content) and pdf.content.startswith(b"%PDF")
        assert invoice["number"] in message.get_body(("plain",)).get_content()
        log = (await client.get(f"{coop.api}/invoices/{invoice['id']}/deliveries", headers=coop.treasurer)).json()
        assert [(d["recipient"], d["status"]) for d in log] == [(address, "sent")]
    [english] = await mailbox.received_by(murphy["email"])
    assert "due on" in english.get_body(("plain",)).get_content()


async def test_a_refused_issue_sends_nothing(client, database, make_tenant, mailbox):
    coop = await make_coop(client, make_tenant, hourly_cents=0)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await run(client, coop)
    [draft] = await drafts(client, coop)
    refused = await client.post(f"{coop.api}/invoices/{draft['id']}/issue", headers=coop.treasurer)
    assert refused.status_code == 422
    not_issued = await client.post(f"{coop.api}/invoices/{draft['id']}/send", headers=coop.treasurer)
    assert not_issued.status_code == 409 and not_issued.headers["content-type"].startswith("application/problem+json")
    assert await mailbox.received_by(coop.account["email"]) == []
    assert (await client.get(f"{coop.api}/invoices/{draft['id']}/deliveries", headers=coop.treasurer)).json() == []


async def test_the_treasurer_sends_an_issued_invoice_again(client, database, make_tenant, mailbox):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    url = f"{coop.api}/invoices/{invoice['id']}/send"
    assert (await client.post(url, headers=coop.clinician)).status_code == 403
    again = await client.post(url, headers=coop.treasurer)
    assert again.status_code == 200, again.text
    assert len(again.json()) == 2
    received = await mailbox.received_by(coop.account["email"])
    assert len(received) == 2 and attachment_of(received[0]) == attachment_of(received[1])
    # Issuing again is refused and sends nothing more.
    assert (await client.post(f"{coop.api}/invoices/{invoice['id']}/issue", headers=coop.treasurer)).status_code == 409
    assert len(await mailbox.received_by(coop.account["email"])) == 2


async def test_a_credit_note_is_e_mailed_too(client, database, make_tenant, mailbox):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    note = await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Erreur", "amount_cents": 1000}, headers=coop.treasurer)
    assert note.status_code == 201
    subjects = [m["Subject"] for m in await mailbox.received_by(coop.account["email"])]
    assert subjects[0].startswith(f"Facture {invoice['number']}") and subjects[1].startswith(f"Note de crédit {note.json()['number']}")


async def test_the_statement_of_account_adds_invoices_credit_notes_and_payments(client, database, make_tenant):
    coop, invoice = await issued_invoice(client, database, make_tenant)
    note = (await client.post(f"{coop.api}/invoices/{invoice['id']}/credit-notes", json={"reason": "Geste", "amount_cents": 1000}, headers=coop.treasurer)).json()
    paid = await client.post(f"{coop.api}/invoices/{invoice['id']}/payments", json={"amount_cents": 2000, "method": "cheque", "received_on": today().isoformat(), "reference": "Chèque 12"}, headers=coop.treasurer)
    assert paid.status_code == 201
    statement = await client.get(f"{coop.api}/clinicians/{coop.account['id']}/statement", headers=coop.treasurer)
    assert statement.status_code == 200, statement.text
    body = statement.json()
    assert [(l["kind"], l["amount_cents"]) for l in body["lines"]] == [("invoice", invoice["total_cents"]), ("credit_note", note["total_cents"]), ("payment", -2000)]
    assert [l["balance_cents"] for l in body["lines"]] == [invoice["total_cents"], invoice["total_cents"] + note["total_cents"], invoice["total_cents"] + note["total_cents"] - 2000]
    balance = (await client.get(f"{coop.api}/invoices/{invoice['id']}", headers=coop.treasurer)).json()["balance_cents"]
    assert body["balance_cents"] == balance and body["lines"][2]["reference"] == f"{invoice['number']} · Chèque 12"
    # The clinician reads their own statement, never another's.
    assert (await client.get(f"{coop.api}/statement", headers=coop.clinician)).json() == body
    assert (await client.get(f"{coop.api}/clinicians/{coop.account['id']}/statement", headers=coop.clinician)).status_code == 403
    assert (await client.get(f"{coop.api}/statement", headers=coop.treasurer)).status_code == 403
    other, headers = await add_clinician(client, database, coop, "Dre Léa Roy")
    empty = (await client.get(f"{coop.api}/statement", headers=headers)).json()
    assert (empty["clinician_id"], empty["lines"], empty["balance_cents"]) == (other["id"], [], 0)


async def test_a_draft_is_not_on_the_statement(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await run(client, coop)
    body = (await client.get(f"{coop.api}/clinicians/{coop.account['id']}/statement", headers=coop.treasurer)).json()
    assert body["lines"] == [] and body["balance_cents"] == 0
