"""Collecting what is owed: the ageing of unpaid balances (current, 1-30, 31-60, 61-90, over 90
days past due) and the reminders of overdue invoices, e-mailed with the tenant's delays, each
reminder once (logged in invoice_reminder, whose unique key also settles two runs at once)."""

from __future__ import annotations

import uuid

from backend import i18n, mail
from backend.clock import now
from backend.context import Context
from backend.i18n import N_, gettext
from billing import rules
from billing.invoicing import Invoicing
from billing.services import BillingService
from billing.tables import InvoiceReminder

REMINDER_PURPOSE = "billing_reminder"


class Collections(BillingService):
    """What is owed and the reminders of it, read from the `Invoicing` it holds."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.invoicing = Invoicing(context)
        # What else it reads: the reminders' delays and the accounts (their names and addresses).
        self.settings, self.clinicians = self.invoicing.terms.settings, self.invoicing.clinicians.clinicians

    async def outstanding(self) -> list[dict]:
        """Issued invoices with something left to pay, the oldest due first."""
        unpaid = [i for i in await self.invoicing.invoices(status="issued") if i["kind"] == "invoice" and i["balance_cents"] > 0]
        return sorted(unpaid, key=lambda i: (i["due_on"], i["number"]))

    async def ageing_report(self) -> dict:
        today = self.tenant.today()
        outstanding = await self.outstanding()
        by_clinician: dict = {}
        for invoice in outstanding:
            by_clinician.setdefault(invoice["clinician_id"], []).append(invoice)
        names = {row["id"]: row["name"] for row in await self.clinicians()}
        clinicians = [
            {"clinician_id": clinician_id, "name": names[clinician_id], **rules.ageing(((i["due_on"], i["balance_cents"]) for i in items), today), "total_cents": sum(i["balance_cents"] for i in items)}
            for clinician_id, items in sorted(by_clinician.items(), key=lambda kv: names[kv[0]])
        ]
        totals = rules.ageing(((i["due_on"], i["balance_cents"]) for i in outstanding), today)
        invoices = [{**i, "bucket": rules.ageing_bucket(i["due_on"], today), "days_late": max(0, (today - i["due_on"]).days)} for i in outstanding]
        return {"today": today, "currency": self.tenant.currency, "totals": {**totals, "total_cents": sum(totals.values())}, "clinicians": clinicians, "invoices": invoices}

    async def reminders(self, invoice_id=None) -> list[dict]:
        condition = InvoiceReminder.tenant_id == self.tenant.id
        if invoice_id is not None:
            condition &= InvoiceReminder.invoice_id == invoice_id
        return await InvoiceReminder.select().where(condition).order_by(InvoiceReminder.sent_at)

    async def send_reminders(self) -> list[dict]:
        """E-mails, for each overdue invoice, the reminder its lateness calls for, if not sent
        yet (see rules.reminder_due); returns the reminders sent now."""
        today = self.tenant.today()
        delays = (await self.settings())["reminder_days"]
        sent_before: dict = {}
        for row in await self.reminders():
            sent_before.setdefault(row["invoice_id"], []).append(row["days"])
        accounts = {row["id"]: row for row in await self.clinicians()}
        sent = []
        for invoice in await self.outstanding():
            days = rules.reminder_due(invoice["due_on"], today, delays, sent_before.get(invoice["id"], []))
            if days is None:
                continue
            account = accounts[invoice["clinician_id"]]
            if not account["email"]:  # a member without an e-mail address: reminded by post (the ageing report lists it)
                continue
            inserted = await InvoiceReminder.raw(
                "INSERT INTO invoice_reminder (tenant_id, id, invoice_id, days, balance_cents, sent_to, sent_at) VALUES ({}, {}, {}, {}, {}, {}, {}) "
                "ON CONFLICT (tenant_id, invoice_id, days) DO NOTHING RETURNING id",
                self.tenant.id, uuid.uuid4(), invoice["id"], days, invoice["balance_cents"], account["email"], now(),
            )
            if not inserted:  # sent meanwhile by another run
                continue
            await self._remind(invoice, account)
            await self.audit("invoice.reminded", "invoice", invoice["id"], {"days": days, "balance_cents": invoice["balance_cents"], "to": account["email"]})
            sent.append({"invoice_id": invoice["id"], "number": invoice["number"], "days": days, "balance_cents": invoice["balance_cents"], "sent_to": account["email"]})
        return sent

    async def _remind(self, invoice: dict, account: dict) -> None:
        money = i18n.format_money
        with i18n.using(invoice["language"]):
            seller = invoice["seller"]["name"]
            subject = gettext(N_("Reminder: invoice %(number)s from %(organisation)s is overdue"), number=invoice["number"], organisation=seller)
            text = gettext(
                N_("Hello %(name)s,\n\nInvoice %(number)s (%(month)s) was due on %(due)s. %(balance)s is still to be paid.\n"
                   "Please quote its number with your payment. If you have paid it meanwhile, thank you, and please ignore this message.\n\n%(organisation)s\n"),
                name=account["name"], number=invoice["number"], month=invoice["month"], due=i18n.format_date(invoice["due_on"], "long"),
                balance=money(invoice["balance_cents"], invoice["currency"]), organisation=seller,
            )
        await mail.queue(self.tenant.id, to=account["email"], subject=subject, text=text, purpose=REMINDER_PURPOSE, object_id=invoice["id"])
