"""The co-op's record (s. 124, s. 132): the register of resolutions (every adopted resolution by
number, as a page, a PDF and a CSV) and the governance part of the annual report (the directors
elected during the year, member counts by category, the date of the annual meeting), as a PDF, in
the organisation's language."""

from __future__ import annotations

import csv
import io

from backend import i18n, pdf, web
from backend.i18n import N_, gettext
from backend.spreadsheet import safe_cell
from governance.meetings.elections import Elections
from governance.meetings.labels import meeting_label
from governance.meetings.tables import Meeting, Motion
from governance.meetings.votes import Votes

GENERAL = ("annual_general", "special_general")


class Record:
    def __init__(self, votes: Votes):
        self.votes = votes
        self.meetings = votes.meetings
        self.tenant = votes.tenant

    async def resolutions(self, year: int | None = None) -> list[dict]:
        """Adopted resolutions in the order they were adopted (meeting date, then number)."""
        motions = await Motion.select(Motion.resolution_number, Motion.text, Motion.meeting_id, Motion.majority, Motion.created_at).where(
            (Motion.tenant_id == self.tenant.id) & Motion.resolution_number.is_not_null()
        )
        meetings = {m["id"]: m for m in await Meeting.select(Meeting.id, Meeting.title, Meeting.kind, Meeting.starts_at).where(Meeting.tenant_id == self.tenant.id)}
        rows = []
        for motion in motions:
            meeting = meetings[motion["meeting_id"]]
            if meeting["kind"] not in GENERAL and not await self.meetings.sees_board():  # board resolutions are the board's
                continue
            held_on = self.meetings.local_date(meeting["starts_at"])
            if year is not None and held_on.year != year:
                continue
            rows.append({
                "resolution_number": motion["resolution_number"], "text": motion["text"], "meeting_id": meeting["id"], "meeting_title": meeting["title"],
                "meeting_kind": meeting["kind"], "held_on": held_on, "majority": motion["majority"], "_order": (meeting["starts_at"], motion["created_at"]),
            })
        rows.sort(key=lambda r: r.pop("_order"))
        return rows

    async def resolutions_csv(self) -> str:
        rows = await self.resolutions()
        out = io.StringIO()
        writer = csv.writer(out)
        with i18n.using(self.tenant.locale):
            writer.writerow([gettext(N_("Resolution number")), gettext(N_("Date")), gettext(N_("Meeting")), gettext(N_("Kind of meeting")), gettext(N_("Majority needed")), gettext(N_("Resolution"))])
            for row in rows:
                kind, majority = meeting_label("kind", row["meeting_kind"]), meeting_label("majority", row["majority"])
                writer.writerow([safe_cell(v) for v in (row["resolution_number"], row["held_on"].isoformat(), row["meeting_title"], kind, majority, row["text"])])
        return out.getvalue()

    async def resolutions_pdf(self) -> bytes:
        rows = await self.resolutions()
        with i18n.using(self.tenant.locale):
            html = web.render("meetings/resolutions_pdf.html", tenant=self.tenant, resolutions=rows, board=await self.meetings.sees_board())
        return await pdf.html_to_pdf(html)

    async def annual_report(self, year: int) -> dict:
        """The governance part of the annual report of a year."""
        meetings = [m for m in await self.meetings.meetings() if self.meetings.local_date(m["starts_at"]).year == year]
        annual = sorted((m for m in meetings if m["kind"] == "annual_general"), key=lambda m: m["starts_at"])
        counts = await self.meetings.register.counts()
        categories = list(self.tenant.member_categories) + sorted({c for (_, c) in counts} - set(self.tenant.member_categories))
        by_category = [{"category": c, "active": counts.get(("active", c), 0)} for c in categories]
        return {
            "year": year,
            "annual_meetings": [{"id": m["id"], "title": m["title"], "held_on": self.meetings.local_date(m["starts_at"]), "status": m["status"]} for m in annual],
            "general_meetings": sum(1 for m in meetings if m["kind"] in GENERAL),
            "board_meetings": sum(1 for m in meetings if m["kind"] == "board"),
            "members_by_category": by_category,
            "active_members": sum(row["active"] for row in by_category),
            "directors": await self._directors_elected(meetings),
            "resolutions": len([r for r in await self.resolutions(year) if r["meeting_kind"] in GENERAL]),
        }

    async def _directors_elected(self, meetings: list[dict]) -> list[dict]:
        """The directors elected at the year's meetings, from the elections' certified results."""
        elections, elected = Elections(self.votes), []
        for meeting in sorted(meetings, key=lambda m: m["starts_at"]):
            for election in await elections.of_meeting(meeting["id"]):
                for person in election.get("elected") or []:
                    elected.append({"name": person["name"], "member_number": person["member_number"], "category": person["category"],
                                    "election": election["title"], "held_on": self.meetings.local_date(meeting["starts_at"])})
        return elected

    async def annual_report_pdf(self, year: int) -> bytes:
        report = await self.annual_report(year)
        with i18n.using(self.tenant.locale):
            html = web.render("meetings/annual_report_pdf.html", tenant=self.tenant, report=report, today=self.tenant.today())
        return await pdf.html_to_pdf(html)
