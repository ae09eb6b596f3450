"""Requests for a special meeting (s. 77): a member opens a request with its object, members sign
it online (one signature each: a UNIQUE constraint); when the signatures reach the threshold (500
members in a co-op of 2,000 or more, else a quarter: per-tenant settings), the board (the
administrators and the secretaries) is e-mailed, once, that it must call the meeting; the secretary
then links the special meeting called.

Exactly once under concurrent signatures: each signature, after inserting its row, increments the
request's counter with an UPDATE, which queues the signers on the request's row; the one whose
increment first reaches the threshold marks it reached and queues the e-mails, in its transaction."""

from __future__ import annotations

import uuid

from backend import i18n, mail
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_, gettext
from governance.meetings import rules
from governance.meetings.guards import SECRETARIES
from governance.meetings.services import Meetings
from governance.meetings.tables import Requisition, RequisitionSignature
from tenants.services import UNIQUE_VIOLATIONS, emails_with_role, record

PURPOSE = "meeting_requisition"
BOARD = ("administrator", "secretary")


class Requisitions:
    """The requests for a special meeting of one organisation, as handled by one person."""

    def __init__(self, meetings: Meetings):
        self.meetings = meetings
        self.tenant = meetings.tenant

    def _mine(self):
        return Requisition.tenant_id == self.tenant.id

    async def threshold(self) -> dict:
        """How many signatures call a special meeting today, from the active members."""
        settings = await self.meetings.settings()
        active = sum(n for (status, _), n in (await self.meetings.register.counts()).items() if status == "active")
        needed = rules.requisition_threshold(
            active, large_membership=settings.requisition_large_membership, large_count=settings.requisition_large_count,
            percent=settings.requisition_percent,
        )
        return {"active_members": active, "needed": needed}

    async def all(self) -> list[dict]:
        rows = await Requisition.select().where(self._mine()).order_by(Requisition.opened_at, ascending=False)
        needed = (await self.threshold())["needed"]
        member = await self._own_member_or_none()
        signed = {r["requisition_id"] for r in await RequisitionSignature.select(RequisitionSignature.requisition_id).where(
            (RequisitionSignature.tenant_id == self.tenant.id) & (RequisitionSignature.member_id == member["id"])
        )} if member else set()
        return [{**self._out(row, needed), "signed": row["id"] in signed} for row in rows]

    async def get(self, requisition_id: uuid.UUID) -> dict:
        row = await Requisition.select().where(self._mine() & (Requisition.id == requisition_id)).first()
        if row is None:
            raise NotFound(N_("No request for a special meeting of this organisation has this identifier."))
        out = self._out(row, (await self.threshold())["needed"])
        member = await self._own_member_or_none()
        out["signed"] = member is not None and await RequisitionSignature.exists().where(
            (RequisitionSignature.tenant_id == self.tenant.id) & (RequisitionSignature.requisition_id == requisition_id) & (RequisitionSignature.member_id == member["id"])
        )
        return out

    @staticmethod
    def _out(row: dict, needed: int) -> dict:
        status = "called" if row["meeting_id"] else "threshold_reached" if row["threshold_reached_at"] else "collecting"
        return {**row, "needed": row["threshold"] or needed, "status": status}

    async def signatories(self, requisition_id: uuid.UUID) -> list[dict]:
        """Who signed, in order (the secretary checks them against the register)."""
        await self.get(requisition_id)
        rows = await RequisitionSignature.select(RequisitionSignature.member_id, RequisitionSignature.signed_at).where(
            (RequisitionSignature.tenant_id == self.tenant.id) & (RequisitionSignature.requisition_id == requisition_id)
        ).order_by(RequisitionSignature.signed_at)
        members = {m["id"]: m for m in await self.meetings.register.all_in_order()}
        return [
            {"member_number": members[r["member_id"]]["number"], "name": f"{members[r['member_id']]['first_name']} {members[r['member_id']]['last_name']}", "signed_at": r["signed_at"]}
            for r in rows
        ]

    async def _own_member_or_none(self) -> dict | None:
        actor_id = self.meetings.actor_id
        return await self.meetings.register.of_user(actor_id) if actor_id else None

    async def _signer(self) -> dict:
        member = await self._own_member_or_none()
        if member is None:
            raise Problem(N_("Your login is not linked to an entry in the register of members."), status=403)
        if member["status"] != "active":
            raise Problem(N_("Only active members may request a special meeting."), status=403)
        return member

    async def open(self, object_text: str) -> dict:
        """A member opens a request with its object, and signs it."""
        member = await self._signer()
        requisition_id = uuid.uuid4()
        await Requisition.insert(Requisition(
            tenant_id=self.tenant.id, id=requisition_id, object=object_text, opened_by=member["id"], opened_at=now(), signatures=0,
        ))
        await record(self.tenant, self.meetings.actor_id, "requisition.opened", "meeting_requisition", requisition_id, {"member_number": member["number"]})
        await self._add_signature(requisition_id, member)
        return await self.get(requisition_id)

    async def sign(self, requisition_id: uuid.UUID) -> dict:
        requisition = await self.get(requisition_id)
        member = await self._signer()
        if requisition["meeting_id"] is not None:
            raise Conflict(N_("The special meeting has been called; the request is closed."))
        await self._add_signature(requisition_id, member)
        return await self.get(requisition_id)

    async def _add_signature(self, requisition_id: uuid.UUID, member: dict) -> None:
        try:
            await RequisitionSignature.insert(RequisitionSignature(
                tenant_id=self.tenant.id, id=uuid.uuid4(), requisition_id=requisition_id, member_id=member["id"], signed_at=now(),
            ))
        except UNIQUE_VIOLATIONS as error:
            raise Conflict(N_("You have already signed this request.")) from error
        # The counter's row lock queues concurrent signers: each sees the count with its own signature.
        rows = await Requisition.raw(
            "UPDATE meeting_requisition SET signatures = signatures + 1 WHERE tenant_id = {} AND id = {} RETURNING signatures, threshold_reached_at",
            self.tenant.id, requisition_id,
        )
        count, reached_at = rows[0]["signatures"], rows[0]["threshold_reached_at"]
        await record(self.tenant, self.meetings.actor_id, "requisition.signed", "meeting_requisition", requisition_id, {"member_number": member["number"], "signatures": count})
        needed = (await self.threshold())["needed"]
        if reached_at is None and count >= needed:
            await Requisition.update({Requisition.threshold_reached_at: now(), Requisition.threshold: needed}).where(self._mine() & (Requisition.id == requisition_id))
            told = await self._tell_the_board(requisition_id, count, needed)
            await record(self.tenant, self.meetings.actor_id, "requisition.threshold_reached", "meeting_requisition", requisition_id, {"signatures": count, "needed": needed, "board_emailed": told})

    async def _tell_the_board(self, requisition_id: uuid.UUID, count: int, needed: int) -> int:
        """E-mails the administrators and secretaries, in the organisation's language."""
        board = sorted({email for role in BOARD for email in await emails_with_role(self.tenant, role)})
        requisition = await Requisition.select(Requisition.object).where(self._mine() & (Requisition.id == requisition_id)).first()
        with i18n.using(self.tenant.locale):
            subject = gettext(N_("Request for a special meeting: %(count)s signatures"), count=count)
            text = "\n".join([
                gettext(N_("Members of %(organisation)s have requested a special general meeting."), organisation=self.tenant.name), "",
                gettext(N_("Object of the meeting: %(object)s"), object=requisition["object"]), "",
                gettext(N_("The request has %(count)s signatures; %(needed)s call a special meeting. The board must call the meeting."), count=count, needed=needed),
            ])
        for address in board:
            await mail.queue(self.tenant.id, to=address, subject=subject, text=text, purpose=PURPOSE, object_id=requisition_id)
        return len(board)

    async def link_meeting(self, requisition_id: uuid.UUID, meeting_id: uuid.UUID) -> dict:
        """The secretary records the special meeting called on this request."""
        requisition = await self.get(requisition_id)
        if requisition["meeting_id"] is not None:
            raise Conflict(N_("A meeting is already linked to this request."))
        try:
            meeting = await self.meetings.get(meeting_id)
        except NotFound as missing:
            raise Invalid(N_("No meeting of this organisation has this identifier."), errors=[FieldError("meeting_id", N_("Choose a special meeting."))]) from missing
        if meeting["kind"] != rules.MeetingKind.SPECIAL_GENERAL:
            raise Invalid(N_("A request is answered by a special general meeting."), errors=[FieldError("meeting_id", N_("Choose a special meeting."))])
        try:
            linked = await Requisition.raw(
                "UPDATE meeting_requisition SET meeting_id = {} WHERE tenant_id = {} AND id = {} AND meeting_id IS NULL RETURNING id",
                meeting_id, self.tenant.id, requisition_id,
            )
        except UNIQUE_VIOLATIONS as error:
            raise Invalid(N_("This meeting answers another request already."), errors=[FieldError("meeting_id", N_("Choose another meeting."))]) from error
        if not linked:
            raise Conflict(N_("A meeting is already linked to this request."))
        await record(self.tenant, self.meetings.actor_id, "requisition.meeting_called", "meeting_requisition", requisition_id, {"meeting_id": meeting_id})
        return await self.get(requisition_id)

    def may_link(self) -> bool:
        actor = self.meetings.actor
        return actor is not None and actor.has_any(SECRETARIES)
