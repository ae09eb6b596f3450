"""The demo of meetings: the Shawinigan co-op's last annual meeting (held, with its vote closed,
counted and certified), its board (the directors elected then, the demo's member login and one
director per other category's seat) and the next annual meeting (called, with its agenda). The
co-op meets on the third Tuesday of May: the meetings are those around the day the demo is loaded
(tenants.demo.LOADED_ON); seeded choices."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from zoneinfo import ZoneInfo

from piccolo.engine.base import Engine

from backend import db
from backend.context import Context
from governance.meetings import demo_votes
from governance.meetings.board import Board
from governance.meetings.elections import Elections
from governance.meetings.kinds import votes_for
from governance.meetings.motion_votes import prepare
from governance.meetings.schemas import AgendaItemIn, CheckIn, DirectorIn, MeetingIn, MotionIn, NoticeIn, VoteIn
from governance.meetings.services import Meetings
from governance.meetings.votes import Votes
from tenants import services
from tenants.demo import LOADED_ON, third_weekday

SLUG = "coop-shawinigan"
PLACE = "Salle communautaire, 1250, avenue de la Station, Shawinigan"
# The demo's next meeting is at least this far ahead, so that its notice can still be sent in time.
CALLED_AHEAD = dt.timedelta(days=30)


def _annual_meeting(year: int) -> dt.datetime:
    """The year's annual meeting, local time: in May, within the six months the Act (s. 76) gives
    after the 31 December year end."""
    return dt.datetime.combine(third_weekday(year, 5, calendar.TUESDAY), dt.time(19))


def _next_to_call(today: dt.date) -> dt.datetime:
    year = today.year
    while _annual_meeting(year).date() < today + CALLED_AHEAD:
        year += 1
    return _annual_meeting(year)


def _latest_held(today: dt.date) -> dt.datetime:
    """The latest one before today: the year before the next one, except in the weeks just before
    this year's (too close to be called in the demo, so the next one is next year's): last year's."""
    year = today.year
    while _annual_meeting(year).date() >= today:
        year -= 1
    return _annual_meeting(year)


LAST_AGM = _latest_held(LOADED_ON)
NEXT_AGM = _next_to_call(LOADED_ON)
MEMBER_LOGIN = "membre@coop-shawinigan.demo"  # the member login's own entry (tenants/demo.py)
AGENDA = (
    ("Ouverture de l'assemblée et vérification du quorum", ""),
    ("Adoption de l'ordre du jour", ""),
    ("Adoption du procès-verbal de l'assemblée précédente", ""),
    ("Rapport annuel du conseil d'administration", "Activités de la clinique, nombre de membres par catégorie, date de l'assemblée."),
    ("États financiers et rapport de l'auditeur", ""),
    ("Affectation des excédents", ""),
    ("Élection des administrateurs", "Sièges des membres utilisateurs, travailleurs et de soutien."),
    ("Nomination de l'auditeur", ""),
    ("Période de questions", ""),
    ("Levée de l'assemblée", ""),
)


async def load(engine: Engine) -> None:
    tenant = await services.tenant_by_slug(SLUG)
    async with db.tenant_transaction(engine, tenant.id, write=True):
        votes = votes_for(Meetings(Context(tenant)))
        meetings = votes.meetings
        held = await _last_annual_meeting(votes, tenant)
        await _board(votes, held)
        await meetings.schedule(MeetingIn(
            kind="annual_general", title=f"Assemblée générale annuelle {NEXT_AGM.year}", starts_at=NEXT_AGM, place=PLACE,
            video_url=f"https://visio.coop-shawinigan.demo/aga-{NEXT_AGM.year}", agenda=[AgendaItemIn(title=t, description=d) for t, d in AGENDA],
        ))
        await demo_votes.consultation(votes, random.Random(NEXT_AGM.year))  # between meetings (demo_votes.py)


async def _last_annual_meeting(votes: Votes, tenant) -> dict:
    meetings = votes.meetings
    rng = random.Random(LAST_AGM.year)
    held = await meetings.schedule(MeetingIn(
        kind="annual_general", title=f"Assemblée générale annuelle {LAST_AGM.year}", starts_at=LAST_AGM, place=PLACE,
        agenda=[AgendaItemIn(title=t, description=d) for t, d in AGENDA],
    ))
    sent = (LAST_AGM - dt.timedelta(days=21)).replace(tzinfo=ZoneInfo(tenant.timezone))
    await meetings.record_notice(held["id"], NoticeIn(), sent_at=sent)
    await meetings.set_session(held["id"], "in_session")
    active = [m for m in await meetings.register.all_in_order() if m["status"] == "active"]
    present = rng.sample(active, k=len(active) * 2 // 3)
    for member in present:
        await meetings.check_in(held["id"], CheckIn(member_number=member["number"]))
    proposer, seconder = present[0], present[1]
    motion = await meetings.propose(held["id"], MotionIn(
        text=f"Que les états financiers de l'exercice {LAST_AGM.year - 1}, tels que vérifiés par l'auditeur, soient adoptés.",
        proposer_number=proposer["number"], seconder_number=seconder["number"],
    ))
    vote = await prepare(votes, held["id"], VoteIn(motion_id=motion["id"]))
    await votes.open(vote["id"])
    for member in present:
        await votes.record_ballot(vote["id"], member, rng.choices(("yes", "no", "abstain"), weights=(8, 1, 1))[0])
    await votes.close(vote["id"])
    await votes.certify(vote["id"])
    await demo_votes.election(votes, held, present, rng)  # the users' directors (demo_votes.py)
    await meetings.set_session(held["id"], "adjourned")
    return held


async def _board(votes: Votes, held: dict) -> None:
    """The directors from the last annual meeting: the two the users elected (entered by the
    election's certification), Josée Lacerte (the demo's member login, so that it sees the board's
    meetings) and a worker and a supporting member."""
    meetings = votes.meetings
    (election,) = await Elections(votes).of_meeting(held["id"])
    elected = {person["member_number"] for person in election["elected"]}
    seats = {}
    active = [m for m in await meetings.register.all_in_order() if m["status"] == "active"]
    login = next(m["number"] for m in active if m["email"] == MEMBER_LOGIN)
    if login not in elected:
        seats[login] = "user"
    for category in ("worker", "supporting"):
        seats[next(m["number"] for m in active if m["category"] == category and m["number"] not in seats and m["number"] not in elected)] = category
    board = Board(meetings)
    for number, category in seats.items():
        await board.appoint(DirectorIn(member_number=number, seat_category=category, term_starts_on=LAST_AGM.date()))
