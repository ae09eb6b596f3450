"""Members' annual dues and share payments, through the same invoices as room hours: the same
gapless numbers, hash chain, PDFs, e-mails, payments and journal. A member is invoiced through a
billing account of kind "member" tied to their register entry (with or without a login)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable

from backend import db, i18n
from backend.clock import now
from backend.context import Context
from backend.errors import Conflict, FieldError, Invalid
from backend.i18n import N_, gettext
from billing import invoicing, rules
from billing.payments import Payments
from billing.schemas import DuesSettingsIn
from billing.services import BillingService, json_value
from billing.tables import BillingSettings, ClinicianAccount, Invoice, InvoiceLine
from governance.members import labels as member_labels
from governance.members.rules import postal_address
from tenants.services import UNIQUE_VIOLATIONS

ACTIVE = "active"


def check_year(year: int) -> None:
    if not 2000 <= year <= 2999:
        raise Invalid(N_("Enter a year between 2000 and 2999."), errors=[FieldError("year", N_("Enter a year between 2000 and 2999."))])


class Dues(BillingService):
    """Members' annual dues and share invoices, drafted and issued through the `Invoicing` of the
    `Payments` it holds (a share invoice's payments settle the shares there)."""

    def __init__(self, context: Context):
        super().__init__(context)
        self.payments = Payments(context)
        self.invoicing, self.register = self.payments.invoicing, self.payments.register
        self.terms = self.invoicing.terms

    # --- settings ---

    async def dues_settings(self) -> dict:
        settings = await self.terms.settings()
        return {
            "dues_cents": json_value(settings["dues_cents"]) or {}, "dues_taxable": settings["dues_taxable"],
            "categories": list(self.tenant.member_categories), "currency": self.tenant.currency,
        }

    async def update_dues_settings(self, data: DuesSettingsIn) -> dict:
        unknown = sorted(set(data.dues_cents) - set(self.tenant.member_categories))
        if unknown:
            raise Invalid(
                N_("This organisation has no member category %(category)s."), category=", ".join(unknown),
                errors=[FieldError("dues_cents", N_("Use the member categories of the register."))],
            )
        await self.terms.settings()
        dues = {category: cents for category, cents in data.dues_cents.items()}
        await BillingSettings.update({BillingSettings.dues_cents: dues, BillingSettings.dues_taxable: data.dues_taxable, BillingSettings.updated_at: now()}).where(
            BillingSettings.tenant_id == self.tenant.id
        )
        await self.audit("billing.dues_settings_changed", "billing_settings", None, {"dues_cents": dues, "dues_taxable": data.dues_taxable})
        return await self.dues_settings()

    # --- members' billing accounts ---

    async def member_account(self, member: dict) -> dict:
        """The member's billing account, made the first time they are invoiced and kept in step
        with the register (name, e-mail, language) each time after."""
        name = f"{member['first_name']} {member['last_name']}".strip()
        values = {"name": name[:200], "email": member["email"] or "", "language": member["language"] or self.tenant.locale, "address": postal_address(member)}
        row = await ClinicianAccount.select().where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.member_id == member["id"])).first()
        if row is None:
            # (Two requests opening the same member's account: the second waits for the first and
            # inserts nothing, then reads the account the first made.)
            opened = await ClinicianAccount.raw(
                "INSERT INTO clinician_account (tenant_id, id, user_id, kind, member_id, name, email, language, clinician_class, calendar_token, created_at) "
                "VALUES ({}, {}, NULL, 'member', {}, {}, {}, {}, '', {}, {}) ON CONFLICT (tenant_id, member_id) DO NOTHING RETURNING id",
                self.tenant.id, uuid.uuid4(), member["id"], values["name"], values["email"], values["language"], secrets.token_urlsafe(32), now(),
            )
            if opened:
                await self.audit("member_account.opened", "clinician_account", opened[0]["id"], {"member_id": member["id"]})
            row = await ClinicianAccount.select().where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.member_id == member["id"])).first()
        if any(row[key] != value for key, value in values.items()):
            await ClinicianAccount.update(values).where((ClinicianAccount.tenant_id == self.tenant.id) & (ClinicianAccount.id == row["id"]))
            row = {**row, **values}
        return row

    def _lock_account(self, account_id):
        """On PostgreSQL, the account's row locked until the transaction ends: two requests for
        the same member queue (SQLite's single writer already serialises them)."""
        return self.invoicing.credit_balance(account_id, lock=True)

    # --- dues ---

    async def run_dues(self, year: int, progress: Callable[[int, int], None] | None = None) -> dict:
        """Drafts of the year's dues, one per active member whose category pays dues; drafts of the
        year made before are made again; a member whose dues of the year are issued is skipped."""
        month = rules.month_of(self.tenant.today())
        await self.invoicing.check_open(month)
        await self._drop_dues_drafts(year)
        settings = await self.terms.settings()
        dues_cents = json_value(settings["dues_cents"]) or {}
        replacing = await self._dues_to_replace(year)
        members = [m for m in await self.register.all_in_order() if m["status"] == ACTIVE]
        drafts = total = already = without = 0
        for done, member in enumerate(members, start=1):
            amount = rules.dues_for(dues_cents, member["category"])
            if amount <= 0:
                without += 1
            else:
                account = await self.member_account(member)
                if account["id"] in replacing and replacing[account["id"]] is None:
                    already += 1
                else:
                    total += (await self._store_dues(year, month, account, member, amount, settings, replacing.get(account["id"])))[1]
                    drafts += 1
            if progress:
                progress(done, len(members))
        await self.audit("invoice.dues_run", "invoice", None, {"year": year, "drafts": drafts, "total_cents": total})
        return {"year": year, "drafts": drafts, "total_cents": total, "already_issued": already, "without_dues": without}

    async def _dues_to_replace(self, year: int, account_id=None) -> dict:
        """By account with dues of the year (or this account's): None while they stand, else the
        invoice (credited in full) that new dues replace (rules.dues_to_replace)."""
        condition = self._dues_of(year) if account_id is None else self._dues_of(year) & (Invoice.clinician_id == account_id)
        rows = await Invoice.select(Invoice.id, Invoice.clinician_id, Invoice.status, Invoice.total_cents, Invoice.replaces_invoice_id).where(condition)
        credited: dict = {}
        if rows:
            for note in await Invoice.select(Invoice.credited_invoice_id, Invoice.total_cents).where(
                (Invoice.tenant_id == self.tenant.id) & (Invoice.kind == "credit_note") & (Invoice.status == "issued") & Invoice.credited_invoice_id.is_in([r["id"] for r in rows])
            ):
                credited[note["credited_invoice_id"]] = credited.get(note["credited_invoice_id"], 0) - note["total_cents"]
        return rules.dues_to_replace(
            rules.DuesInvoice(r["id"], r["clinician_id"], r["status"] == "draft" or credited.get(r["id"], 0) < r["total_cents"], r["replaces_invoice_id"]) for r in rows
        )

    def _dues_of(self, year: int):
        return (Invoice.tenant_id == self.tenant.id) & (Invoice.purpose == "dues") & (Invoice.kind == "invoice") & (Invoice.dues_year == year)

    async def _drop_dues_drafts(self, year: int) -> None:
        drafts = [row["id"] for row in await Invoice.select(Invoice.id).where(self._dues_of(year) & (Invoice.status == "draft"))]
        if drafts:
            await InvoiceLine.delete().where((InvoiceLine.tenant_id == self.tenant.id) & InvoiceLine.invoice_id.is_in(drafts))
            await Invoice.delete().where((Invoice.tenant_id == self.tenant.id) & Invoice.id.is_in(drafts))

    async def _store_dues(self, year: int, month: str, account: dict, member: dict, amount: int, settings: dict, replaces=None) -> tuple[uuid.UUID, int]:
        gst, qst = (settings["gst_rate_pcm"], settings["qst_rate_pcm"]) if settings["dues_taxable"] else (0, 0)
        taxed = rules.tax_line(amount, gst, qst)
        with i18n.using(account["language"]):
            category = member_labels.label("category", member["category"])
            description = gettext(N_("Annual dues %(year)s (%(category)s)"), year=year, category=category)
        line = {
            "kind": "dues", "booking_id": None, "description": description, "occurred_on": self.tenant.today(), "minutes": 0, "hourly_cents": 0,
            "amount_cents": taxed.amount_cents, "gst_cents": taxed.gst_cents, "qst_cents": taxed.qst_cents,
        }
        try:
            return await self.invoicing.store_draft(month, account, [line], {**settings, "gst_rate_pcm": gst, "qst_rate_pcm": qst}, purpose="dues", dues_year=year, replaces=replaces)
        except UNIQUE_VIOLATIONS as error:  # drafted meanwhile by a concurrent request
            raise Conflict(N_("%(name)s already has a dues invoice for %(year)s."), name=account["name"], year=year) from error

    async def dues_for_member(self, year: int, member_id) -> dict:
        """One member's dues of a year (a member admitted after the run, or dues credited in full
        replaced); refused while they have dues of the year that stand."""
        check_year(year)
        member = await self.register.get(member_id)
        if member["status"] != ACTIVE:
            raise Conflict(N_("Only an active member pays dues."))
        settings = await self.terms.settings()
        amount = rules.dues_for(json_value(settings["dues_cents"]) or {}, member["category"])
        if amount <= 0:
            raise Invalid(N_("The category of this member pays no dues: set its amount first."), errors=[FieldError("member_id", N_("No dues for this category."))])
        month = rules.month_of(self.tenant.today())
        await self.invoicing.check_open(month)
        account = await self.member_account(member)
        await self._lock_account(account["id"])
        replacing = await self._dues_to_replace(year, account["id"])
        if account["id"] in replacing and replacing[account["id"]] is None:
            raise Conflict(N_("%(name)s already has a dues invoice for %(year)s."), name=account["name"], year=year)
        invoice_id, _ = await self._store_dues(year, month, account, member, amount, settings, replacing.get(account["id"]))
        await self.audit("invoice.dues_drafted", "invoice", invoice_id, {"year": year, "member_id": member_id})
        return await self.invoicing.invoice(invoice_id)

    async def issue_dues(self, year: int) -> dict:
        """Issues the year's dues drafts in this transaction; the PDFs are made and e-mailed after
        the commit to the members with an address, the others are listed for mailing by post."""
        ids, first, last = await self.invoicing.issue_dues_drafts(year)
        to_post = sum(1 for row in await Invoice.select(Invoice.buyer).where((Invoice.tenant_id == self.tenant.id) & Invoice.id.is_in(ids)) if not json_value(row["buyer"]).get("email"))
        return {"year": year, "issued": len(ids), "first_number": first, "last_number": last, "to_post": to_post}

    async def member_documents(self, *, year: int | None = None, purpose: str = "dues", to_post: bool = False) -> list[dict]:
        """Members' invoices (dues of a year, or shares), with whom they are for; `to_post`:
        only the issued ones whose member has no e-mail address (to print and mail)."""
        condition = (Invoice.tenant_id == self.tenant.id) & (Invoice.purpose == purpose) & (Invoice.kind == "invoice")
        if year is not None:
            check_year(year)
            condition &= Invoice.dues_year == year
        accounts = {row["id"]: row for row in await self.invoicing.clinicians.clinicians("member")}
        members = {m["id"]: m for m in await self.register.all_in_order()}
        documents = []
        for row in await Invoice.select().where(condition).order_by(Invoice.number, Invoice.created_at):
            invoice = await self.invoicing.with_balance(row)
            account = accounts[invoice["clinician_id"]]
            member = members[account["member_id"]]
            if to_post and (invoice["status"] != "issued" or account["email"]):
                continue
            address = "\n".join(part for part in (member["street"], f"{member['city']} {member['region']} {member['postal_code']}".strip(), member["country"]) if part)
            documents.append({
                "invoice_id": invoice["id"], "member_id": member["id"], "member_number": member["number"], "name": account["name"], "email": account["email"],
                "address": address, "number": invoice["number"], "status": invoice["status"], "total_cents": invoice["total_cents"], "balance_cents": invoice["balance_cents"],
            })
        return documents

    async def members_without_dues(self, year: int, documents: list[dict]) -> list[dict]:
        """The active members with no dues invoice of the year among `documents` (the year's):
        those admitted after the run, whose dues are drafted one by one."""
        billed = {d["member_id"] for d in documents}
        return [m for m in await self.register.all_in_order() if m["status"] == ACTIVE and m["id"] not in billed]

    # --- shares ---

    async def members_owing_shares(self) -> list[dict]:
        """The register's members who subscribed more shares than they paid, in its order."""
        return [m for m in await self.register.all_in_order() if m["shares_subscribed"] > m["shares_paid"]]

    async def shares_on_open_invoices(self, account_id) -> int:
        """Shares on the member's share invoices not yet paid for: drafts, and issued ones not
        fully paid (less what a payment already covered, less what was credited)."""
        waiting = 0
        for row in await Invoice.select().where(
            (Invoice.tenant_id == self.tenant.id) & (Invoice.clinician_id == account_id) & (Invoice.purpose == "shares") & (Invoice.kind == "invoice")
        ):
            invoice = await self.invoicing.with_balance(row)
            if invoice["status"] == "issued" and (invoice["balance_cents"] <= 0 or invoice["credited_cents"]):
                continue
            price = invoice["subtotal_cents"] // invoice["shares"]
            waiting += invoice["shares"] - rules.shares_covered(invoice["paid_cents"], price, invoice["shares"])
        return waiting

    async def invoice_shares(self, member_id) -> dict:
        """An invoice, issued at once, for the shares the member subscribed and has neither paid
        nor been invoiced for, at the organisation's share price; refused when nothing is owing."""
        member = await self.register.get(member_id)
        account = await self.member_account(member)
        await self._lock_account(account["id"])
        owing = rules.shares_owing(member["shares_subscribed"], member["shares_paid"], await self.shares_on_open_invoices(account["id"]))
        if owing <= 0 or self.tenant.share_price_cents <= 0:
            raise Invalid(
                N_("This member owes no shares: all the shares subscribed are paid or already invoiced."),
                errors=[FieldError("member_id", N_("Nothing is owing on this member's shares."))],
            )
        price = self.tenant.share_price_cents
        with i18n.using(account["language"]):
            description = gettext(N_("Shares subscribed, not yet paid: %(count)s × %(price)s"), count=owing, price=i18n.format_money(price, self.tenant.currency))
        line = {
            "kind": "shares", "booking_id": None, "description": description, "occurred_on": self.tenant.today(), "minutes": 0, "hourly_cents": 0,
            "amount_cents": owing * price, "gst_cents": 0, "qst_cents": 0,
        }
        settings = {**await self.terms.settings(), "gst_rate_pcm": 0, "qst_rate_pcm": 0}
        invoice_id, _ = await self.invoicing.store_draft(rules.month_of(self.tenant.today()), account, [line], settings, purpose="shares", shares=owing)
        await self.audit("invoice.shares_drafted", "invoice", invoice_id, {"member_id": member_id, "shares": owing})
        before = await self.invoicing.invoice(invoice_id)
        issued = await self.invoicing.issue(invoice_id)
        # (The member's account credit, if any, was applied at issue: it may pay shares at once.)
        await self.payments.settle_shares(before)
        return issued


async def issue_dues_cli(engine, tenant, year: int) -> dict:
    """Issues a year's dues drafts (for the command line), then mails their documents."""
    async with db.tenant_transaction(engine, tenant.id, write=True):
        ids = await invoicing.Invoicing(Context(tenant)).issue_drafts(None, dues_year=year)
    mailed = await invoicing.mail_documents(engine, tenant, ids)
    return {"issued": len(ids), "mailed": mailed}

