"""The demo: three organisations with their people and registers, loaded once.

- `coop-shawinigan`, a solidarity health co-op (users, workers, supporting members; shares of 10 $);
- `ciusss-mcq`, the resource-user program of a Quebec health region;
- `hus`, the customer panels and experts by experience of the Helsinki university hospital district.

The registers are drawn from a seeded random generator over dates that end with the month before
the one the demo is loaded in (`AS_OF`), so the demo loaded on a given day is the same every time,
and one loaded later is as recent (applicants alone are dated the day of loading: an application
is entered on the day it is received). Member e-mail addresses end in `.demo`, Quebec telephone
numbers are in the 555-01xx range that North American numbering keeps for fiction, and the Finnish
entries have no telephone number: no real person is written to.
Status changes go through `MemberRegister.change_status`, so the history and the audit log of
each entry are those the register keeps for a real one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field

import msgspec
from piccolo.engine.base import Engine

from backend import db
from backend.clock import local_today
from tenants import rules, services
from tenants.schemas import Admission, StatusChangeRequest

DEMO_PASSWORD = "solidaire-demo"
FIRST_SLUG = "coop-shawinigan"
# The day the demo is loaded (it loads within seconds of this import), in the co-op's time zone.
LOADED_ON = local_today("America/Montreal")
# Nothing in the demo is dated after this day (what is dated from the day of loading apart): the end
# of last month, so that the demo's history is as recent whenever it is loaded, and its past is past.
AS_OF = LOADED_ON.replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    locale: str
    roles: dict[str, tuple[str, ...]]  # tenant slug -> roles held there


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin@coop-shawinigan.demo", "Sylvie Gélinas", "fr_CA", {"coop-shawinigan": ("administrator",)}),
    DemoLogin("secretariat@coop-shawinigan.demo", "Marc-André Trudel", "fr_CA", {"coop-shawinigan": ("secretary",)}),
    DemoLogin("tresorerie@coop-shawinigan.demo", "Lucie Héroux", "fr_CA", {"coop-shawinigan": ("treasurer",)}),
    DemoLogin("membre@coop-shawinigan.demo", "Josée Lacerte", "fr_CA", {"coop-shawinigan": ("member",)}),
    DemoLogin("admin@ciusss-mcq.demo", "Nathalie Bellemare", "fr_CA", {"ciusss-mcq": ("administrator", "partner_coordinator")}),
    DemoLogin("admin@hus.demo", "Tuula Virtanen", "fi", {"hus": ("administrator", "partner_coordinator")}),
    DemoLogin(
        "coordination@solidaire.demo", "Élise Korhonen", "fr_CA",
        {"ciusss-mcq": ("partner_coordinator",), "hus": ("partner_coordinator",)},
    ),
)

# (e-mail, tenant slug, roles) of every demo sign-in; all use DEMO_PASSWORD.
DEMO_LOGINS: list[tuple[str, str, tuple[str, ...]]] = [
    (login.email, slug, roles) for login in LOGINS for slug, roles in login.roles.items()
]

# The member entry of the `member` login (the same person as the login).
_LINKED_MEMBER = {
    "first_name": "Josée", "last_name": "Lacerte", "email": "membre@coop-shawinigan.demo", "phone": "819 555-0142",
    "street": "1862, avenue Saint-Marc", "city": "Shawinigan", "region": "QC", "postal_code": "G9N 2J7",
    "country": "CA", "language": "fr_CA", "category": "user", "shares_subscribed": 2, "shares_paid": 2,
    "consent_contact": True, "consent_publish_name": True, "consent_photos": False, "consent_research": True,
}


# --- the organisations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Street:
    name: str
    postal: tuple[str, ...]  # Canada: forward sortation areas (the code's first half); Finland: full codes


@dataclass(frozen=True)
class Place:
    city: str
    region: str
    weight: int
    streets: tuple[Street, ...]


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    kind: str
    locale: str
    timezone: str
    currency: str
    categories: dict[str, int]  # category -> weight in the register
    share_price_cents: int
    qualifying_shares: int
    seed: int
    size: int  # entries in the register, applicants included
    applicants: int
    first_year: int
    meetings_per_year: tuple[int, int]
    resolution: str  # format of the admission reference: year, number
    places: tuple[Place, ...]
    english_share: float  # Quebec: part of the register that reads en_CA
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)
    country: str = "CA"


def _streets(*pairs: tuple[str, str]) -> tuple[Street, ...]:
    return tuple(Street(name, tuple(codes.split())) for name, codes in pairs)


SHAWINIGAN = Place("Shawinigan", "QC", 10, _streets(
    ("avenue de la Station", "G9N"), ("5e Rue de la Pointe", "G9N"), ("avenue Broadway", "G9N"),
    ("boulevard des Hêtres", "G9N"), ("avenue des Cèdres", "G9N"), ("avenue Saint-Marc", "G9N"),
    ("avenue Tamarac", "G9N"), ("promenade du Saint-Maurice", "G9N"), ("boulevard Royal", "G9N"),
    ("119e Rue", "G9P"), ("105e Avenue", "G9P"), ("avenue de Grand-Mère", "G9T"), ("6e Avenue", "G9T"),
))
TROIS_RIVIERES = Place("Trois-Rivières", "QC", 3, _streets(
    ("rue des Forges", "G9A"), ("rue Royale", "G9A"), ("rue Hart", "G9A"), ("rue Bonaventure", "G9A"),
    ("rue Laviolette", "G9A"), ("boulevard des Forges", "G8Z G8Y"), ("boulevard des Récollets", "G8Z"),
    ("boulevard du Carmel", "G8Z"), ("boulevard Jean-XXIII", "G8Z G8Y"), ("boulevard Thibeau", "G8T"),
    ("rue Fusey", "G8T"), ("boulevard Sainte-Madeleine", "G8T"), ("boulevard des Chenaux", "G8Y G9A"),
))
DRUMMONDVILLE = Place("Drummondville", "QC", 3, _streets(
    ("boulevard Saint-Joseph", "J2C J2B"), ("rue Lindsay", "J2B"), ("rue Heriot", "J2C"), ("rue Brock", "J2B"),
    ("boulevard Mercure", "J2B"), ("boulevard Lemire", "J2C J2B"), ("rue Cockburn", "J2C"),
))
VICTORIAVILLE = Place("Victoriaville", "QC", 2, _streets(
    ("boulevard des Bois-Francs Nord", "G6P"), ("rue Notre-Dame Est", "G6P"), ("boulevard Jutras Est", "G6S"),
    ("rue Laurier Ouest", "G6P"), ("boulevard Labbé Nord", "G6S G6P"), ("rue Saint-Jean-Baptiste", "G6P"),
))
HELSINKI = Place("Helsinki", "Uusimaa", 6, _streets(
    ("Mannerheimintie", "00100 00250 00260 00270"), ("Hämeentie", "00500 00530 00550 00560"),
    ("Fredrikinkatu", "00100 00120"), ("Runeberginkatu", "00100 00260"), ("Mechelininkatu", "00100 00250"),
    ("Helsinginkatu", "00500 00510"), ("Sturenkatu", "00510 00550"), ("Mäkelänkatu", "00510 00550 00560"),
    ("Kalevankatu", "00100 00180"), ("Itäväylä", "00930 00940"), ("Kallvikintie", "00980"),
))
ESPOO = Place("Espoo", "Uusimaa", 3, _streets(
    ("Leppävaarankatu", "02600"), ("Kirkkojärventie", "02770"), ("Espoonkatu", "02770"),
    ("Merituulentie", "02200"), ("Länsituulentie", "02100"), ("Otaniementie", "02150"), ("Kauppamiehentie", "02150"),
))
VANTAA = Place("Vantaa", "Uusimaa", 3, _streets(
    ("Tikkurilantie", "01300"), ("Asematie", "01300"), ("Kielotie", "01300"), ("Talkootie", "01350"),
    ("Myyrmäentie", "01600"), ("Martinkyläntie", "01720"),
))

ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        slug="coop-shawinigan", name="Coopérative de solidarité santé de Shawinigan", kind="coop",
        locale="fr_CA", timezone="America/Montreal", currency="CAD",
        categories={"user": 30, "worker": 5, "supporting": 5}, share_price_cents=1000, qualifying_shares=1,
        seed=2007, size=42, applicants=3, first_year=2016, meetings_per_year=(7, 9), resolution="CA-{year}-{number:02d}",
        places=(SHAWINIGAN, TROIS_RIVIERES), english_share=0.1,
        reasons={
            "resigned": (
                "Démission reçue par écrit; parts sociales remboursées selon les règlements.",
                "Déménagement hors de la région — démission.",
                "Démission : la personne s'est inscrite auprès d'un autre médecin de famille.",
            ),
            "deceased": ("Décès — avis reçu de la famille.", "Décès — avis de la succession."),
            "suspended": (
                "Contribution annuelle impayée après deux rappels — résolution {resolution} (deux tiers des administrateurs présents).",
            ),
            "reinstated": ("Contribution annuelle réglée — fin de la suspension.",),
        },
    ),
    Organisation(
        slug="ciusss-mcq", name="CIUSSS de la Mauricie-et-du-Centre-du-Québec — Programme usagers-ressources",
        kind="partner_program", locale="fr_CA", timezone="America/Montreal", currency="CAD",
        categories={"user": 8, "supporting": 2}, share_price_cents=0, qualifying_shares=0,
        seed=2013, size=36, applicants=3, first_year=2018, meetings_per_year=(4, 6), resolution="UR-{year}-{number:02d}",
        places=(TROIS_RIVIERES, SHAWINIGAN, DRUMMONDVILLE, VICTORIAVILLE), english_share=0.08,
        reasons={
            "resigned": (
                "Fin de l'implication à la demande de l'usager-ressource.",
                "Retour au travail à temps plein — fin de l'engagement.",
                "Déménagement hors de la région.",
            ),
            "deceased": ("Décès — avis transmis par un proche.",),
            "suspended": ("Implication mise en pause à la demande de la personne (raisons de santé).",),
            "reinstated": ("Reprise de l'implication après la pause.",),
        },
    ),
    Organisation(
        slug="hus", name="HUS — Asiakasraadit ja kokemusasiantuntijat", kind="partner_program",
        locale="fi", timezone="Europe/Helsinki", currency="EUR",
        categories={"user": 8, "supporting": 2}, share_price_cents=0, qualifying_shares=0,
        seed=2018, size=34, applicants=3, first_year=2018, meetings_per_year=(3, 5), resolution="KA-{year}-{number:02d}",
        places=(HELSINKI, ESPOO, VANTAA), english_share=0.0, country="FI",
        reasons={
            "resigned": (
                "Lopetti kokemusasiantuntijatoiminnan omasta pyynnöstään.",
                "Muutti pois HUS-alueelta.",
                "Siirtyi kokopäivätyöhön — toiminta päättyi.",
            ),
            "deceased": ("Kuollut — omaisen ilmoitus.",),
            "suspended": ("Toiminta tauolla omasta pyynnöstä (terveyssyyt).",),
            "reinstated": ("Palasi toimintaan tauon jälkeen.",),
        },
    ),
)

# --- names -------------------------------------------------------------------------------------

QUEBEC_FIRST = (
    "Jean", "Pierre", "Michel", "Denis", "Réjean", "Gilles", "Claude", "Gaétan", "Normand", "Yvon", "Luc",
    "Martin", "Stéphane", "Sébastien", "Mathieu", "Maxime", "Simon", "Olivier", "Félix", "Samuel", "Gabriel",
    "Raymond", "Marcel", "Jacques", "André", "François", "Benoît", "Alain", "Éric", "Patrick", "Jean-Guy",
    "Lise", "Ginette", "Francine", "Nicole", "Diane", "Sylvie", "Johanne", "Louise", "Monique", "Huguette",
    "Julie", "Isabelle", "Nathalie", "Mélanie", "Geneviève", "Marie-Ève", "Catherine", "Émilie", "Audrey",
    "Léa", "Florence", "Rosalie", "Camille", "Noémie", "Jacinthe", "Chantal", "Danielle", "Carole", "Manon",
    "Marie-Claude", "Josianne", "Annie", "Véronique", "Hélène", "Thérèse", "Rachel", "Suzanne",
)
QUEBEC_LAST = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Girard", "Simard", "Boucher", "Caron",
    "Beaulieu", "Cloutier", "Dubé", "Poirier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault",
    "St-Pierre", "Nadeau", "Landry", "Bédard", "Grenier", "Lessard", "Bernier", "Hébert", "Desjardins",
    "Turcotte", "Lachance", "Parent", "Blais", "Gosselin", "Proulx", "Demers", "Perron", "Lemieux", "Mercier",
    "Lamontagne", "Désilets", "Trudel", "Lacerte", "Béland", "Héroux", "Gélinas", "Bellemare", "Lampron",
    "Marchand", "Grondin", "Pellerin", "Milot", "Lesage", "Dessureault", "Boisvert", "Rivard", "Guillemette",
)
ENGLISH_FIRST = ("Brian", "Kathleen", "Heather", "Robert", "Susan", "David", "Linda", "Michael", "Karen", "James", "Sarah", "Ian")
ENGLISH_LAST = ("Murphy", "MacDonald", "O'Brien", "Smith", "Johnson", "Campbell", "Wilson", "Fraser", "Stewart", "Kelly", "Reid", "Grant")
FINNISH_FIRST = (
    "Juha", "Timo", "Matti", "Kari", "Mikko", "Jari", "Antti", "Jukka", "Mika", "Markku", "Pekka", "Hannu",
    "Heikki", "Seppo", "Janne", "Sami", "Petri", "Ville", "Eero", "Onni", "Aino", "Anna", "Maria", "Tuula",
    "Päivi", "Anne", "Ritva", "Leena", "Pirjo", "Sari", "Minna", "Marja", "Tiina", "Riitta", "Eeva", "Kaisa",
    "Hanna", "Johanna", "Laura", "Elina", "Emilia", "Sofia", "Helmi", "Venla", "Veera",
)
FINNISH_LAST = (
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
    "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen",
    "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila",
    "Savolainen", "Lahtinen", "Ahonen", "Lindqvist", "Nyberg", "Holmström", "Öhman",
)
# Canadian postal codes never use D, F, I, O, Q or U.
_POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"


# --- the registers, as plain values ------------------------------------------------------------


@dataclass(frozen=True)
class DemoEntry:
    admission: Admission
    changes: tuple[StatusChangeRequest, ...] = ()
    login: str | None = None  # the demo login linked to this entry


def third_weekday(year: int, month: int, weekday: int) -> dt.date:
    """The third such weekday (Monday 0) of the month: the co-op's meetings fall on one."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 14)


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


# --- loading -----------------------------------------------------------------------------------


async def load(engine: Engine) -> bool:
    """Loads the demo in one transaction; False, with nothing written, if it is already there.

    Expects the tables bound to `engine`, the tables' owner (as `solidaire demo` and `serve` do).
    """
    async with db.transaction(engine, write=True):
        if db.is_postgres(engine):
            # Two processes starting at once: the second waits, then finds the demo loaded.
            await db.execute(engine, "SELECT pg_advisory_xact_lock(hashtext('solidaire.demo'))")
        if await services.tenant_by_slug(FIRST_SLUG) is not None:
            return False
        users: dict[str, object] = {}
        for org in ORGANISATIONS:
            tenant = await services.create_tenant(
                slug=org.slug, name=org.name, kind=org.kind, locale=org.locale, timezone=org.timezone,
                currency=org.currency, member_categories=list(org.categories),
                share_price_cents=org.share_price_cents, qualifying_shares=org.qualifying_shares,
            )
            # Nested in the transaction above: sets the tenant for row-level security on PostgreSQL.
            async with db.tenant_transaction(engine, tenant.id, write=True):
                for login in LOGINS:
                    if org.slug not in login.roles:
                        continue
                    if login.email not in users:
                        users[login.email] = await services.create_user(login.email, login.full_name, DEMO_PASSWORD, login.locale)
                    for role in login.roles[org.slug]:
                        await services.grant_role(tenant, users[login.email], role)
                members = services.MemberRegister(tenant, None)
                for entry in register(org):
                    member = await members.admit(entry.admission, user_id=users[entry.login] if entry.login else None)
                    for change in entry.changes:
                        await members.change_status(member["id"], change)
    return True
