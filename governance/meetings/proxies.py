"""Proxies, where the tenant's by-laws allow them (the Act allows none: s. 4(2); settings
`proxies_allowed`, `proxy_cap`): the secretary records that a member is represented at a meeting by
another member, the holder, who holds at most `proxy_cap` proxies (each proxy takes one of the
holder's numbered slots, unique in the database, so the cap holds under concurrent requests).

A member represented by a holder who is present counts as present for the quorum and for the
eligibility frozen when a vote opens (Meetings.present_ids); the holder then casts that member's
ballot, as that member: who has voted stays one row per member (one member, one vote)."""

from __future__ import annotations

import uuid

from backend import db
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from governance.meetings import rules
from governance.meetings.schemas import ProxyIn
from governance.meetings.tables import Proxy, VoteCast
from governance.meetings.votes import Votes
from tenants.services import UNIQUE_VIOLATIONS, record


class Proxies:
    def __init__(self, votes: Votes):
        self.votes = votes
        self.meetings = votes.meetings
        self.tenant = votes.tenant

    def _mine(self):
        return Proxy.tenant_id == self.tenant.id

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[dict]:
        await self.meetings.get(meeting_id)
        rows = await Proxy.select().where(self._mine() & (Proxy.meeting_id == meeting_id))
        return await self._named(rows)

    async def _named(self, rows: list[dict]) -> list[dict]:
        members = {m["id"]: m for m in await self.meetings.register.all_in_order()}

        def name(member_id) -> str:
            return f"{members[member_id]['first_name']} {members[member_id]['last_name']}"

        listed = [
            {"id": r["id"], "meeting_id": r["meeting_id"], "member_number": members[r["member_id"]]["number"], "member_name": name(r["member_id"]),
             "holder_number": members[r["holder_id"]]["number"], "holder_name": name(r["holder_id"]), "member_id": r["member_id"]}
            for r in rows
        ]
        return sorted(listed, key=lambda p: (p["holder_number"], p["member_number"]))

    async def give(self, meeting_id: uuid.UUID, proxy: ProxyIn) -> dict:
        meeting = await self.meetings.get(meeting_id)
        settings = await self.meetings.settings()
        if not settings.proxies_allowed or settings.proxy_cap < 1:
            raise Invalid(
                N_("The by-laws of this organisation do not allow proxies."),
                errors=[FieldError("holder_number", N_("Proxies are not allowed."))],
            )
        if meeting["status"] == "adjourned":
            raise Conflict(N_("The meeting is adjourned."))
        member = await self.meetings.member_by_number(proxy.member_number, "member_number")
        holder = await self.meetings.member_by_number(proxy.holder_number, "holder_number")
        for who, field in ((member, "member_number"), (holder, "holder_number")):
            if who["status"] != "active":
                raise Invalid(N_("Only active members take part in a meeting."), errors=[FieldError(field, N_("This member is not active."))])
        if member["id"] == holder["id"]:
            raise Invalid(N_("A member is represented by another member."), errors=[FieldError("holder_number", N_("Choose another member."))])
        # Proxies of one meeting are recorded one at a time (PostgreSQL: the meeting's row lock; SQLite
        # serialises writers): each sees the ones before, so the cap is reached, never passed.
        if db.is_postgres(Proxy._meta.db):
            await Proxy.raw("SELECT id FROM meeting WHERE tenant_id = {} AND id = {} FOR UPDATE", self.tenant.id, meeting_id)
        existing = await Proxy.select(Proxy.member_id, Proxy.holder_id, Proxy.slot).where(self._mine() & (Proxy.meeting_id == meeting_id))
        if any(p["member_id"] == member["id"] for p in existing):
            raise Conflict(N_("This member is already represented at this meeting."))
        if any(p["holder_id"] == member["id"] for p in existing):
            raise Invalid(N_("A member who holds proxies attends the meeting and cannot be represented."), errors=[FieldError("member_number", N_("This member holds proxies."))])
        if any(p["member_id"] == holder["id"] for p in existing):
            raise Invalid(N_("A member who is represented cannot hold a proxy."), errors=[FieldError("holder_number", N_("This member is represented by another."))])
        slot = rules.free_proxy_slot((p["slot"] for p in existing if p["holder_id"] == holder["id"]), settings.proxy_cap)
        if slot is None:
            raise Conflict(N_("This member already holds %(cap)s proxies, the most the by-laws allow."), cap=settings.proxy_cap)
        proxy_id = uuid.uuid4()
        try:
            await Proxy.insert(Proxy(
                tenant_id=self.tenant.id, id=proxy_id, meeting_id=meeting_id, member_id=member["id"], holder_id=holder["id"], slot=slot, created_at=now(),
            ))
        except UNIQUE_VIOLATIONS as error:  # recorded at the same time: the same member, or the holder's last slot
            raise Conflict(N_("Another proxy was recorded at the same time for this member or this holder; check and try again.")) from error
        await record(self.tenant, self.meetings.actor_id, "meeting.proxy_given", "meeting", meeting_id, {"member_number": member["number"], "holder_number": holder["number"]})
        return await self.get(proxy_id)

    async def get(self, proxy_id: uuid.UUID) -> dict:
        rows = await Proxy.select().where(self._mine() & (Proxy.id == proxy_id))
        if not rows:
            raise NotFound(N_("No proxy of this organisation has this identifier."))
        return (await self._named(rows))[0]

    async def withdraw(self, proxy_id: uuid.UUID) -> dict:
        proxy = await self.get(proxy_id)
        await Proxy.delete().where(self._mine() & (Proxy.id == proxy_id))
        await record(self.tenant, self.meetings.actor_id, "meeting.proxy_withdrawn", "meeting", proxy["meeting_id"], {"member_number": proxy["member_number"], "holder_number": proxy["holder_number"]})
        return proxy

    async def held_by_me(self, meeting_id: uuid.UUID) -> list[dict]:
        """The members the signed-in member represents at this meeting."""
        await self.meetings.get(meeting_id)
        own = await self.meetings.own_entry()
        if own is None:
            return []
        rows = await Proxy.select().where(self._mine() & (Proxy.meeting_id == meeting_id) & (Proxy.holder_id == own["id"]))
        return await self._named(rows)

    async def cast_for(self, vote_id: uuid.UUID, member_number: int, choice: str) -> dict:
        """The holder casts the ballot of the member they represent, as that member."""
        vote = await self.votes.row(vote_id)
        holder = await self.meetings.own_member()
        member = await self.meetings.member_by_number(member_number)
        held = await Proxy.exists().where(
            self._mine() & (Proxy.meeting_id == vote["meeting_id"]) & (Proxy.member_id == member["id"]) & (Proxy.holder_id == holder["id"])
        )
        if not held or not (await self.meetings.settings()).proxies_allowed:
            raise Problem(N_("You hold no proxy of this member for this meeting."), status=403)
        if member["id"] in await self.meetings.present_ids(vote["meeting_id"], in_person=True):
            raise Conflict(N_("This member is present and votes in person."))
        return await self.votes.record_ballot(vote_id, member, choice)

    async def voted(self, vote_id: uuid.UUID, member_ids: list) -> set:
        if not member_ids:
            return set()
        rows = await VoteCast.select(VoteCast.member_id).where(
            (VoteCast.tenant_id == self.tenant.id) & (VoteCast.vote_id == vote_id) & VoteCast.member_id.is_in(member_ids)
        )
        return {r["member_id"] for r in rows}
