"""The demo's member registers: each organisation of the demo (tenants/demo.py) gets its register,
drawn from a seeded random generator over dates that end with the month before the one the demo is
loaded in (`AS_OF`), so the demo loaded on a given day is the same every time, and one loaded later
is as recent (applicants alone are dated the day of loading: an application is entered on the day
it is received). Member e-mail addresses end in `.demo`, Quebec telephone numbers are in the
555-01xx range that North American numbering keeps for fiction, and the Finnish entries have no
telephone number: no real person is written to. Status changes go through
`MemberRegister.change_status`, so the history and the audit log of each entry are those the
register keeps for a real one; the demo's member login is linked to its own entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass

import msgspec
from piccolo.engine.base import Engine

from backend import db
from backend.context import Context
from governance.members import rules
from governance.members.schemas import Admission, StatusChangeRequest
from governance.members.services import MemberRegister
from tenants import services
from tenants.demo import (
    AS_OF,
    ENGLISH_FIRST,
    ENGLISH_LAST,
    FINNISH_FIRST,
    FINNISH_LAST,
    FIRST_SLUG,
    LOGINS,
    ORGANISATIONS,
    QUEBEC_FIRST,
    QUEBEC_LAST,
    Organisation,
    third_weekday,
)

# The member entry of the `member` login (the same person as the login).
_LINKED_MEMBER = {
    "first_name": "Josée", "last_name": "Lacerte", "email": "membre@coop-shawinigan.demo", "phone": "819 555-0142",
    "street": "1862, avenue Saint-Marc", "city": "Shawinigan", "region": "QC", "postal_code": "G9N 2J7",
    "country": "CA", "language": "fr_CA", "category": "user", "shares_subscribed": 2, "shares_paid": 2,
    "consent_contact": True, "consent_publish_name": True, "consent_photos": False, "consent_research": True,
}



_POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"


# --- the registers, as plain values ------------------------------------------------------------



@dataclass(frozen=True)
class DemoEntry:
    admission: Admission
    changes: tuple[StatusChangeRequest, ...] = ()
    login: str | None = None  # the demo login linked to this entry



def _meetings(org: Organisation, rng: random.Random) -> list[tuple[dt.date, str, str]]:
    """(date, admission reference, next reference) of the meetings that admitted members."""
    meetings = []
    for year in range(org.first_year, AS_OF.year + 1):
        months = sorted(rng.sample(range(1, 13), rng.randint(*org.meetings_per_year)))
        number = 0
        for month in months:
            number += rng.randint(2, 6)  # a board passes several resolutions at each meeting
            day = third_weekday(year, month, calendar.TUESDAY)
            if day <= AS_OF - dt.timedelta(days=14):
                meetings.append((day, org.resolution.format(year=year, number=number), org.resolution.format(year=year, number=number + 1)))
    return meetings


def _email(rng: random.Random, first: str, last: str, domains: tuple[str, ...], taken: set[str]) -> str:
    first_key, last_key = (rules.search_key(part).replace(" ", "").replace("'", "") for part in (first, last))
    local = rng.choice((f"{first_key}.{last_key}", f"{first_key[0]}{last_key}", f"{first_key}{last_key}{rng.randint(1, 99)}"))
    email = f"{local}@{rng.choice(domains)}"
    while email in taken:
        email = f"{first_key}.{last_key}{rng.randint(1, 99)}@{rng.choice(domains)}"
    taken.add(email)
    return email


def _address(org: Organisation, rng: random.Random) -> dict:
    place = rng.choices(org.places, weights=[p.weight for p in org.places])[0]
    street = rng.choice(place.streets)
    if org.country == "FI":
        address = f"{street.name} {rng.randint(1, 120)}"
        if rng.random() < 0.75:
            address += f" {rng.choice('ABCD')} {rng.randint(1, 40)}"
        postal = rng.choice(street.postal)
    else:
        address = f"{rng.randint(2, 2900)}, {street.name}"
        if rng.random() < 0.2:
            address = f"{rng.randint(1, 12)}-{address}"  # an apartment, Quebec style: 4-1250, rue …
        ldu = f"{rng.randint(0, 9)}{rng.choice(_POSTAL_LETTERS)}{rng.randint(0, 9)}"
        postal = f"{rng.choice(street.postal)} {ldu}"
    return {"street": address, "city": place.city, "region": place.region, "postal_code": postal, "country": org.country}


def _shares(org: Organisation, category: str, rng: random.Random) -> tuple[int, int]:
    if org.share_price_cents == 0:
        return 0, 0
    subscribed = {"user": rng.choice((1, 1, 1, 1, 2, 5)), "worker": 10, "supporting": rng.choice((5, 10, 20, 50))}[category]
    paid = subscribed if rng.random() < 0.85 else rng.randint(org.qualifying_shares, subscribed)
    return subscribed, paid


def register(org: Organisation) -> list[DemoEntry]:
    """The demo register of an organisation, in the order its members were entered."""
    rng = random.Random(org.seed)
    meetings = _meetings(org, rng)
    finnish = org.country == "FI"
    domains = ("sahkoposti.demo", "esimerkki.demo") if finnish else ("courriel.demo", "exemple.demo")
    # 555-0100 to 555-0199: kept for fiction in every North American area code.
    pool = [f"{area} 555-01{n:02d}" for area in ("819", "873") for n in range(100) if f"{area} 555-01{n:02d}" != _LINKED_MEMBER["phone"]]
    phones = rng.sample(pool, org.size) if not finnish else []
    names = {tuple(login.full_name.split(" ", 1)) for login in LOGINS}  # nobody shares a demo login's name
    emails, people = {_LINKED_MEMBER["email"]}, []

    for index in range(org.size):
        english = rng.random() < org.english_share
        first_pool, last_pool = (FINNISH_FIRST, FINNISH_LAST) if finnish else (ENGLISH_FIRST, ENGLISH_LAST) if english else (QUEBEC_FIRST, QUEBEC_LAST)
        first, last = rng.choice(first_pool), rng.choice(last_pool)
        while (first, last) in names:
            first, last = rng.choice(first_pool), rng.choice(last_pool)
        names.add((first, last))
        category = rng.choices(list(org.categories), weights=list(org.categories.values()))[0]
        applicant = index >= org.size - org.applicants
        subscribed, paid = _shares(org, category, rng)
        if applicant and org.share_price_cents:
            subscribed, paid = 1, rng.choice((0, 1))
        meeting = None if applicant else rng.choice(meetings)
        values = {
            "first_name": first, "last_name": last,
            "email": _email(rng, first, last, domains, emails) if rng.random() < 0.85 else None,
            "phone": phones[index] if phones and rng.random() < 0.8 else None,
            **_address(org, rng),
            "language": "fi" if finnish else "en_CA" if english else "fr_CA",
            "category": category, "status": "applicant" if applicant else "active",
            "shares_subscribed": subscribed, "shares_paid": paid,
            "admitted_on": meeting[0] if meeting else None,
            "admission_resolution": meeting[1] if meeting else None,
            "consent_contact": rng.random() < 0.85, "consent_publish_name": rng.random() < 0.4,
            "consent_photos": rng.random() < 0.3, "consent_research": rng.random() < 0.5,
        }
        people.append((values, meeting))

    if org.slug == FIRST_SLUG:
        meeting = min(meetings, key=lambda m: abs((m[0] - dt.date(2019, 5, 15)).days))
        people[0] = ({**_LINKED_MEMBER, "status": "active", "admitted_on": meeting[0], "admission_resolution": meeting[1]}, meeting)

    changes = _status_changes(org, rng, people, meetings)
    members = [p for p in people if p[1] is not None]
    members.sort(key=lambda p: p[1][0])  # numbers follow the order of admission
    ordered = members + [p for p in people if p[1] is None]
    return [
        DemoEntry(
            admission=msgspec.convert(values, Admission),
            changes=tuple(msgspec.convert(c, StatusChangeRequest) for c in changes.get(id(values), ())),
            login=values["email"] if values["email"] == _LINKED_MEMBER["email"] else None,
        )
        for values, _ in ordered
    ]


def _status_changes(org, rng, people, meetings) -> dict[int, list[dict]]:
    """Resignations, deaths and suspensions (one of them lifted) among members admitted long enough
    ago; a suspension is decided at a later meeting of the board (or of the program)."""
    candidates = [
        values for values, meeting in people
        if meeting and meeting[0] <= AS_OF - dt.timedelta(days=240) and values["email"] != _LINKED_MEMBER["email"]
    ]
    rng.shuffle(candidates)
    changes: dict[int, list[dict]] = {}
    for outcome in ("suspended", "suspended", "reinstated", "resigned", "resigned", "resigned", "resigned", "deceased", "deceased"):
        for values in candidates:
            admitted = values["admitted_on"]
            if outcome in ("suspended", "reinstated"):
                later = [m for m in meetings if admitted + dt.timedelta(days=180) <= m[0] <= AS_OF - dt.timedelta(days=60)]
                if not later:
                    continue
                day, _, resolution = rng.choice(later)
                steps = [{"status": "suspended", "effective_on": day, "reason": rng.choice(org.reasons["suspended"]).format(resolution=resolution)}]
                if outcome == "reinstated":
                    back = day + dt.timedelta(days=rng.randint(20, 59))
                    steps.append({"status": "active", "effective_on": back, "reason": rng.choice(org.reasons["reinstated"])})
            else:
                span = (AS_OF - admitted).days
                day = admitted + dt.timedelta(days=rng.randint(120, span))
                steps = [{"status": outcome, "effective_on": day, "reason": rng.choice(org.reasons[outcome])}]
            changes[id(values)] = steps
            candidates.remove(values)
            break
    return changes


async def load(engine: Engine) -> None:
    """The registers of the demo's organisations (in the demo's transaction)."""
    for org in ORGANISATIONS:
        tenant = await services.tenant_by_slug(org.slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            members = MemberRegister(Context(tenant))
            for entry in register(org):
                login = await services.user_by_email(entry.login) if entry.login else None
                member = await members.admit(entry.admission, user_id=login["id"] if login else None)
                for change in entry.changes:
                    await members.change_status(member["id"], change)
