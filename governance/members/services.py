"""The member register of one tenant (Cooperatives Act, s. 124): admissions, corrections, status
changes with their history, logins linked to entries, CSV imports. Every query is scoped to one
tenant and every change is written to the audit log in the same transaction. Members' privacy
(Quebec's Law 25): who opened an entry (EntryOpenings), and all the register holds about a member
for them to download (MemberRegister.own_data)."""

from __future__ import annotations

import secrets
import uuid

import msgspec
from piccolo.querystring import QueryString

from backend import db
from backend.clock import now
from backend.context import TenantService
from backend.errors import Conflict, FieldError, Invalid, NotFound
from backend.i18n import N_, current_language, format_date, gettext
from governance.members import documents, rules, share_rules
from governance.members.labels import label
from governance.members.schemas import Admission, ContactChanges, ImportReport, ImportRowError, MemberChanges, StatusChangeRequest
from governance.members.shares import ShareLedger
from governance.members.tables import Member, MemberEntryOpening, MemberStatusChange
from tenants import passwords
from tenants.rules import normalise_email
from tenants.services import UNIQUE_VIOLATIONS, actor_names, create_user, grant_role, lock_address, next_number, record, user_by_email

MEMBER_NUMBERS = "member"
PUBLIC_MEMBER_COLUMNS = [
    column for column in Member._meta.columns
    if column._meta.name not in {"tenant_id", "user_id", "search_text", "name_key", "name_key_fi", "created_at", "updated_at"}
]
NAME_KEYS = {"fr": Member.name_key, "fi": Member.name_key_fi}
# What a person other than the member opened of an entry (member_entry_opening.opened; their
# names: labels "opened"), and how many openings a page lists, the latest first (a download: all).
OPENED_PAGE, OPENED_API, OPENED_CERTIFICATE = "page", "api", "certificate"
OPENINGS_SHOWN = 20


class ImportRefused(Invalid):
    """An import with bad rows: nothing is imported, and every bad row is reported."""

    def __init__(self, report: ImportReport):
        super().__init__(N_("The file has errors: nothing was imported."))
        self.report = report

    def body(self) -> dict:
        return {**super().body(), "rows": self.report.rows, "errors": [msgspec.structs.asdict(e) for e in self.report.errors]}


class MemberRegister(TenantService):
    """The register of one tenant, as kept by one person (the context's actor). Its shares are
    its ledger's (`shares`): an entry's figures change only through the ledger's operations."""

    def __init__(self, context):
        super().__init__(context)
        self.shares = ShareLedger(context)
        self.openings = EntryOpenings(context)

    def _mine(self):
        return Member.tenant_id == self.tenant.id

    async def admit(self, admission: Admission, user_id: uuid.UUID | None = None) -> dict:
        self._check_category(admission.category)
        values = msgspec.structs.asdict(admission)
        values["email"] = normalise_email(values["email"])
        self._check_shares(values["shares_subscribed"], values["shares_paid"], admission.status)
        await self._check_email_free(values["email"])
        today = self.tenant.today()
        if admission.status == rules.MemberStatus.ACTIVE and values["admitted_on"] is None:
            values["admitted_on"] = today
        member_id, moment = uuid.uuid4(), now()
        number = await next_number(self.tenant, MEMBER_NUMBERS)
        values.update(
            tenant_id=self.tenant.id, id=member_id, number=number, user_id=user_id,
            status_since=values["admitted_on"] or today, created_at=moment, updated_at=moment,
        )
        values.update(self._keys(values), shares_subscribed=0, shares_paid=0)
        await self._write(Member.insert(Member(**values)))
        await self.shares.open(member_id, admission.shares_subscribed, admission.shares_paid, values["status_since"], N_("Shares held when entered in the register"))
        await self._log_status(member_id, None, admission.status, values["status_since"], N_("Entered in the register"))
        await record(self.tenant, self.actor_id, "member.admitted", "member", member_id, {"number": number, "category": admission.category, "status": admission.status})
        return await self.get(member_id)

    async def get(self, member_id: uuid.UUID) -> dict:
        row = await Member.select(*PUBLIC_MEMBER_COLUMNS).where(self._mine() & (Member.id == member_id)).first()
        if row is None:
            raise NotFound(N_("No member of this organisation has this identifier."))
        return row

    async def find(
        self, *, q: str | None = None, category: str | None = None, status: str | None = None, page: int = 1, per_page: int = 50,
        sort: str = "name", descending: bool = False, language: str | None = None,
    ) -> tuple[list[dict], int]:
        """A page of the entries found, in the order of a column (rules.SORTABLE), names ordered
        as a reader of `language` (the person's, by default) reads them; the total found."""
        condition = self._mine()
        if category:
            condition &= Member.category == category
        if status:
            condition &= Member.status == status
        if q and (term := rules.search_key(q).replace("%", "").replace("_", "").replace("\\", "").strip()):
            condition &= Member.search_text.like(f"%{term}%")
        total = await Member.count().where(condition)
        query = Member.select(*PUBLIC_MEMBER_COLUMNS).where(condition)
        if sort == "admitted_on":  # entries not admitted yet come last either way, on both databases
            query = query.order_by(QueryString("admitted_on IS NULL"))
        rows = await query.order_by(*self._order(sort, language or current_language()), ascending=not descending).limit(per_page).offset((page - 1) * per_page)
        return rows, total

    def _order(self, sort: str, language: str) -> list:
        by_name = [NAME_KEYS[rules.name_key_language(language)], Member.number]
        in_words = {"category": ("category", self.tenant.member_categories), "status": ("status", list(rules.MemberStatus))}
        if sort in in_words:  # in the order of their names in the reader's language, not of their codes
            kind, codes = in_words[sort]
            named = sorted(codes, key=lambda code: rules.collation_key(label(kind, code), language))
            return [QueryString(f"CASE {kind} " + " ".join(f"WHEN {{}} THEN {rank}" for rank in range(len(named))) + " END", *named), *by_name]
        return {
            "number": [Member.number],
            "shares": [Member.shares_paid, Member.shares_subscribed, *by_name],
            "admitted_on": [Member.admitted_on, *by_name],
        }.get(sort, by_name)

    async def correct(self, member_id: uuid.UUID, changes: MemberChanges | ContactChanges) -> dict:
        current = await self.get(member_id)
        values = {k: v for k, v in msgspec.structs.asdict(changes).items() if v is not msgspec.UNSET}
        if "email" in values:
            values["email"] = normalise_email(values["email"])
            if values["email"] != current["email"]:
                await self._check_email_free(values["email"])
        if "category" in values:
            self._check_category(values["category"])
        subscribed = values.get("shares_subscribed", current["shares_subscribed"])
        self._check_paid_within_subscribed(subscribed, values.get("shares_paid", current["shares_paid"]))
        if "shares_subscribed" in values:  # (a payment recorded is never refused for a qualifying number raised since)
            self._check_qualifying(subscribed, current["status"])
        changed = {k: v for k, v in values.items() if v != current[k]}
        if not changed:
            return current
        merged = {**current, **changed}
        shares = {key: changed.pop(key, current[key]) - current[key] for key in ("shares_subscribed", "shares_paid")}
        await self.shares.correct(member_id, shares["shares_subscribed"], shares["shares_paid"], N_("Corrected in the entry"))
        if changed:
            await self._write(
                Member.update({**changed, **self._keys(merged), "updated_at": now()}).where(self._mine() & (Member.id == member_id))
            )
            await record(self.tenant, self.actor_id, "member.corrected", "member", member_id, {k: [current[k], v] for k, v in changed.items()})
        return await self.get(member_id)

    async def change_status(self, member_id: uuid.UUID, request: StatusChangeRequest) -> dict:
        current = await self.get(member_id)
        source, target = rules.MemberStatus(current["status"]), rules.MemberStatus(request.status)
        if not rules.can_change_status(source, target):
            raise Conflict(N_("A member cannot go from %(source)s to %(target)s."), errors=[FieldError("status", N_("This change of status is not allowed."))], source=label("status", source), target=label("status", target))
        if request.effective_on > self.tenant.today():
            raise Invalid(N_("A change of status is recorded once it has taken effect."), errors=[FieldError("effective_on", N_("Enter a date no later than today."))])
        if request.effective_on < current["status_since"]:
            raise Invalid(N_("The change cannot take effect before the current status began."), errors=[FieldError("effective_on", N_("Enter a date on or after %(date)s."), {"date": format_date(current["status_since"], "long")})])
        if target == rules.MemberStatus.ACTIVE and source == rules.MemberStatus.APPLICANT:
            self._check_shares(current["shares_subscribed"], current["shares_paid"], target)
        values = {Member.status: target.value, Member.status_since: request.effective_on, Member.updated_at: now()}
        if source == rules.MemberStatus.APPLICANT and target == rules.MemberStatus.ACTIVE:
            values[Member.admitted_on] = request.effective_on
        await Member.update(values).where(self._mine() & (Member.id == member_id))
        await self._log_status(member_id, source, target, request.effective_on, request.reason)
        await record(self.tenant, self.actor_id, "member.status_changed", "member", member_id, {"from": source.value, "to": target.value, "effective_on": request.effective_on, "reason": request.reason})
        return await self.get(member_id)

    async def history(self, member_id: uuid.UUID) -> list[dict]:
        await self.get(member_id)
        return await (
            MemberStatusChange.select(
                MemberStatusChange.from_status, MemberStatusChange.to_status, MemberStatusChange.effective_on,
                MemberStatusChange.reason, MemberStatusChange.recorded_at,
            )
            .where((MemberStatusChange.tenant_id == self.tenant.id) & (MemberStatusChange.member_id == member_id))
            .order_by(MemberStatusChange.recorded_at)
        )

    # --- putting members online ------------------------------------------------------------------

    async def invite(self, member_id: uuid.UUID) -> bool:
        """Puts an active member online: their login (the one with their e-mail address, or a new
        one with no usable password), the member role, linked to their entry, and an e-mail in their
        language with a link to choose their password (again, when re-sent). Whether it was queued."""
        await self._lock(member_id)
        member = await self.get(member_id)
        if member["status"] != rules.MemberStatus.ACTIVE:
            raise Conflict(N_("Only active members are invited to sign in."))
        if not member["email"]:
            raise Invalid(N_("This member has no e-mail address: correct the entry first."), errors=[FieldError("email", N_("This field is required."))])
        user_id = await self.login_of(member_id)
        if user_id is None:
            user_id = await self._login_for(member)
            await Member.update({Member.user_id: user_id, Member.updated_at: now()}).where(self._mine() & (Member.id == member_id))
        await grant_role(self.tenant, user_id, "member")
        settings = self.context.settings
        sent = await passwords.send_link(self.tenant, member["email"], settings.base_url, passwords.WELCOME_LINK_LIFETIME, welcome=True, invited_by=self.actor_id)
        await record(self.tenant, self.actor_id, "member.invited", "member", member_id, {"user_id": user_id, "sent": sent})
        return sent

    async def invite_all(self) -> int:
        """Invites every active member with an e-mail address and no login yet; how many. Their
        entries are locked first (PostgreSQL), so that a second request at once waits, then finds
        them linked: each member gets one invitation."""
        lock = " FOR UPDATE" if db.is_postgres(Member._meta.db) else ""
        waiting = await Member.raw(
            "SELECT id FROM member WHERE tenant_id = {} AND status = {} AND email IS NOT NULL AND user_id IS NULL ORDER BY number" + lock,
            self.tenant.id, rules.MemberStatus.ACTIVE.value,
        )
        return sum([await self.invite(row["id"]) for row in waiting])

    async def invite_selection(self, member_ids: list[uuid.UUID]) -> int:
        """Invites these members (each again if they already were), all or none: an entry that
        cannot be invited (not active, no e-mail address) refuses the whole, naming it."""
        wanted = list(dict.fromkeys(member_ids))
        if not wanted:
            raise Invalid(N_("Tick the members to invite."), errors=[FieldError("member_ids", N_("Tick the members to invite."))])
        rows = await Member.select(Member.id, Member.number, Member.status, Member.email).where(self._mine() & Member.id.is_in(wanted)).order_by(Member.number)
        if len(rows) != len(wanted):
            raise NotFound(N_("No member of this organisation has this identifier."))
        if refused := [row["number"] for row in rows if row["status"] != rules.MemberStatus.ACTIVE or not row["email"]]:
            message = N_("Only active members with an e-mail address are invited: correct or untick members no. %(numbers)s.")
            numbers = ", ".join(str(n) for n in refused)
            raise Invalid(message, errors=[FieldError("member_ids", message, {"numbers": numbers})], numbers=numbers)
        return sum([await self.invite(row["id"]) for row in rows])

    async def _lock(self, member_id: uuid.UUID) -> None:
        """Holds this entry until the transaction ends (PostgreSQL; SQLite has one writer at a time)."""
        if db.is_postgres(Member._meta.db):
            await Member.raw("SELECT id FROM member WHERE tenant_id = {} AND id = {} FOR UPDATE", self.tenant.id, member_id)

    async def login_of(self, member_id: uuid.UUID) -> uuid.UUID | None:
        """The login linked to this entry, if any."""
        row = await Member.select(Member.user_id).where(self._mine() & (Member.id == member_id)).first()
        return row["user_id"] if row else None

    async def without_login(self) -> int:
        """How many active members with an e-mail address have no login yet (invite_all's)."""
        return await Member.count().where(self._without_login())

    def _without_login(self):
        return self._mine() & (Member.status == rules.MemberStatus.ACTIVE) & Member.email.is_not_null() & Member.user_id.is_null()

    async def _login_for(self, member: dict) -> uuid.UUID:
        """The login of this member's address: the existing one (unless another entry has it), or a
        new one whose password nobody knows until the member chooses it."""
        await lock_address(member["email"])
        existing = await user_by_email(member["email"])
        if existing is None:
            return await create_user(member["email"], f"{member['first_name']} {member['last_name']}", secrets.token_urlsafe(32), member["language"])
        if await self.of_user(existing["id"]):
            raise Conflict(N_("This entry or this login is already linked to another."))
        return existing["id"]

    async def link_login(self, number: int, user_id: uuid.UUID) -> dict:
        """Links a login to the entry with this member number, so the member can sign in to it."""
        row = await Member.select(Member.id, Member.user_id).where(self._mine() & (Member.number == number)).first()
        if row is None:
            raise NotFound(N_("No member of this organisation has this number."))
        if row["user_id"] not in (None, user_id) or await self.of_user(user_id):
            raise Conflict(N_("This entry or this login is already linked to another."))
        await Member.update({Member.user_id: user_id, Member.updated_at: now()}).where(self._mine() & (Member.id == row["id"]))
        await record(self.tenant, self.actor_id, "member.login_linked", "member", row["id"], {"user_id": user_id})
        return await self.get(row["id"])

    async def of_user(self, user_id: uuid.UUID) -> dict | None:
        row = await Member.select(Member.id).where(self._mine() & (Member.user_id == user_id)).first()
        return await self.get(row["id"]) if row else None

    async def own_data(self, entry: dict) -> dict:
        """Everything the register holds about this member (their own entry, `entry`): the entry,
        its status history, its shares, its requests for shares, and who opened it. Nothing of
        another member: a transfer's operation keeps only the member's own movements."""
        member_id = entry["id"]
        holdings = await self.shares.holdings(member_id)
        operations = [
            {**operation, "movements": [m for m in operation["movements"] if m["member_id"] == member_id]}
            for operation in await self.shares.operations(member_id)
        ]
        qualifying = holdings.get(share_rules.ShareKind.QUALIFYING, share_rules.Holding())
        return {
            "organisation": self.tenant.name,
            "generated_on": self.tenant.today(),
            "entry": entry,
            "status_history": await self.history(member_id),
            "shares": {
                "holdings": [{"share_kind": kind, "subscribed": held.subscribed, "paid": held.paid} for kind, held in holdings.items()],
                "in_good_standing": share_rules.in_good_standing(qualifying, self.tenant.qualifying_shares),
                "operations": operations,
                "requests": await self.shares.requests(member_id=member_id),
            },
            "openings": await self.openings.of_member(member_id, limit=None),
        }

    async def counts(self) -> dict[tuple[str, str], int]:
        rows = await Member.raw(
            "SELECT status, category, COUNT(*) AS n FROM member WHERE tenant_id = {} GROUP BY status, category",
            self.tenant.id,
        )
        return {(row["status"], row["category"]): row["n"] for row in rows}

    async def all_in_order(self) -> list[dict]:
        return await Member.select(*PUBLIC_MEMBER_COLUMNS).where(self._mine()).order_by(Member.number)

    async def import_csv(self, text: str, *, dry_run: bool) -> ImportReport:
        """Imports every row or none: a dry run, or any bad row, writes nothing."""
        rows, admissions, errors = documents.parse_import(text)
        errors += await self._import_conflicts(admissions)
        if errors:
            raise ImportRefused(ImportReport(dry_run=dry_run, rows=rows, imported=0, errors=sorted(errors, key=lambda e: e.line)))
        if dry_run:
            return ImportReport(dry_run=True, rows=rows, imported=0, errors=[])
        for _, admission in admissions:
            await self.admit(admission)
        return ImportReport(dry_run=False, rows=rows, imported=len(admissions), errors=[])

    async def _import_conflicts(self, admissions: list[tuple[int, Admission]]) -> list[ImportRowError]:
        """What admitting each row would refuse: category, shares, an e-mail used twice."""
        errors, seen = [], set()
        taken = {row["email"] for row in await Member.select(Member.email).where(self._mine() & Member.email.is_not_null())}
        for line, admission in admissions:
            try:
                self._check_category(admission.category)
                self._check_shares(admission.shares_subscribed, admission.shares_paid, admission.status)
            except Invalid as problem:
                errors += [ImportRowError(line=line, field=e.field, message=e.render()["message"]) for e in problem.errors]
            email = normalise_email(admission.email)
            if email and (email in taken or email in seen):
                errors.append(ImportRowError(line=line, field="email", message=gettext(N_("Already used by another member."))))
            if email:
                seen.add(email)
        return errors

    # --- checks shared by admission, correction and import ---

    def _check_category(self, category: str) -> None:
        if category not in self.tenant.member_categories:
            raise Invalid(N_("This organisation has no such member category."), errors=[FieldError("category", N_("Choose one of: %(allowed)s."), {"allowed": ", ".join(label("category", c) for c in self.tenant.member_categories)})])

    def _check_shares(self, subscribed: int, paid: int, status: str) -> None:
        self._check_paid_within_subscribed(subscribed, paid)
        self._check_qualifying(subscribed, status)

    def _check_paid_within_subscribed(self, subscribed: int, paid: int) -> None:
        if paid > subscribed:
            raise Invalid(N_("More shares are paid than subscribed."), errors=[FieldError("shares_paid", N_("Cannot exceed the shares subscribed."))])

    def _check_qualifying(self, subscribed: int, status: str) -> None:
        if status == rules.MemberStatus.ACTIVE and not rules.holds_qualifying_shares(subscribed, self.tenant.qualifying_shares):
            raise Invalid(N_("An active member must subscribe the qualifying shares."), errors=[FieldError("shares_subscribed", N_("At least %(n)s share(s)."), {"n": self.tenant.qualifying_shares})])

    async def _check_email_free(self, email: str | None) -> None:
        if email and await Member.exists().where(self._mine() & (Member.email == email)):
            raise Conflict(N_("Another member already has this e-mail address."), errors=[FieldError("email", N_("Already used by another member."))])

    async def _write(self, query) -> None:
        """Runs an insert or update; the database's unique indexes catch what a race let through."""
        try:
            await query
        except UNIQUE_VIOLATIONS as error:
            raise Conflict(N_("Another member already has this e-mail address.")) from error

    async def _log_status(self, member_id, source, target, effective_on, reason) -> None:
        await MemberStatusChange.insert(
            MemberStatusChange(
                tenant_id=self.tenant.id, id=uuid.uuid4(), member_id=member_id,
                from_status=source.value if source else None, to_status=str(target), effective_on=effective_on,
                reason=reason, recorded_by=self.actor_id, recorded_at=now(),
            )
        )

    @staticmethod
    def _keys(values: dict) -> dict[str, str]:
        """What the search finds an entry by, and where its name sorts for each order of reading."""
        return {
            "search_text": rules.search_key(values["first_name"], values["last_name"], values.get("organisation_name"), values["email"], values["number"]),
            # (A legal person sorts by its name, its representative's after.)
            **{NAME_KEYS[language]._meta.name: rules.name_key(*rules.sorted_name(values), language) for language in rules.NAME_KEY_LANGUAGES},
        }


class EntryOpenings(TenantService):
    """Who opened a member's entry (Law 25), logged with one INSERT in the request's transaction
    whenever a person other than the member reads it: its page, its API, its share certificate."""

    async def log(self, member_id: uuid.UUID, opened: str) -> None:
        """The actor read this entry: one row, unless the actor is the member themselves (or the
        system), or the entry is not this organisation's. One statement: the entry's own login is
        compared in the INSERT itself."""
        if self.actor_id is None:
            return
        await MemberEntryOpening.raw(
            "INSERT INTO member_entry_opening (tenant_id, id, member_id, user_id, opened, opened_at) "
            "SELECT tenant_id, {}, id, {}, {}, {} FROM member WHERE tenant_id = {} AND id = {} AND (user_id IS NULL OR user_id <> {})",
            uuid.uuid4(), self.actor_id, opened, now(), self.tenant.id, member_id, self.actor_id,
        )

    async def of_member(self, member_id: uuid.UUID, limit: int | None = OPENINGS_SHOWN) -> list[dict]:
        """Who opened the entry, the latest first, with the readers' names ("" for a login gone)."""
        query = MemberEntryOpening.select(MemberEntryOpening.user_id, MemberEntryOpening.opened, MemberEntryOpening.opened_at).where(
            (MemberEntryOpening.tenant_id == self.tenant.id) & (MemberEntryOpening.member_id == member_id)
        ).order_by(MemberEntryOpening.opened_at, ascending=False)
        rows = await (query.limit(limit) if limit else query)
        names = await actor_names([{"actor_user_id": row["user_id"]} for row in rows])
        return [{**row, "reader": names.get(row["user_id"], "")} for row in rows]
