"""The demo of meetings: the Shawinigan co-op's last annual meeting (held, with its vote closed,
counted and certified), its board (the directors elected then, the demo's member login and one
director per other category's seat) and the next annual meeting (called, with its agenda). Fixed
dates, seeded choices."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from piccolo.engine.base import Engine

from backend import db
from governance.meetings.schemas import AgendaItemIn, CheckIn, DirectorIn, MeetingIn, MotionIn, NoticeIn, VoteIn
from governance.meetings import demo_votes
from governance.meetings.board import Board
from governance.meetings.elections import Elections
from governance.meetings.services import Governance
from tenants import services

SLUG = "coop-shawinigan"
PLACE = "Salle communautaire, 1250, avenue de la Station, Shawinigan"
LAST_AGM = dt.datetime(2026, 5, 19, 19, 0)
NEXT_AGM = dt.datetime(2027, 5, 18, 19, 0)
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
        governance = Governance(tenant, None)
        held = await _last_annual_meeting(governance, tenant)
        await _board(governance, held)
        await governance.schedule(MeetingIn(
            kind="annual_general", title="Assemblée générale annuelle 2027", starts_at=NEXT_AGM, place=PLACE,
            video_url="https://visio.coop-shawinigan.demo/aga-2027", agenda=[AgendaItemIn(title=t, description=d) for t, d in AGENDA],
        ))
        await demo_votes.consultation(governance, random.Random(2027))  # between meetings (demo_votes.py)


async def _last_annual_meeting(governance: Governance, tenant) -> dict:
    rng = random.Random(2026)
    held = await governance.schedule(MeetingIn(
        kind="annual_general", title="Assemblée générale annuelle 2026", starts_at=LAST_AGM, place=PLACE,
        agenda=[AgendaItemIn(title=t, description=d) for t, d in AGENDA],
    ))
    sent = (LAST_AGM - dt.timedelta(days=21)).replace(tzinfo=ZoneInfo(tenant.timezone))
    await governance.record_notice(held["id"], NoticeIn(), sent_at=sent)
    await governance.set_session(held["id"], "in_session")
    active = [m for m in await governance.register.all_in_order() if m["status"] == "active"]
    present = rng.sample(active, k=len(active) * 2 // 3)
    for member in present:
        await governance.check_in(held["id"], CheckIn(member_number=member["number"]))
    proposer, seconder = present[0], present[1]
    motion = await governance.propose(held["id"], MotionIn(
        text="Que les états financiers de l'exercice 2025, tels que vérifiés par l'auditeur, soient adoptés.",
        proposer_number=proposer["number"], seconder_number=seconder["number"],
    ))
    vote = await governance.create_vote(held["id"], VoteIn(motion_id=motion["id"]))
    await governance.open_vote(vote["id"])
    for member in present:
        await governance.record_ballot(vote["id"], member, rng.choices(("yes", "no", "abstain"), weights=(8, 1, 1))[0])
    await governance.close_vote(vote["id"])
    await governance.certify(vote["id"])
    await demo_votes.election(governance, held, present, rng)  # the users' directors (demo_votes.py)
    await governance.set_session(held["id"], "adjourned")
    return held


async def _board(governance: Governance, held: dict) -> None:
    """The directors from the 2026 meeting: the two the users elected, Josée Lacerte (the demo's
    member login, so that it sees the board's meetings) and a worker and a supporting member."""
    (election,) = await Elections(governance).of_meeting(held["id"])
    seats = {person["member_number"]: "user" for person in election["elected"]}
    active = [m for m in await governance.register.all_in_order() if m["status"] == "active"]
    seats.setdefault(next(m["number"] for m in active if m["email"] == MEMBER_LOGIN), "user")
    for category in ("worker", "supporting"):
        seats[next(m["number"] for m in active if m["category"] == category and m["number"] not in seats)] = category
    board = Board(governance)
    for number, category in seats.items():
        await board.appoint(DirectorIn(member_number=number, seat_category=category, term_starts_on=LAST_AGM.date()))
