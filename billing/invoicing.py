"""Invoices and credit notes: the monthly run (drafts), issuing (final number, hash chain),
credit notes, closing a month, verifying the chain, the PDF. `Invoicing` holds a `Bookings`
(billing/services.py), whose rooms, rates, accounts and settings it reads."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal

from babel.numbers import format_decimal

from backend import db, i18n, jobqueue, mail, pdf, web
from backend.clock import now
from backend.context import Context
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, gettext
from billing import labels, rules
from billing.schemas import BookingIn
from billing.services import BillingService, Bookings, json_value
from billing.tables import AccountCredit, ClinicianAccount, ClosedMonth, Invoice, InvoiceLine, Payment, PaymentReversal
from tenants.services import next_number

# The fields of an issued document that its hash covers (with its lines).
HASHED_FIELDS = (
    "id", "kind", "clinician_id", "month", "credited_invoice_id", "number", "issued_on", "due_on", "currency", "language",
    "gst_rate_pcm", "qst_rate_pcm", "subtotal_cents", "gst_cents", "qst_cents", "total_cents", "seller", "buyer", "reason", "chain_position",
)
HASHED_LINE_FIELDS = ("position", "kind", "booking_id", "description", "occurred_on", "minutes", "hourly_cents", "amount_cents", "gst_cents", "qst_cents")
CHAIN = "invoice-chain"
MAIL_PURPOSE = "billing_invoice"
# Issued documents whose PDFs are rendered together, between two short transactions.
MAIL_CHUNK = 20
MAIL_DOCUMENTS = "billing.mail_documents"  # the job (billing.jobs) that makes issued documents' PDFs and e-mails them


# Covered too for documents not for room hours (dues, shares); room-hour documents hash as before.
HASHED_PURPOSE_FIELDS = ("purpose", "dues_year", "shares")


def hashed_document(invoice: dict, lines: list[dict]) -> dict:
    document = {
        **{name: json_value(invoice[name]) if name in ("seller", "buyer") else invoice[name] for name in HASHED_FIELDS},
        "lines": [{name: line[name] for name in HASHED_LINE_FIELDS} for line in sorted(lines, key=lambda l: l["position"])],
    }
    if invoice.get("purpose", "rooms") != "rooms":
        document.update({name: invoice.get(name) for name in HASHED_PURPOSE_FIELDS})
    if invoice.get("replaces_invoice_id"):  # (documents that replace none hash as before)
        document["replaces_invoice_id"] = str(invoice["replaces_invoice_id"])
    return document


def format_percent(pcm: int) -> str:
    """A rate in pcm (9975) as the current language writes it (9,975 %)."""
    return format_decimal(Decimal(pcm) / 1000, format="#,##0.###", locale=i18n.current_language()) + "\u00a0%"


class Invoicing(BillingService):
    """Invoices and credit notes of every billing account: room hours (from the bookings), and
    members' dues and shares (billing.dues drafts them here)."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.bookings = Bookings(context)
        # (The parts of the bookings an invoice reads too: the settings, the rates, the accounts.)
        self.terms, self.rooms, self.clinicians = self.bookings.terms, self.bookings.rooms, self.bookings.clinicians

    # --- reading ---

    async def invoice(self, invoice_id, *, lock: bool = False) -> dict:
        """With `lock`, on PostgreSQL, the invoice is locked until the transaction ends: payments
        and credit notes of one invoice then queue, each seeing the balance the one before left."""
        if lock:
            await self._lock_invoices("id = {}", invoice_id)
        row = await Invoice.select().where((Invoice.tenant_id == self.tenant.id) & (Invoice.id == invoice_id)).first()
        if row is None:
            raise NotFound(N_("No invoice of this organisation has this identifier."))
        return await self.with_balance(row)

    async def own_invoice(self, invoice_id) -> dict:
        """An invoice its clinician may see (issued, theirs), or any invoice for the treasurer."""
        invoice = await self.invoice(invoice_id)
        if self.actor and self.actor.has_any(("administrator", "treasurer")):
            return invoice
        if invoice["clinician_id"] not in await self.clinicians.own_account_ids() or invoice["status"] != "issued":
            raise NotFound(N_("No invoice of this organisation has this identifier."))
        return invoice

    async def own_invoices(self, *, month: str | None = None) -> list[dict]:
        """The signed-in person's issued documents, as a clinician and as a member."""
        accounts = sorted(await self.clinicians.own_account_ids(), key=str)
        return [row for account_id in accounts for row in await self.invoices(month=month, clinician_id=account_id, status="issued")]

    async def lines(self, invoice_id) -> list[dict]:
        return await InvoiceLine.select().where((InvoiceLine.tenant_id == self.tenant.id) & (InvoiceLine.invoice_id == invoice_id)).order_by(InvoiceLine.position)

    async def invoices(self, *, month: str | None = None, clinician_id=None, status: str | None = None) -> list[dict]:
        condition = Invoice.tenant_id == self.tenant.id
        if month:
            condition &= Invoice.month == month
        if clinician_id is not None:
            condition &= Invoice.clinician_id == clinician_id
        if status:
            condition &= Invoice.status == status
        rows = await Invoice.select().where(condition).order_by(Invoice.month, Invoice.number, Invoice.created_at)
        return [await self.with_balance(row) for row in rows]

    async def with_balance(self, row: dict) -> dict:
        """An invoice row as every reader wants it: what was paid (account credit applied
        included), credited, and the balance left (the dues and shares lists read their rows so)."""
        row = {**row, "seller": json_value(row["seller"]), "buyer": json_value(row["buyer"])}
        paid = credited = 0
        processing = False
        if row["kind"] == "invoice" and row["status"] == "issued":
            processing = await Payment.exists().where((Payment.tenant_id == self.tenant.id) & (Payment.invoice_id == row["id"]) & (Payment.status == "pending") & (Payment.stripe_status == "processing"))
            paid = await self._sum(Payment, Payment.amount_cents, (Payment.invoice_id == row["id"]) & (Payment.status == "succeeded"))
            # Card money given back (refunds) or taken back (disputes) is no longer paid, until a dispute is won.
            for reversal in await PaymentReversal.select(PaymentReversal.kind, PaymentReversal.amount_cents).where((PaymentReversal.tenant_id == self.tenant.id) & (PaymentReversal.invoice_id == row["id"])):
                paid += rules.reversal_sign(reversal["kind"]) * reversal["amount_cents"]
            # Account credit applied to it (negative rows) counts as paid; an excess moved out of it
            # to the account (a credit note beyond what was due, positive rows) as paid back.
            paid -= await self._sum(AccountCredit, AccountCredit.amount_cents, AccountCredit.invoice_id == row["id"])
            credited = -await self._sum(Invoice, Invoice.total_cents, (Invoice.credited_invoice_id == row["id"]) & (Invoice.status == "issued"))
        due = row["total_cents"] - credited
        state = rules.payment_state(due, paid, processing) if row["kind"] == "invoice" else rules.PaymentState.PAID
        return {**row, "paid_cents": paid, "credited_cents": credited, "balance_cents": due - paid, "payment_state": state.value}

    async def _sum(self, table, column, condition) -> int:
        rows = await table.select(column).where((table.tenant_id == self.tenant.id) & condition)
        return sum(row[column._meta.name] for row in rows)

    # --- the monthly run ---

    async def run_month(self, month: str, progress: Callable[[int, int], None] | None = None) -> dict:
        """One draft per clinician with something to bill in the month (tenant's time): a line per
        booking at the rate valid on its date, late-cancellation fees and no-shows. Drafts of the
        month are made again; what an issued invoice already bills is not billed twice. A month
        not begun yet (the tenant's today) cannot be run: nothing of it has happened."""
        if month > rules.month_of(self.tenant.today()):
            raise Invalid(N_("%(month)s has not begun: a month is billed once it has started."), errors=[FieldError("month", N_("This month has not begun: choose this month or an earlier one."))], month=month)
        await self.check_open(month)
        first, following = rules.month_bounds(month)
        start = dt.datetime.combine(first, dt.time(), self.zone).astimezone(dt.UTC)
        end = dt.datetime.combine(following, dt.time(), self.zone).astimezone(dt.UTC)
        await self._drop_drafts(month)
        billed = await self._already_billed(start, end)
        bookings = [b for b in await self.bookings.bookings(start=start, end=end) if b["starts_at"] >= start and b["id"] not in billed and self._billable(b)]
        by_clinician: dict = {}
        for booking in bookings:
            by_clinician.setdefault(booking["clinician_id"], []).append(booking)
        settings, rates = await self.terms.settings(), await self.rooms.rate_rules()
        rooms = {room["id"]: room for room in await self.rooms.rooms()}
        accounts = {row["id"]: row for row in await self.clinicians.clinicians()}
        drafts, total, unpriced = 0, 0, []
        for done, (clinician_id, items) in enumerate(sorted(by_clinician.items(), key=lambda kv: accounts[kv[0]]["name"]), start=1):
            lines, missing = self._draft_lines(accounts[clinician_id], items, rooms, rates, settings)
            unpriced += missing
            if lines:
                total += (await self.store_draft(month, accounts[clinician_id], lines, settings))[1]
                drafts += 1
            if progress:
                progress(done, len(by_clinician))
        await self.audit("invoice.run", "invoice", None, {"month": month, "drafts": drafts, "total_cents": total})
        return {"month": month, "drafts": drafts, "total_cents": total, "unpriced": unpriced, "credits_due": len(await self.credits_due())}

    async def quote(self, data: BookingIn) -> dict:
        """What a booking would be billed, asked before it is made: priced as the month's run
        prices it (its rate, bands, increments and minimum, the taxes). Refused as booking it
        would be (closed, taken, past); `priced` False where no rate applies yet."""
        room, account, starts_at, ends_at = await self.bookings.free_slot(data)
        settings, rates = await self.terms.settings(), await self.rooms.rate_rules()
        planned = {"id": None, "room_id": room["id"], "starts_at": starts_at, "ends_at": ends_at, "status": "booked", "checked_in_at": None, "cancellation_fee_percent": 0}
        lines, _ = self._draft_lines(account, [planned], {room["id"]: room}, rates, settings)
        totals = rules.totals(rules.TaxedLine(line["amount_cents"], line["gst_cents"], line["qst_cents"]) for line in lines)
        return {"room": room, "starts_at": starts_at, "ends_at": ends_at, "priced": bool(lines), "subtotal_cents": totals.subtotal_cents, "total_cents": totals.total_cents}

    @staticmethod
    def _billable(booking: dict) -> bool:
        return booking["status"] in ("booked", "no_show") or booking["cancellation_fee_percent"] > 0

    async def _drop_drafts(self, month: str) -> None:
        drafts = [row["id"] for row in await Invoice.select(Invoice.id).where(
            (Invoice.tenant_id == self.tenant.id) & (Invoice.month == month) & (Invoice.status == "draft") & (Invoice.purpose == "rooms")
        )]
        if drafts:
            await InvoiceLine.delete().where((InvoiceLine.tenant_id == self.tenant.id) & InvoiceLine.invoice_id.is_in(drafts))
            await Invoice.delete().where((Invoice.tenant_id == self.tenant.id) & Invoice.id.is_in(drafts))

    async def _already_billed(self, start: dt.datetime, end: dt.datetime) -> set:
        rows = await InvoiceLine.raw(
            "SELECT l.booking_id FROM invoice_line l JOIN invoice i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id "
            "JOIN booking b ON b.tenant_id = l.tenant_id AND b.id = l.booking_id "
            "WHERE l.tenant_id = {} AND i.status = 'issued' AND i.kind = 'invoice' AND b.starts_at >= {} AND b.starts_at < {}",
            self.tenant.id, start, end,
        )
        return {row["booking_id"] for row in rows}

    def _draft_lines(self, account: dict, bookings: list[dict], rooms: dict, rates: list[rules.Rate], settings: dict) -> tuple[list[dict], list[str]]:
        """A line per booking, or per part of it where it crosses into an evening or weekend band
        with a rate of its own. Where the tenant bills actual use, a booking checked in and out
        is billed from check-in to check-out. Taxes are the document's, spread over its lines
        (`rules.taxed_document`); documents issued before kept theirs per line, and verify so."""
        lines, missing = [], []
        evening_from = dt.time.fromisoformat(settings["evening_from"])
        with i18n.using(account["language"]):
            for booking in bookings:
                room = rooms[booking["room_id"]]
                starts_at, ends_at = booking["starts_at"], booking["ends_at"]
                if settings["bill_actual_use"] and booking["status"] == "booked" and booking["checked_in_at"] and booking["checked_out_at"]:
                    starts_at, ends_at = booking["checked_in_at"], booking["checked_out_at"]
                local_start, local_end = self.local(starts_at), self.local(ends_at)
                by_band = rules.pick_rates(rates, room["id"], room["kind"], account["clinician_class"], local_start.date())
                if not by_band:
                    when = f"{local_start:%Y-%m-%d %H:%M}–{local_end:%H:%M}"
                    missing.append(f"{account['name']}: {room['name']} {when} ({labels.label(account['clinician_class'])})")
                    continue
                parts = rules.band_parts(local_start, local_end, evening_from)
                priced = rules.price_use([(band, rules.elapsed_minutes(low, high)) for band, low, high in parts], by_band)
                moment = local_start.replace(tzinfo=None)
                for part in priced:
                    part_end = moment + dt.timedelta(minutes=part.used_minutes)
                    lines.append(self._line(booking, room, part, moment, part_end))
                    moment = part_end
        taxed = rules.taxed_document([line["amount_cents"] for line in lines], settings["gst_rate_pcm"], settings["qst_rate_pcm"])
        return [{**line, "gst_cents": tax.gst_cents, "qst_cents": tax.qst_cents} for line, tax in zip(lines, taxed, strict=True)], missing

    @staticmethod
    def _line(booking: dict, room: dict, part: rules.PricedPart, start: dt.datetime, end: dt.datetime) -> dict:
        when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
        if part.band != "standard":
            when = f"{when} ({gettext(labels.BAND_LABELS[part.band])})"
        kind, amount = "room", part.amount_cents
        description = gettext(N_("%(room)s, %(when)s"), room=room["name"], when=when)
        if booking["status"] == "no_show":
            kind, description = "no_show", gettext(N_("No-show: %(room)s, %(when)s"), room=room["name"], when=when)
        elif booking["status"] == "cancelled":
            kind = "late_cancellation"
            description = gettext(N_("Late cancellation (%(percent)s): %(room)s, %(when)s"), percent=format_percent(booking["cancellation_fee_percent"] * 1000), room=room["name"], when=when)
        if kind != "room":
            amount = rules.percent_of(amount, booking["cancellation_fee_percent"])
        return {
            "kind": kind, "booking_id": booking["id"], "description": description, "occurred_on": start.date(),
            "minutes": part.billed_minutes, "hourly_cents": part.rate.hourly_cents, "amount_cents": amount,
        }

    async def store_draft(
        self, month: str, account: dict, lines: list[dict], settings: dict, *, kind: str = "invoice", credited=None, reason: str = "",
        purpose: str = "rooms", dues_year: int | None = None, shares: int | None = None, replaces=None,
    ) -> tuple[uuid.UUID, int]:
        """Writes a draft with its lines; returns its id and total."""
        total = rules.totals(rules.TaxedLine(l["amount_cents"], l["gst_cents"], l["qst_cents"]) for l in lines)
        invoice_id = uuid.uuid4()
        await Invoice.insert(
            Invoice(
                tenant_id=self.tenant.id, id=invoice_id, kind=kind, status="draft", clinician_id=account["id"], month=month,
                credited_invoice_id=credited, currency=self.tenant.currency, language=account["language"],
                gst_rate_pcm=settings["gst_rate_pcm"], qst_rate_pcm=settings["qst_rate_pcm"],
                subtotal_cents=total.subtotal_cents, gst_cents=total.gst_cents, qst_cents=total.qst_cents, total_cents=total.total_cents,
                seller=self._seller(settings), buyer={"name": account["name"], "email": account["email"], "address": account["address"]}, reason=reason, created_at=now(),
                purpose=purpose, dues_year=dues_year, shares=shares, replaces_invoice_id=replaces,
            )
        )
        await InvoiceLine.insert(*(InvoiceLine(tenant_id=self.tenant.id, id=uuid.uuid4(), invoice_id=invoice_id, position=i, **line) for i, line in enumerate(lines, start=1)))
        return invoice_id, total.total_cents

    def _seller(self, settings: dict) -> dict:
        return {
            "name": settings["legal_name"] or self.tenant.name, "address": settings["address"], "gst_number": settings["gst_number"],
            "qst_number": settings["qst_number"], "payment_terms_days": settings["payment_terms_days"],
        }

    # --- issuing ---

    async def issue(self, invoice_id) -> dict:
        """Final: the next number of the year and the next link of the hash chain, taken in this
        transaction (concurrent issues queue on the counters; a refusal gives the numbers back)."""
        await self._lock_invoices("id = {}", invoice_id)
        invoice = await self.invoice(invoice_id)
        if invoice["status"] != "draft":
            raise Conflict(N_("This invoice is already issued; correct it with a credit note."))
        if invoice["total_cents"] <= 0 and invoice["kind"] == "invoice":
            raise Invalid(N_("An invoice without anything to pay cannot be issued."))
        await self._finalise(invoice)
        issued = await self.invoice(invoice_id)
        await self.queue_mail(issued)
        return issued

    async def _finalise(self, invoice: dict, *, settings: dict | None = None, lines: list[dict] | None = None) -> None:
        today = self.tenant.today()
        if settings is None:  # (issue_drafts checks the month and reads the settings once for all)
            await self.check_open(rules.month_of(today))
            settings = await self.terms.settings()
        number = rules.invoice_number(today.year, await next_number(self.tenant, f"invoice-{today.year}"))
        position = await next_number(self.tenant, CHAIN)
        previous = await Invoice.select(Invoice.hash).where((Invoice.tenant_id == self.tenant.id) & (Invoice.chain_position == position - 1)).first()
        values = {
            "number": number, "issued_on": today, "chain_position": position,
            "due_on": today + dt.timedelta(days=settings["payment_terms_days"]) if invoice["kind"] == "invoice" else None,
        }
        previous_hash = previous["hash"] if previous else rules.GENESIS
        document = hashed_document({**invoice, **values}, lines if lines is not None else await self.lines(invoice["id"]))
        issued = await Invoice.update(
            {**values, "status": "issued", "previous_hash": previous_hash, "hash": rules.chain_hash(previous_hash, document), "issued_at": now()}
        ).where((Invoice.tenant_id == self.tenant.id) & (Invoice.id == invoice["id"]) & (Invoice.status == "draft")).returning(Invoice.id)
        if not issued:  # issued meanwhile by another request
            raise Conflict(N_("This invoice is already issued; correct it with a credit note."))
        await self.audit(f"{invoice['kind']}.issued", "invoice", invoice["id"], {"number": number, "total_cents": invoice["total_cents"]})
        if invoice["kind"] == "invoice":
            await self._apply_credit(invoice["clinician_id"], invoice["id"], number, invoice["total_cents"], today)

    # --- the clinicians' account credit ---

    async def credit_balance(self, clinician_id, *, lock: bool = False) -> int:
        """What the co-op owes a clinician on account (an overpayment kept, a credit note beyond
        what was due), less what was applied or refunded. With `lock`, on PostgreSQL, the
        clinician's account row is locked until the transaction ends, so two requests never
        spend the same credit (SQLite's single writer already serialises them)."""
        if lock and db.is_postgres(ClinicianAccount._meta.db):
            await ClinicianAccount.raw("SELECT id FROM clinician_account WHERE tenant_id = {} AND id = {} FOR UPDATE", self.tenant.id, clinician_id)
        return await self._sum(AccountCredit, AccountCredit.amount_cents, AccountCredit.clinician_id == clinician_id)

    async def record_credit_movement(self, clinician_id, kind: str, amount_cents: int, *, occurred_on, reference: str, invoice_id=None, payment_id=None) -> None:
        """One movement of a clinician's account credit (positive: owed to them), audited: a credit
        note's excess here, an overpayment or a refund in billing.payments."""
        await AccountCredit.insert(AccountCredit(
            tenant_id=self.tenant.id, id=uuid.uuid4(), clinician_id=clinician_id, kind=kind, amount_cents=amount_cents, invoice_id=invoice_id,
            payment_id=payment_id, occurred_on=occurred_on, reference=reference[:200], recorded_by=self.actor_id, created_at=now(),
        ))
        await self.audit(f"account_credit.{kind}", "clinician_account", clinician_id, {"amount_cents": amount_cents, "invoice_id": invoice_id, "reference": reference})

    async def _apply_credit(self, clinician_id, invoice_id, number: str, total_cents: int, today: dt.date) -> None:
        """The clinician's credit pays the invoice just issued, as far as it goes."""
        available = await self.credit_balance(clinician_id, lock=True)
        used = min(available, total_cents)
        if used > 0:
            await self.record_credit_movement(clinician_id, "applied", -used, occurred_on=today, reference=number, invoice_id=invoice_id)

    async def issue_drafts(self, month: str | None, limit: int | None = None, *, dues_year: int | None = None) -> list:
        """Issues the month's room-hour drafts (or, with `dues_year` and no month, that year's
        dues drafts), all or the next `limit` of them, in this transaction, in the order of the
        run: numbers and hash chain only. Their PDFs and e-mails are made after the commit
        (`mail_documents`), so the counters are held for milliseconds per invoice, not for a PDF
        each. A draft with nothing to pay is left as it is. Returns the ids issued."""
        await self.check_open(rules.month_of(self.tenant.today()))
        if dues_year is None:
            selected, value = "month = {} AND purpose = 'rooms'", month
            matching = (Invoice.month == month) & (Invoice.purpose == "rooms")
        else:
            selected, value = "dues_year = {} AND purpose = 'dues'", dues_year
            matching = (Invoice.dues_year == dues_year) & (Invoice.purpose == "dues")
        condition = selected + " AND status = 'draft' AND kind = 'invoice' AND total_cents > 0 ORDER BY created_at, id" + (f" LIMIT {int(limit)}" if limit else "")
        locked = await self._lock_invoices(condition, value)
        query = Invoice.select().where(
            (Invoice.tenant_id == self.tenant.id) & matching & (Invoice.status == "draft")
            & (Invoice.kind == "invoice") & (Invoice.total_cents > 0)
        ).order_by(Invoice.created_at, Invoice.id)
        drafts = await (query.limit(limit) if limit else query)
        if locked is not None:
            drafts = [d for d in drafts if d["id"] in locked]
        if not drafts:
            return []
        settings = await self.terms.settings()
        lines_of: dict = {}
        for line in await InvoiceLine.select().where((InvoiceLine.tenant_id == self.tenant.id) & InvoiceLine.invoice_id.is_in([d["id"] for d in drafts])):
            lines_of.setdefault(line["invoice_id"], []).append(line)
        for draft in drafts:
            await self._finalise({**draft, "seller": json_value(draft["seller"]), "buyer": json_value(draft["buyer"])}, settings=settings, lines=lines_of.get(draft["id"], []))
        return [draft["id"] for draft in drafts]

    async def _lock_invoices(self, condition: str, *values) -> set | None:
        """On PostgreSQL, locks the invoices matching `condition` until the transaction ends and
        returns their ids (None on SQLite, whose single writer already serialises the issues).
        Every issue locks the drafts it issues before it takes the number counters, so a bulk
        issue and a single one queue one after the other instead of deadlocking, and the one
        that comes second skips (or refuses) what the first has issued."""
        if not db.is_postgres(Invoice._meta.db):
            return None
        rows = await Invoice.raw(f"SELECT id FROM invoice WHERE tenant_id = {{}} AND {condition} FOR UPDATE", self.tenant.id, *values)
        return {row["id"] for row in rows}

    async def issue_month_drafts(self, month: str) -> dict:
        """Issues all the month's drafts in this (the request's) transaction, then, once it has
        committed, makes their PDFs and queues their e-mails (`mail_documents`, in the background)."""
        ids = await self.issue_drafts(month)
        if not ids:
            raise Conflict(N_("No draft of %(month)s is left to issue."), month=month)
        first, last = await self._mail_once_committed(ids)
        return {"month": month, "issued": len(ids), "first_number": first, "last_number": last}

    async def issue_dues_drafts(self, year: int) -> tuple[list, str, str]:
        """Issues the year's dues drafts in this transaction, then, once it has committed, mails
        them as a month's (`_mail_once_committed`); returns their ids, first and last numbers."""
        ids = await self.issue_drafts(None, dues_year=year)
        if not ids:
            raise Conflict(N_("No dues draft of %(year)s is left to issue."), year=year)
        first, last = await self._mail_once_committed(ids)
        return ids, first, last

    async def _mail_once_committed(self, ids: list) -> tuple[str, str]:
        """Queues, in this transaction, the job that makes these documents' PDFs and queues their
        e-mails (billing.jobs, `mail_documents`) once it has committed; returns their first and
        last numbers."""
        numbers = sorted(row["number"] for row in await Invoice.select(Invoice.number).where((Invoice.tenant_id == self.tenant.id) & Invoice.id.is_in(ids)))
        await jobqueue.enqueue(MAIL_DOCUMENTS, self.tenant.id, {"invoices": [str(i) for i in ids]})
        return numbers[0], numbers[-1]

    async def unmailed(self, invoice_ids) -> list[dict]:
        """Those of these issued documents whose e-mail is not in the outbox yet."""
        if not invoice_ids:
            return []
        mailed = {row["object_id"] for row in await mail.MailMessage.select(mail.MailMessage.object_id).where(
            (mail.MailMessage.tenant_id == self.tenant.id) & (mail.MailMessage.purpose == MAIL_PURPOSE) & mail.MailMessage.object_id.is_in(list(invoice_ids))
        )}
        rows = await Invoice.select().where((Invoice.tenant_id == self.tenant.id) & Invoice.id.is_in(list(invoice_ids)) & (Invoice.status == "issued")).order_by(Invoice.chain_position)
        # (A member without an e-mail address gets their documents by post: nothing to queue.)
        return [await self.with_balance(row) for row in rows if row["id"] not in mailed and json_value(row["buyer"]).get("email")]

    async def credits_due(self) -> list[dict]:
        """The bookings cancelled after an issued invoice billed them, not credited yet: what each
        credit note would give back (what was billed, less the late-cancellation fee the booking
        now owes), proposed to the treasurer at every run and on the invoices' page."""
        rows = await InvoiceLine.raw(
            "SELECT i.id AS invoice_id, i.number, i.month, a.name, l.booking_id, b.starts_at, b.cancellation_fee_percent AS fee, SUM(l.amount_cents) AS billed "
            "FROM invoice_line l JOIN invoice i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id "
            "JOIN booking b ON b.tenant_id = l.tenant_id AND b.id = l.booking_id "
            "JOIN clinician_account a ON a.tenant_id = i.tenant_id AND a.id = i.clinician_id "
            "WHERE l.tenant_id = {} AND i.kind = 'invoice' AND i.status = 'issued' AND l.kind = 'room' AND b.status = 'cancelled' "
            "AND NOT EXISTS (SELECT 1 FROM invoice_line c JOIN invoice n ON n.tenant_id = c.tenant_id AND n.id = c.invoice_id "
            "WHERE c.tenant_id = l.tenant_id AND c.booking_id = l.booking_id AND n.credited_invoice_id = i.id AND n.status = 'issued') "
            "GROUP BY i.id, i.number, i.month, a.name, l.booking_id, b.starts_at, b.cancellation_fee_percent ORDER BY b.starts_at, i.number",
            self.tenant.id,
        )
        due = [{**row, "starts_at": self.local(_instant(row["starts_at"])), "credit_cents": row["billed"] - rules.percent_of(row["billed"], row["fee"])} for row in rows]
        return [row for row in due if row["credit_cents"] > 0]

    async def credit(self, invoice_id, amount_cents: int | None, reason: str, *, booking_id=None) -> dict:
        """A credit note for an issued invoice, issued at once: all of it (its lines mirrored), a
        part before tax, or (`booking_id`) what a booking cancelled after it was billed has due
        (`credits_due`); never more than what is left to credit. (Payments.credit is the door
        for a request: it calls this, then settles a share invoice's shares.)"""
        invoice = await self.invoice(invoice_id, lock=True)  # first: two posts of one booking's credit wait here
        if booking_id is not None:
            owed = [row for row in await self.credits_due() if row["invoice_id"] == invoice_id and row["booking_id"] == booking_id]
            if not owed:
                raise Conflict(N_("This booking has nothing left to credit on this invoice."))
            amount_cents = owed[0]["credit_cents"]
        if invoice["kind"] != "invoice" or invoice["status"] != "issued":
            raise Conflict(N_("Only an issued invoice can be credited."))
        credited_before = -await self._sum(Invoice, Invoice.subtotal_cents, (Invoice.credited_invoice_id == invoice_id) & (Invoice.status == "issued"))
        left = invoice["subtotal_cents"] - credited_before
        account = await self.clinicians.clinician(invoice["clinician_id"])
        if amount_cents is None and credited_before == 0:
            lines = [{**{k: line[k] for k in HASHED_LINE_FIELDS if k != "position"}, "kind": "credit", "amount_cents": -line["amount_cents"], "gst_cents": -line["gst_cents"], "qst_cents": -line["qst_cents"]} for line in await self.lines(invoice_id)]
        else:
            amount = left if amount_cents is None else amount_cents
            if amount > left or amount <= 0:
                raise Invalid(N_("A credit note cannot exceed what is left of the invoice (%(left)s before tax)."), errors=[FieldError("amount_cents", N_("Enter at most %(left)s."), {"left": i18n.format_money(left, self.tenant.currency)})], left=i18n.format_money(left, self.tenant.currency))
            taxed = rules.tax_line(-amount, invoice["gst_rate_pcm"], invoice["qst_rate_pcm"])
            with i18n.using(account["language"]):
                description = gettext(N_("Credit on invoice %(number)s"), number=invoice["number"])
            lines = [{"kind": "credit", "booking_id": booking_id, "description": description, "occurred_on": self.tenant.today(), "minutes": 0, "hourly_cents": 0, "amount_cents": taxed.amount_cents, "gst_cents": taxed.gst_cents, "qst_cents": taxed.qst_cents}]
        settings = {**await self.terms.settings(), "gst_rate_pcm": invoice["gst_rate_pcm"], "qst_rate_pcm": invoice["qst_rate_pcm"]}
        note_id, _ = await self.store_draft(
            rules.month_of(self.tenant.today()), account, lines, settings, kind="credit_note", credited=invoice_id, reason=reason,
            purpose=invoice["purpose"], dues_year=invoice["dues_year"],
        )
        await self._finalise(await self.invoice(note_id))
        note = await self.invoice(note_id)
        after = await self.invoice(invoice_id)
        if after["balance_cents"] < 0:  # credited beyond what was left to pay: the excess is the clinician's credit
            await self.record_credit_movement(
                invoice["clinician_id"], "credit_note", -after["balance_cents"], occurred_on=self.tenant.today(), reference=note["number"], invoice_id=invoice_id,
            )
        await self.queue_mail(note)
        return note

    # --- closing and verifying ---

    async def check_open(self, month: str) -> None:
        """Refuses anything dated in a closed month: an invoice, a payment, a refund, dues."""
        if await ClosedMonth.exists().where((ClosedMonth.tenant_id == self.tenant.id) & (ClosedMonth.month == month)):
            raise Conflict(N_("The month %(month)s is closed: nothing can be dated in it any more."), month=month)

    async def close_month(self, month: str) -> None:
        await self.check_open(month)
        if await Invoice.exists().where((Invoice.tenant_id == self.tenant.id) & (Invoice.month == month) & (Invoice.status == "draft")):
            raise Conflict(N_("Issue or make again the drafts of %(month)s before closing it."), month=month)
        await ClosedMonth.insert(ClosedMonth(tenant_id=self.tenant.id, id=uuid.uuid4(), month=month, closed_by=self.actor_id, closed_at=now()))
        await self.audit("month.closed", "closed_month", None, {"month": month})

    async def is_closed(self, month: str) -> bool:
        return await ClosedMonth.exists().where((ClosedMonth.tenant_id == self.tenant.id) & (ClosedMonth.month == month))

    async def verify_chain(self) -> list[str]:
        """What is wrong with the chain of issued documents (nothing: an empty list)."""
        problems, previous_hash = [], rules.GENESIS
        documents = await Invoice.select().where((Invoice.tenant_id == self.tenant.id) & (Invoice.status == "issued")).order_by(Invoice.chain_position)
        lines_of: dict = {}
        for line in await InvoiceLine.select().where(InvoiceLine.tenant_id == self.tenant.id):
            lines_of.setdefault(line["invoice_id"], []).append(line)
        for expected, document in enumerate(documents, start=1):
            label = document["number"]
            if document["chain_position"] != expected:
                problems.append(f"{label}: position {document['chain_position']} where {expected} was expected")
            if document["previous_hash"] != previous_hash:
                problems.append(f"{label}: does not follow the document before it")
            if document["hash"] != rules.chain_hash(document["previous_hash"], hashed_document(document, lines_of.get(document["id"], []))):
                problems.append(f"{label}: its content has changed since it was issued")
            previous_hash = document["hash"]
        problems += self._number_gaps(documents)
        return problems

    @staticmethod
    def _number_gaps(documents: list[dict]) -> list[str]:
        by_year: dict[str, list[int]] = {}
        for document in documents:
            year, sequence = document["number"].split("-")
            by_year.setdefault(year, []).append(int(sequence))
        return [f"{year}: numbers are not consecutive" for year, numbers in by_year.items() if sorted(numbers) != list(range(1, len(numbers) + 1))]

    # --- the PDF and the e-mail ---

    async def pdf(self, invoice_id) -> bytes:
        return await self._pdf(await self.own_invoice(invoice_id))

    async def pdf_html(self, invoice: dict) -> str:
        """The HTML printed as the document's PDF: in the organisation's language (in Quebec,
        French, as the Charter of the French language asks of invoices), with the clinician's
        language alongside when it is another ("Facture / Invoice")."""
        lines = await self.lines(invoice["id"])
        credited = await self.invoice(invoice["credited_invoice_id"]) if invoice["credited_invoice_id"] else None
        alongside = invoice["language"] if i18n.base_language(invoice["language"]) != i18n.base_language(self.tenant.locale) else None
        with i18n.using(self.tenant.locale):
            return web.render(
                "billing/invoice_pdf.html", tenant=self.tenant, invoice=invoice, lines=lines, credited=credited, percent=format_percent,
                _=i18n.alongside(i18n.gettext, alongside), ngettext=i18n.alongside(i18n.ngettext, alongside),
            )

    async def _pdf(self, invoice: dict) -> bytes:
        return await pdf.html_to_pdf(await self.pdf_html(invoice))

    async def send(self, invoice_id) -> dict:
        """E-mails an issued document again (lost, or sent to an old address)."""
        invoice = await self.invoice(invoice_id)
        if invoice["status"] != "issued":
            raise Conflict(N_("Only an issued document can be sent; issue the draft first."))
        account = await self.clinicians.clinician(invoice["clinician_id"])
        if not account["email"]:
            raise Conflict(N_("This member has no e-mail address: print the PDF and send it by post."))
        await self.queue_mail(invoice, to=account["email"])
        return invoice

    async def queue_mail(self, invoice: dict, to: str | None = None, document: bytes | None = None) -> None:
        """Queues the document's e-mail, with its PDF (made now unless given), in the clinician's
        language, in this transaction: a refused or rolled back issue sends nothing."""
        if document is None:
            document = await self._pdf(invoice)
        money = i18n.format_money
        with i18n.using(invoice["language"]):
            seller = invoice["seller"]["name"]
            if invoice["kind"] == "credit_note":
                subject = gettext(N_("Credit note %(number)s from %(organisation)s"), number=invoice["number"], organisation=seller)
                text = gettext(
                    N_("Hello %(name)s,\n\nAttached is credit note %(number)s of %(amount)s on your account with %(organisation)s.\n"),
                    name=invoice["buyer"]["name"], number=invoice["number"], amount=money(-invoice["total_cents"], invoice["currency"]), organisation=seller,
                )
            elif invoice["purpose"] == "dues":
                subject = gettext(N_("Annual dues %(year)s: invoice %(number)s from %(organisation)s"), year=invoice["dues_year"], number=invoice["number"], organisation=seller)
                text = gettext(
                    N_("Hello %(name)s,\n\nAttached is invoice %(number)s for your annual dues of %(year)s: %(amount)s, due on %(due)s.\nPlease quote its number with your payment.\n\n%(organisation)s\n"),
                    name=invoice["buyer"]["name"], number=invoice["number"], year=invoice["dues_year"], amount=money(invoice["total_cents"], invoice["currency"]),
                    due=i18n.format_date(invoice["due_on"], "long"), organisation=seller,
                )
            elif invoice["purpose"] == "shares":
                subject = gettext(N_("Your shares: invoice %(number)s from %(organisation)s"), number=invoice["number"], organisation=seller)
                text = gettext(
                    N_("Hello %(name)s,\n\nAttached is invoice %(number)s for the shares you subscribed and have not paid yet: %(amount)s, due on %(due)s.\nPlease quote its number with your payment.\n\n%(organisation)s\n"),
                    name=invoice["buyer"]["name"], number=invoice["number"], amount=money(invoice["total_cents"], invoice["currency"]),
                    due=i18n.format_date(invoice["due_on"], "long"), organisation=seller,
                )
            else:
                subject = gettext(N_("Invoice %(number)s from %(organisation)s"), number=invoice["number"], organisation=seller)
                text = gettext(
                    N_("Hello %(name)s,\n\nAttached is invoice %(number)s for %(month)s: %(amount)s, due on %(due)s.\nPlease quote its number with your payment.\n\n%(organisation)s\n"),
                    name=invoice["buyer"]["name"], number=invoice["number"], month=invoice["month"], amount=money(invoice["total_cents"], invoice["currency"]),
                    due=i18n.format_date(invoice["due_on"], "long"), organisation=seller,
                )
        recipient = to or invoice["buyer"]["email"]
        if not recipient:  # a member without an e-mail address: listed for mailing by post
            return
        await mail.queue(
            self.tenant.id, to=recipient, subject=subject, text=text, purpose=MAIL_PURPOSE, object_id=invoice["id"],
            attachments=[mail.Attachment(f"{invoice['number']}.pdf", "application/pdf", document)],
        )
        await self.audit("invoice.sent", "invoice", invoice["id"], {"to": recipient, "number": invoice["number"]})

    async def deliveries(self, invoice_id) -> list[dict]:
        return await mail.deliveries(self.tenant.id, object_id=invoice_id)


# --- issuing many: outside a request's single transaction ---------------------------------------


def _instant(value) -> dt.datetime:
    """A timestamp a raw query read (SQLite gives its text, in UTC)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def mail_documents(engine, tenant, invoice_ids) -> int:
    """Makes the PDFs of issued documents and queues their e-mails, after the commit that issued
    them, a few at a time: the HTML is read in a short transaction, the PDFs are rendered outside
    any transaction (the PDF pool renders them in parallel), the messages are written in another
    short transaction. A document already in the outbox is skipped, so this may run again after an
    interruption (`solidaire invoices mail`). Returns how many were queued."""
    queued = 0
    invoice_ids = list(invoice_ids)
    for start in range(0, len(invoice_ids), MAIL_CHUNK):
        chunk = invoice_ids[start:start + MAIL_CHUNK]
        async with db.tenant_transaction(engine, tenant.id, write=False):
            service = Invoicing(Context(tenant))
            documents = [(invoice, await service.pdf_html(invoice)) for invoice in await service.unmailed(chunk)]
        rendered = await asyncio.gather(*(pdf.html_to_pdf(html) for _, html in documents))
        async with db.tenant_transaction(engine, tenant.id, write=True):
            service = Invoicing(Context(tenant))
            still = {invoice["id"] for invoice in await service.unmailed([invoice["id"] for invoice, _ in documents])}
            for (invoice, _), document in zip(documents, rendered, strict=True):
                if invoice["id"] in still:  # not mailed meanwhile by someone else
                    await service.queue_mail(invoice, document=document)
                    queued += 1
    return queued


async def issue_month(engine, tenant, actor, month: str, *, batch: int = 50, progress: Callable[[int, int], None] | None = None) -> dict:
    """Issues every draft of a month in transactions of `batch` invoices each (numbers stay gapless
    and the chain whole: each batch takes the next numbers in order, and a failed batch gives its
    numbers back), then mails each batch's documents after its commit. For the command line and
    the benchmark; the API issues a month in its request's transaction and mails after the commit."""
    async with db.tenant_transaction(engine, tenant.id, write=False):
        total = len(await Invoice.select(Invoice.id).where(
            (Invoice.tenant_id == tenant.id) & (Invoice.month == month) & (Invoice.purpose == "rooms") & (Invoice.status == "draft")
            & (Invoice.kind == "invoice") & (Invoice.total_cents > 0)
        ))
    issued = mailed = 0
    while True:
        async with db.tenant_transaction(engine, tenant.id, write=True):
            ids = await Invoicing(Context(tenant, actor)).issue_drafts(month, batch)
        if not ids:
            break
        issued += len(ids)
        mailed += await mail_documents(engine, tenant, ids)
        if progress:
            progress(issued, total)
    return {"month": month, "issued": issued, "mailed": mailed}
