"""Check-in by QR code: each member's card (and meeting page) shows a QR code holding a signed
token (rules.check_in_token: the member number and a MAC over the organisation and the member, with
the service's secret key); the secretary's console takes what a USB scanner types (or a member
number) and checks the member in or out. The token does not expire, as a printed membership card
does not: it only lets the secretary's console check its member in, with the name on screen, which
typing the member number also does."""

from __future__ import annotations

import uuid
from functools import lru_cache

import segno

from backend.errors import FieldError, Invalid
from backend.i18n import N_, gettext
from governance.meetings import rules
from governance.meetings.services import Meetings


@lru_cache(maxsize=1024)  # 4 to 5 ms of CPU each, on every view of the member's meeting page (bench/votes_burst.py)
def qr_svg(token: str, title: str) -> str:
    """The token as an inline SVG QR code (error correction M: a card may get worn)."""
    return segno.make(token, error="m").svg_inline(scale=6, border=4, title=title, dark="#000", light="#fff")


class CheckIns:
    def __init__(self, meetings: Meetings):
        self.meetings = meetings
        self.tenant = meetings.tenant
        self.secret = meetings.context.settings.secret_key  # signs the cards' codes

    def token_of(self, member: dict) -> str:
        return rules.check_in_token(self.secret, self.tenant.id, member["id"], member["number"])

    async def card(self) -> dict:
        """The signed-in member's card: number, name and the token of their QR code."""
        member = await self.meetings.own_member()
        return {"member_number": member["number"], "name": f"{member['first_name']} {member['last_name']}", "token": self.token_of(member)}

    def card_svg(self, card: dict) -> str:
        return qr_svg(card["token"], gettext(N_("Meeting card of %(name)s (member no. %(number)s)"), name=card["name"], number=card["member_number"]))

    async def scan(self, meeting_id: uuid.UUID, code: str, present: bool = True) -> dict:
        """Checks in (or out) the member whose card was scanned, or whose number was typed."""
        await self.meetings.get(meeting_id)
        code = code.strip()
        if code.isdigit():
            member = await self.meetings.member_by_number(int(code), "code")
        else:
            number = rules.check_in_number(code)
            member = await self._member_or_none(number) if number is not None else None
            if member is None or not rules.check_in_valid(code, self.secret, self.tenant.id, member["id"], member["number"]):
                raise Invalid(N_("This code is not the meeting card of a member of this organisation."), errors=[FieldError("code", N_("Scan the card again, or type the member number."))])
        try:
            return await self.meetings.attend(meeting_id, member, present, None)
        except Invalid as refused:  # the member's state, told on the field the secretary used
            raise Invalid(refused.detail, errors=[FieldError("code", error.message, error.params) for error in refused.errors], **refused.params) from refused

    async def _member_or_none(self, number: int) -> dict | None:
        try:
            return await self.meetings.member_by_number(number, "code")
        except Invalid:
            return None
