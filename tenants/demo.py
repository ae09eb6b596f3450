"""The demo: three organisations and their people's logins, loaded once (each domain adds its part:
the registers in governance/members/demo.py, then the meetings, the programs and the billing).

- `coop-shawinigan`, a solidarity health co-op (users, workers, supporting members; shares of 10 $);
- `ciusss-mcq`, the resource-user program of a Quebec health region;
- `hus`, the customer panels and experts by experience of the Helsinki university hospital district.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from piccolo.engine.base import Engine

from backend import db
from backend.clock import local_today
from tenants import services

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

# The names the demo's people are drawn from (the registers, the programs' partners).
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


def third_weekday(year: int, month: int, weekday: int) -> dt.date:
    """The third such weekday (Monday 0) of the month: the co-op's meetings fall on one."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 14)


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
    return True
