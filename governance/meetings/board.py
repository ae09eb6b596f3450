"""The register of directors (Cooperatives Act, s. 124): the members who sit on the board, for
which category's seat and for which term. Board meetings and their papers are the directors' and
the secretaries' (Meetings.sees_board); a board meeting's notice goes to the directors."""

from __future__ import annotations

import datetime as dt
import uuid

from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from governance.meetings.schemas import DirectorChangeIn, DirectorIn, TermEndIn
from governance.meetings.tables import Director
from tenants.services import UNIQUE_VIOLATIONS, record


class Board:
    """The directors of one organisation (takes the Meetings service)."""

    def __init__(self, meetings):
        self.meetings = meetings
        self.tenant = meetings.tenant

    def _mine(self):
        return Director.tenant_id == self.tenant.id

    def _serving(self, day: dt.date):
        """The terms that cover this day (a term ends the morning of term_ends_on)."""
        return self._mine() & (Director.term_starts_on <= day) & (Director.term_ends_on.is_null() | (Director.term_ends_on > day))

    async def sits(self, member_id: uuid.UUID) -> bool:
        return await Director.exists().where(self._serving(self.tenant.today()) & (Director.member_id == member_id))

    async def members(self) -> list[dict]:
        """The register entries of today's directors (the board meeting's notice goes to them)."""
        rows = await Director.select(Director.member_id).where(self._serving(self.tenant.today()))
        entries = [await self.meetings.register.get(row["member_id"]) for row in rows]  # (a board is a handful)
        return sorted(entries, key=lambda m: m["number"])

    async def current(self) -> list[dict]:
        """Today's directors, by member number: the board's and the secretaries' to read."""
        if not await self.meetings.sees_board():
            raise Problem(N_("The register of directors is for the board and the secretary."), status=403)
        return await self._named(await Director.select().where(self._serving(self.tenant.today())))

    async def _named(self, rows: list[dict]) -> list[dict]:
        listed = []
        for row in rows:
            member = await self.meetings.register.get(row["member_id"])
            listed.append({
                "id": row["id"], "member_number": member["number"], "member_name": f"{member['first_name']} {member['last_name']}",
                "seat_category": row["seat_category"], "term_starts_on": row["term_starts_on"], "term_ends_on": row["term_ends_on"],
            })
        return sorted(listed, key=lambda d: d["member_number"])

    async def get(self, director_id: uuid.UUID) -> dict:
        rows = await Director.select().where(self._mine() & (Director.id == director_id))
        if not rows:
            raise NotFound(N_("No director of this organisation has this identifier."))
        return (await self._named(rows))[0]

    async def appoint(self, appointment: DirectorIn) -> dict:
        member = await self.meetings.member_by_number(appointment.member_number)
        if member["status"] != "active":
            raise Invalid(N_("Only an active member sits on the board."), errors=[FieldError("member_number", N_("This member is not active."))])
        self._known_category(appointment.seat_category)
        await self._seat_free(member, appointment.seat_category)
        self._started(appointment.term_starts_on)
        overlapping = Director.term_ends_on.is_null() | (Director.term_ends_on > appointment.term_starts_on)  # one seat per member at a time
        if await Director.exists().where(self._mine() & (Director.member_id == member["id"]) & overlapping):
            raise self._sits_already()
        director_id = uuid.uuid4()
        try:
            await Director.insert(Director(
                tenant_id=self.tenant.id, id=director_id, member_id=member["id"], seat_category=appointment.seat_category,
                term_starts_on=appointment.term_starts_on, created_at=now(),
            ))
        except UNIQUE_VIOLATIONS as error:  # the same member appointed twice at once
            raise self._sits_already() from error
        await record(self.tenant, self.meetings.actor_id, "director.appointed", "director", director_id, {
            "member_number": member["number"], "seat_category": appointment.seat_category, "term_starts_on": appointment.term_starts_on.isoformat(),
        })
        return await self.get(director_id)

    async def correct(self, director_id: uuid.UUID, change: DirectorChangeIn) -> dict:
        """Corrects a current term's entry (its seat, the day it started); an ended term stays as it was."""
        director = await self.get(director_id)
        if director["term_ends_on"] is not None:
            raise Conflict(N_("An ended term stays in the register as it was."))
        member = await self.meetings.member_by_number(director["member_number"])
        self._known_category(change.seat_category)
        await self._seat_free(member, change.seat_category, besides=director_id)
        self._started(change.term_starts_on)
        await Director.update({Director.seat_category: change.seat_category, Director.term_starts_on: change.term_starts_on}).where(
            self._mine() & (Director.id == director_id)
        )
        await record(self.tenant, self.meetings.actor_id, "director.corrected", "director", director_id, {
            "member_number": director["member_number"], "seat_category": [director["seat_category"], change.seat_category],
            "term_starts_on": [director["term_starts_on"].isoformat(), change.term_starts_on.isoformat()],
        })
        return await self.get(director_id)

    def _known_category(self, category: str | None) -> None:
        if category is not None and category not in self.tenant.member_categories:
            raise Invalid(N_("This organisation has no such member category."), errors=[FieldError("seat_category", N_("Choose a category of this organisation."))])

    def _started(self, day: dt.date) -> None:
        if day > self.tenant.today():  # the register records who sits, not who will
            raise Invalid(N_("A term is recorded once it has started."), errors=[FieldError("term_starts_on", N_("Enter today's date or an earlier one."))])

    async def _seat_free(self, member: dict, category: str | None, besides: uuid.UUID | None = None) -> None:
        """Where the by-laws reserve the seats per category, a director takes a seat of their own
        category, while one is free (`besides`: the term being corrected, not counted)."""
        seats = (await self.meetings.settings()).board_seats
        if not seats:
            return
        if category not in seats:
            raise Invalid(N_("The by-laws reserve the board's seats per category: choose the seat's category."),
                          errors=[FieldError("seat_category", N_("Choose a category the by-laws give seats to."))])
        if member["category"] != category:
            raise Invalid(N_("A seat reserved to a category is held by a member of that category."),
                          errors=[FieldError("seat_category", N_("Choose the member's own category."))])
        holding = self._serving(self.tenant.today()) & (Director.seat_category == category)
        held = await Director.count().where(holding & (Director.id != besides) if besides else holding)
        if held >= seats[category]:
            raise Conflict(N_("Every seat of this category is held (%(seats)s)."), errors=[FieldError("seat_category", N_("Every seat of this category is held."))], seats=seats[category])

    @staticmethod
    def _sits_already() -> Conflict:
        return Conflict(N_("This member already sits on the board."), errors=[FieldError("member_number", N_("Choose a member who is not a director."))])

    async def end(self, director_id: uuid.UUID, end: TermEndIn) -> dict:
        director = await self.get(director_id)
        if director["term_ends_on"] is not None:
            raise Conflict(N_("This term has already ended."))
        if end.term_ends_on < director["term_starts_on"]:
            raise Invalid(N_("A term ends on or after the day it started."), errors=[FieldError("term_ends_on", N_("Enter a date on or after the start of the term."))])
        ended = await Director.raw(  # once: two ends at the same time, one is refused
            "UPDATE director SET term_ends_on = {} WHERE tenant_id = {} AND id = {} AND term_ends_on IS NULL RETURNING id",
            end.term_ends_on, self.tenant.id, director_id,
        )
        if not ended:
            raise Conflict(N_("This term has already ended."))
        await record(self.tenant, self.meetings.actor_id, "director.term_ended", "director", director_id, {
            "member_number": director["member_number"], "term_ends_on": end.term_ends_on.isoformat(),
        })
        return await self.get(director_id)
