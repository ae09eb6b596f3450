"""The treasurer's page of one document (/t/{slug}/billing/invoices/{id}): its lines and totals,
what was paid (cheques, cards, and the money a card payment gave or had taken back), its credit
notes, its e-mails and their delivery, the reminders sent; and the check of the documents' hash
chain (/t/{slug}/billing/chain), which `solidaire invoices verify` also runs."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from backend.auth import requires
from backend.i18n import gettext
from backend.web import page
from billing import labels
from billing.controllers import DEPENDENCIES, CollectionsDep, InvoiceId, PaymentsDep
from billing.guards import TREASURERS


class InvoicePages(Controller):
    path = "/t/{slug:str}/billing"
    dependencies = DEPENDENCIES
    include_in_schema = False
    guards = [requires(*TREASURERS)]

    @get("/invoices/{invoice_id:uuid}")
    async def invoice(self, request: Request, payments: PaymentsDep, collections: CollectionsDep, invoice_id: InvoiceId) -> Template:
        invoicing = payments.invoicing
        invoice = await invoicing.invoice(invoice_id)
        notes = [d for d in await invoicing.invoices(clinician_id=invoice["clinician_id"]) if d["credited_invoice_id"] == invoice_id]
        return page(
            request, "billing/invoice.html", invoice=invoice, lines=await invoicing.lines(invoice_id), payments=await payments.payments(invoice_id),
            reversals=await payments.reversals([invoice_id]), notes=notes, deliveries=await invoicing.deliveries(invoice_id),
            reminders=await collections.reminders(invoice_id), method_names={code: gettext(name) for code, name in labels.METHODS.items()},
            credited=await invoicing.invoice(invoice["credited_invoice_id"]) if invoice["credited_invoice_id"] else None,
        )

    @get("/chain")
    async def chain(self, request: Request, payments: PaymentsDep) -> Template:
        issued = [d for d in await payments.invoicing.invoices(status="issued")]
        return page(request, "billing/chain.html", problems=await payments.invoicing.verify_chain(), documents=len(issued))


ROUTES = [InvoicePages]
