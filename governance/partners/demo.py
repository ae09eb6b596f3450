"""The partner program's demo: the CIUSSS MCQ program (about 70 partners, four committees,
about 600 approved hours in the demo year, expense claims, a paid reimbursement batch) and the HUS
client councils (asiakasraadit), each with a pipeline of applications, published minutes in the
tenant's language, a completed training with its questionnaire and the next one, confidentiality
pledges and mandates (a few to follow up), and one partner login (password `solidaire-demo`).

Seeded choices over dates up to tenants.demo.AS_OF (the end of last month), so that the demo loaded
on a given day is the same every time. Only the pipeline's applications are dated from the day of
loading, as the member register's applicants are, so that one is always overdue, and what is still
to come: the next training and each committee's next meeting. The demo year is AS_OF's; the
committees met over the months up to AS_OF. Earlier years' hours are written as approved entries
(the chart of hours per year); the demo year goes through the services (attendance logs the
meetings' hours, the coordinator approves the rest).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from dataclasses import dataclass

import msgspec
from piccolo.engine.base import Engine

from backend import db
from backend.auth import Principal
from backend.clock import now
from backend.context import Context
from governance.members.rules import search_key
from governance.partners import services
from governance.partners.committees import Committees
from governance.partners.expenses import Expenses
from governance.partners.rules import Stage
from governance.partners.schemas import (
    ActionIn,
    AttendanceIn,
    ClaimDecision,
    ClaimIn,
    CommitteeIn,
    DecisionIn,
    EnrolmentIn,
    ExpenseLineIn,
    FeedbackIn,
    HoursDecision,
    HoursIn,
    MeetingIn,
    MinutesMove,
    MinutesTextIn,
    PolicyIn,
    SeatIn,
    TrainingAttendanceIn,
    TrainingIn,
    TrainingSessionIn,
)
from governance.partners.tables import HoursEntry, Partner, PartnerMandate, PartnerPledge, PartnerStageChange
from governance.partners.trainings import Trainings
from tenants import demo as tenants_demo
from tenants import services as tenants
from tenants.services import TenantInfo

AS_OF = tenants_demo.AS_OF
YEAR = AS_OF.year
KINDS = ("resource_user", "relative_resource", "peer_helper", "expert_by_experience")
OTHER_ACTIVITIES = ("review", "project", "training_given", "accompaniment")
# The applications in the pipeline, (stage, days since received): the first is past its call deadline.
PIPELINE = (("received", 19), ("received", 4), ("received", 1), ("called", 9), ("called", 6), ("interview", 24),
            ("interview", 20), ("training", 40), ("declined", 35), ("withdrawn", 50))


@dataclass(frozen=True)
class CommitteeDemo:
    name: str
    kind: str
    mandate: str
    staff: tuple[tuple[str, str], ...]  # (name in their function, seat role)
    partner_seats: int
    months_ago: tuple[int, ...]  # months with a meeting, oldest first, counted back from AS_OF's (0)
    day_hour: tuple[int, int, int]  # weekday (Monday 0), start hour, length in minutes
    place: str
    agenda: str
    decisions: tuple[str, ...]
    actions: tuple[str, ...]
    minutes: str  # {speaker}: a partner of the committee, named in the text as secretaries do


@dataclass(frozen=True)
class ProgramDemo:
    slug: str
    seed: int
    size: int  # partners of every stage, the pipeline included
    kind_weights: tuple[int, int, int, int]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    language: str
    spoken: tuple[str, ...]
    email_domain: str
    login: tuple[str, str, str]  # e-mail, first name, last name of the partner login
    consenting: tuple[str, str]  # the partner who lets their name appear in public minutes
    policy: PolicyIn
    committees: tuple[CommitteeDemo, ...]
    hours_target: int  # approved hours of the demo year
    earlier_years: tuple[tuple[int, int], ...]  # (year, approved hours)
    activity_texts: dict[str, tuple[str, ...]]
    claims: tuple[tuple[str, str, str, tuple[ExpenseLineIn, ...]], ...]  # description, start, end, lines
    training: TrainingIn  # the one given lately (completed) and the next one, named by {season}
    seasons: tuple[str, str, str, str]  # winter, spring, summer, autumn
    training_place: str
    trainers: str
    comments: tuple[str, ...]  # some of the questionnaire's comments


CIUSSS = ProgramDemo(
    slug="ciusss-mcq", seed=5025, size=72, kind_weights=(10, 4, 3, 3),
    first_names=tenants_demo.QUEBEC_FIRST, last_names=tenants_demo.QUEBEC_LAST,
    cities=("Trois-Rivières", "Shawinigan", "Drummondville", "Victoriaville", "Bécancour", "La Tuque", "Nicolet", "Louiseville"),
    language="fr_CA", spoken=("fr", "fr", "fr", "fr", "en"), email_domain="courriel.demo",
    login=("partenaire@ciusss-mcq.demo", "Ginette", "Désaulniers"), consenting=("Réjean", "Lampron"),
    policy=PolicyIn(
        call_deadline_days=14, mileage_rate_cents_per_km=54, inactivity_months=24,
        privacy_officer_name="Responsable de la protection des renseignements personnels, CIUSSS MCQ",
        privacy_officer_email="vie.privee@ciusss-mcq.demo", privacy_officer_phone="819 555-0100",
    ),
    committees=(
        CommitteeDemo(
            "Comité des usagers du CIUSSS MCQ", "users",
            "Renseigner les usagers sur leurs droits, défendre leurs intérêts et évaluer leur satisfaction à l'égard des services.",
            (("Coordonnatrice du comité des usagers", "secretary"), ("Commissaire aux plaintes et à la qualité des services", "professional")),
            10, (9, 8, 7, 6, 5, 4, 1, 0), (2, 13, 150), "Salle Laviolette, 1025, rue Marguerite-Bourgeoys, Trois-Rivières",
            "Mot de bienvenue\nSuivi des actions\nRapport de la commissaire aux plaintes\nSondage de satisfaction\nVaria",
            ("Le comité adopte le plan d'action annuel.", "Le comité demande une présentation du délai d'accès en santé mentale.",
             "Le comité appuie la campagne d'affichage sur les droits des usagers."),
            ("Transmettre le bilan du sondage aux directions.", "Préparer la capsule sur le droit d'accès au dossier.",
             "Inviter la direction de l'hébergement à la prochaine rencontre."),
            "{speaker} présente les résultats du sondage de satisfaction réalisé dans les salles d'attente. "
            "Les membres soulignent la lisibilité des affiches et la question du stationnement à l'hôpital.",
        ),
        CommitteeDemo(
            "Comité d'amélioration continue en santé mentale", "improvement",
            "Améliorer l'accès et la trajectoire des services de santé mentale adulte avec les personnes qui les utilisent.",
            (("Cheffe de service en santé mentale adulte", "chair"), ("Conseillère en amélioration continue", "secretary"),
             ("Psychologue, guichet d'accès", "professional"), ("Directeur adjoint, santé mentale et dépendance", "manager")),
            8, (9, 7, 5, 4, 1, 0), (1, 9, 180), "Centre de services Le Rocher, Shawinigan (et en visioconférence)",
            "Suivi des actions\nTrajectoire du guichet d'accès\nRetour sur l'expérience des usagers\nVaria",
            ("Le comité adopte la nouvelle lettre d'accueil du guichet d'accès.",
             "Le comité recommande un rappel téléphonique à 48 heures pour les personnes en attente."),
            ("Réviser la lettre d'accueil avec deux usagers-ressources.", "Mesurer le délai entre la demande et le premier contact."),
            "{speaker} témoigne de son parcours au guichet d'accès et propose d'ajouter le numéro d'Info-Social à la lettre d'accueil. "
            "L'équipe retient la proposition.",
        ),
        CommitteeDemo(
            "Comité d'amélioration continue en oncologie et soins palliatifs", "improvement",
            "Rendre plus humaines l'annonce du diagnostic, la coordination des traitements et la fin de vie.",
            (("Infirmière pivot en oncologie", "chair"), ("Conseiller en amélioration continue", "secretary"),
             ("Chef de département d'oncologie", "manager")),
            7, (8, 6, 4, 0), (3, 13, 150), "Centre de cancérologie, Hôpital Sainte-Croix, Drummondville",
            "Suivi des actions\nTrousse d'accueil en oncologie\nAccompagnement des proches\nVaria",
            ("Le comité valide la trousse d'accueil révisée.", "Le comité propose une rencontre annuelle avec les proches aidants."),
            ("Faire relire la trousse d'accueil par trois patients partenaires.", "Planifier la rencontre des proches aidants."),
            "{speaker} rappelle l'importance de la présence d'un proche lors de l'annonce du diagnostic. "
            "Les membres conviennent d'ajouter une section sur les ressources communautaires.",
        ),
        CommitteeDemo(
            "Comité des partenaires de l'urgence", "improvement",
            "Améliorer l'expérience des usagers et de leurs proches à l'urgence (attente, information, sortie).",
            (("Coordonnatrice de l'urgence", "chair"), ("Agente de planification", "secretary")),
            4, (7, 4, 0), (0, 18, 120), "Hôtel-Dieu d'Arthabaska, Victoriaville",
            "Suivi des actions\nAffichage du temps d'attente\nConsignes de départ\nVaria",
            ("Le comité approuve l'affichage du temps d'attente estimé.",),
            ("Rédiger les consignes de départ en langage simple.",),
            "{speaker} décrit une nuit d'attente avec son père âgé et propose une chaise confortable pour les proches. "
            "La coordonnatrice vérifiera le budget.",
        ),
    ),
    hours_target=600, earlier_years=((YEAR - 2, 470), (YEAR - 1, 540)),
    activity_texts={
        "review": ("Relecture du dépliant sur les droits des usagers", "Révision du guide d'accueil en hébergement", "Relecture de la lettre d'accueil du guichet d'accès"),
        "project": ("Projet de parcours de soins en douleur chronique", "Groupe de travail sur l'accueil à l'urgence", "Projet de soutien aux proches aidants"),
        "training_given": ("Co-animation de la formation au partenariat (2 h)", "Témoignage à la formation des nouveaux employés"),
        "accompaniment": ("Accompagnement d'un usager à une rencontre de plan d'intervention", "Jumelage avec une nouvelle usagère-ressource"),
    },
    claims=(
        ("Comité des usagers — réunion", "13:00", "15:30", (ExpenseLineIn(kind="mileage", km=42), ExpenseLineIn(kind="parking", amount_cents=800))),
        ("Formation au partenariat co-animée", "11:30", "14:00", (ExpenseLineIn(kind="transit", amount_cents=700), ExpenseLineIn(kind="meal", amount_cents=1650))),
        ("Comité santé mentale — réunion", "09:00", "12:00", (ExpenseLineIn(kind="mileage", km=68), ExpenseLineIn(kind="childcare", minutes=210))),
        ("Comité oncologie — réunion", "13:00", "15:00", (ExpenseLineIn(kind="mileage", km=24),)),
        ("Urgence — réunion du soir", "17:30", "19:30", (ExpenseLineIn(kind="parking", amount_cents=600), ExpenseLineIn(kind="meal", amount_cents=1800))),
        ("Relecture de documents au bureau du programme", "10:00", "12:30", (ExpenseLineIn(kind="transit", amount_cents=350),)),
    ),
    training=TrainingIn(name="Formation au partenariat (2 h) — {season}", required=True, min_size=6, max_size=20),
    seasons=("hiver", "printemps", "été", "automne"),
    training_place="Bureau du programme, 1025, rue Marguerite-Bourgeoys, Trois-Rivières",
    trainers="Coordonnatrice du partenariat et Réjean Lampron, usager-ressource",
    comments=("Très concret, les exemples de comités aident beaucoup.", "J'aurais aimé plus de temps pour les questions.",
              "Le témoignage d'un usager-ressource d'expérience m'a rassurée."),
)

HUS = ProgramDemo(
    slug="hus", seed=5358, size=28, kind_weights=(4, 2, 1, 8),
    first_names=tenants_demo.FINNISH_FIRST, last_names=tenants_demo.FINNISH_LAST,
    cities=("Helsinki", "Espoo", "Vantaa", "Kerava", "Porvoo", "Lohja"),
    language="fi", spoken=("fi", "fi", "fi", "sv", "en"), email_domain="sahkoposti.demo",
    login=("kokemusasiantuntija@hus.demo", "Marjatta", "Kivelä"), consenting=("Eero", "Tanskanen"),
    policy=PolicyIn(
        call_deadline_days=14, mileage_rate_cents_per_km=55, transit_cap_cents=1500, meal_cap_cents=1300,
        lunch_start=660, lunch_end=780, supper_start=1020, supper_end=1080, childcare_rate_cents_per_hour=1000,
        inactivity_months=24, privacy_officer_name="HUS:n tietosuojavastaava",
        privacy_officer_email="tietosuoja@hus.demo", privacy_officer_phone="09 4711",
    ),
    committees=(
        CommitteeDemo(
            "HUS:n asiakasraati", "client_council",
            "Asiakasraati tuo potilaiden ja omaisten näkökulman HUS:n palvelujen kehittämiseen.",
            (("Potilasasiamies", "secretary"), ("Kehittämispäällikkö, asiakaskokemus", "chair")),
            8, (8, 6, 4, 1), (2, 15, 150), "Meilahden tornisairaala, kokoushuone 3, Helsinki",
            "Edellisen kokouksen pöytäkirja\nAvoimet toimenpiteet\nPotilaskyselyn tulokset\nMuut asiat",
            ("Asiakasraati hyväksyy vuoden toimintasuunnitelman.", "Asiakasraati esittää, että potilasohjeet kirjoitetaan selkokielellä."),
            ("Kommentoida uutta potilasohjetta ennen seuraavaa kokousta.", "Kutsua digipalvelujen edustaja kokoukseen."),
            "{speaker} kertoi kokemuksistaan päivystyksessä ja toivoi selkeämpää tietoa odotusajasta. "
            "Raati keskusteli potilaskyselyn tuloksista.",
        ),
        CommitteeDemo(
            "Psykiatrian asiakasraati", "client_council",
            "Psykiatrian palvelujen kehittäminen yhdessä kokemusasiantuntijoiden kanssa.",
            (("Osastonhoitaja, psykiatria", "chair"), ("Kehittämiskoordinaattori", "secretary")),
            5, (9, 7, 5, 1), (3, 14, 120), "Psykiatriakeskus, Välskärinkatu 12, Helsinki",
            "Avoimet toimenpiteet\nHoitopolun kehittäminen\nKokemusasiantuntijoiden koulutus\nMuut asiat",
            ("Raati suosittelee kokemusasiantuntijan vastaanottoa poliklinikalle.",),
            ("Laatia esite vertaistuesta.",),
            "{speaker} esitteli vertaistukiryhmän kokemuksia. Raati pitää ryhmää tärkeänä ja ehdottaa sen laajentamista.",
        ),
        CommitteeDemo(
            "Syöpäkeskuksen asiakasraati", "client_council",
            "Syöpäpotilaiden ja läheisten näkökulma hoidon sujuvuuteen ja tiedonkulkuun.",
            (("Ylihoitaja, syöpäkeskus", "chair"), ("Suunnittelija", "secretary")),
            4, (8, 5, 1), (1, 13, 120), "Syöpäkeskus, Haartmaninkatu 4, Helsinki",
            "Avoimet toimenpiteet\nTiedonkulku hoidon aikana\nMuut asiat",
            ("Raati hyväksyy läheisille tarkoitetun tietopaketin.",),
            ("Päivittää tietopaketti läheisille.",),
            "{speaker} korosti omaisten jaksamista hoidon aikana. Raati sopi, että tietopakettiin lisätään järjestöjen yhteystiedot.",
        ),
    ),
    hours_target=260, earlier_years=((YEAR - 2, 190), (YEAR - 1, 230)),
    activity_texts={
        "review": ("Potilasohjeen kommentointi", "Selkokielisen esitteen luku"),
        "project": ("Päivystyksen odotusaulan kehittämisprojekti", "Digihoitopolun testaus"),
        "training_given": ("Kokemuspuheenvuoro hoitajien koulutuksessa", "Kokemusasiantuntijakoulutuksen ohjaus"),
        "accompaniment": ("Vertaistukitapaaminen", "Uuden kokemusasiantuntijan perehdytys"),
    },
    claims=(
        ("Asiakasraadin kokous", "15:00", "17:00", (ExpenseLineIn(kind="transit", amount_cents=320),)),
        ("Kokemuspuheenvuoro koulutuksessa", "10:30", "13:30", (ExpenseLineIn(kind="mileage", km=36), ExpenseLineIn(kind="meal", amount_cents=1250))),
        ("Psykiatrian asiakasraati", "14:00", "16:00", (ExpenseLineIn(kind="transit", amount_cents=320),)),
    ),
    training=TrainingIn(name="Kokemusasiantuntijakoulutus, {season}", school="Metropolia Ammattikorkeakoulu", required=True, min_size=17, max_size=26),
    seasons=("talvi", "kevät", "kesä", "syksy"),
    training_place="Metropolia, Myllypuron kampus, Helsinki",
    trainers="Kokemusasiantuntijatoiminnan koordinaattori ja Eero Tanskanen",
    comments=("Hyvä ja käytännönläheinen koulutus.", "Ryhmätyöt olivat parasta antia.", "Toivoisin lisää tietoa potilasturvallisuudesta."),
)

PROGRAMS = (CIUSSS, HUS)


async def load(engine: Engine) -> None:
    for program in PROGRAMS:
        tenant = await tenants.tenant_by_slug(program.slug)
        async with db.tenant_transaction(engine, tenant.id, write=True):
            await _load_program(tenant, program)


async def _load_program(tenant: TenantInfo, program: ProgramDemo) -> None:
    rng = random.Random(program.seed)
    coordinator = await _coordinator(tenant)
    # The claims of the demo's history were approved before the program asked for receipts (set last).
    await services.set_policy(tenant, coordinator, msgspec.structs.replace(program.policy, receipt_required_kinds=[]))
    partners = await _partners(tenant, program, rng)
    active = [p for p in partners if p["stage"] == Stage.ACTIVE]
    committees = Committees(Context(tenant, coordinator))
    pledged: set[uuid.UUID] = set()
    for spec in program.committees:
        await _committee(tenant, committees, spec, active, rng, coordinator, pledged)
    await _other_pledges(tenant, active, pledged, rng)
    await _trainings(tenant, program, coordinator, partners, rng)
    expenses = Expenses(Context(tenant, coordinator))
    await _other_hours(tenant, program, expenses, active, rng)
    await _earlier_years(tenant, program, active, coordinator, rng)
    await _claims(tenant, program, expenses, active, rng)
    await services.set_policy(tenant, coordinator, program.policy)


async def _coordinator(tenant: TenantInfo) -> Principal:
    login = next(login for login in tenants_demo.LOGINS if login.email.endswith(f"@{tenant.slug}.demo"))
    user = await tenants.user_by_email(login.email)
    return Principal(user_id=user["id"], email=login.email, full_name=login.full_name, locale=login.locale, roles=frozenset(login.roles[tenant.slug]))


# --- partners ----------------------------------------------------------------------------------


def _names(program: ProgramDemo, rng: random.Random) -> list[tuple[str, str]]:
    """Distinct names, none a demo login's; the partner login first, the consenting partner second."""
    taken = {tuple(login.full_name.split(" ", 1)) for login in tenants_demo.LOGINS}
    names = [program.login[1:], program.consenting]
    taken.update(names)
    while len(names) < program.size:
        name = (rng.choice(program.first_names), rng.choice(program.last_names))
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


async def _partners(tenant: TenantInfo, program: ProgramDemo, rng: random.Random) -> list[dict]:
    """Active partners recruited over the years, two inactive for long (the anonymisation job's
    next work), then the pipeline dated from today."""
    today = tenant.today()
    names = _names(program, rng)
    pipeline = [(stage, today - dt.timedelta(days=days)) for stage, days in PIPELINE]
    # Last active 300 days after they applied (_partner), so idle for far longer than the policy's 24 months.
    old = [("inactive", AS_OF - dt.timedelta(days=days)) for days in (1690, 1280)]
    settled = program.size - len(pipeline) - len(old)
    stages = [("active", dt.date(rng.randint(2018, YEAR - 1), rng.randint(1, 12), rng.randint(1, 28))) for _ in range(settled)] + old + pipeline
    partners = []
    for index, ((first, last), (stage, received)) in enumerate(zip(names, stages, strict=True)):
        kind = KINDS[0] if index < 2 else rng.choices(KINDS, weights=program.kind_weights)[0]
        partners.append(await _partner(tenant, program, rng, first, last, kind, Stage(stage), received, login=index == 0, consents=index == 1))
    return partners


async def _partner(tenant, program, rng, first, last, kind, stage: Stage, received: dt.date, *, login: bool, consents: bool) -> dict:
    number = await tenants.next_number(tenant, services.PARTNER_NUMBERS)
    email = program.login[0] if login else f"{_ascii(first)}.{_ascii(last)}{number}@{program.email_domain}"
    user_id = None
    if login:
        user_id = await tenants.create_user(email, f"{first} {last}", tenants_demo.DEMO_PASSWORD, program.language)
        await tenants.grant_role(tenant, user_id, "partner")
    path = _path(stage)
    partner_id, moment = uuid.uuid4(), now()
    await Partner.insert(Partner(
        tenant_id=tenant.id, id=partner_id, number=number, user_id=user_id, kind=kind, stage=stage.value,
        first_name=first, last_name=last, email=email, phone=None, city=rng.choice(program.cities), language=program.language,
        experience_areas=rng.sample(("chronic_pain", "chronic_disease", "mental_health", "oncology", "relative_care", "seniors", "disability"), k=rng.randint(1, 3)),
        languages=sorted({program.spoken[0], rng.choice(program.spoken)}),
        availability=rng.sample(("weekday_daytime", "weekday_evening", "weekend", "remote"), k=rng.randint(1, 3)),
        contributions=rng.sample(("committees", "short_projects", "document_review", "giving_trainings", "accompanying_users"), k=rng.randint(1, 3)),
        story="", consent_contact=True, consent_public_name=consents, consent_photos=rng.random() < 0.3, consent_research=rng.random() < 0.5,
        received_on=received, called_on=received + dt.timedelta(days=5) if Stage.CALLED in path[1:] else None,
        interview_notes="Motivation claire; disponible en semaine." if program.language == "fr_CA" and Stage.INTERVIEW in path else "",
        decision="accepted" if stage in (Stage.TRAINING, Stage.ACTIVE, Stage.INACTIVE) else None,
        stage_reason=_reason(program, stage), last_activity_on=AS_OF if stage == Stage.ACTIVE else received + dt.timedelta(days=300) if stage == Stage.INACTIVE else received,
        created_at=moment, updated_at=moment,
    ))
    await PartnerStageChange.insert(*(
        PartnerStageChange(
            tenant_id=tenant.id, id=uuid.uuid4(), partner_id=partner_id, from_stage=source.value if source else None, to_stage=target.value,
            reason=_reason(program, target) if target == stage else "", recorded_by=None,
            recorded_at=min(dt.datetime.combine(received + dt.timedelta(days=7 * step), dt.time(15), dt.UTC), moment),
        )
        for step, (source, target) in enumerate(itertools.pairwise((None, *path)))
    ))
    await tenants.record(tenant, None, "partner.applied", "partner", partner_id, {"number": number, "kind": kind})
    return {"id": partner_id, "number": number, "stage": stage, "user_id": user_id, "first_name": first, "last_name": last}


def _path(stage: Stage) -> tuple[Stage, ...]:
    """The stages a partner went through to reach `stage`."""
    road = (Stage.RECEIVED, Stage.CALLED, Stage.INTERVIEW, Stage.TRAINING, Stage.ACTIVE)
    if stage in road:
        return road[: road.index(stage) + 1]
    return {Stage.INACTIVE: (*road, Stage.INACTIVE), Stage.DECLINED: road[:3] + (Stage.DECLINED,), Stage.WITHDRAWN: road[:2] + (Stage.WITHDRAWN,)}[stage]


def _reason(program: ProgramDemo, stage: Stage) -> str:
    french = program.language == "fr_CA"
    return {
        Stage.DECLINED: "Les disponibilités ne correspondent pas aux besoins actuels." if french else "Saatavuus ei vastaa nykyisiä tarpeita.",
        Stage.WITHDRAWN: "Retrait à la demande de la personne." if french else "Peruutti hakemuksensa.",
        Stage.INACTIVE: "Fin de l'engagement." if french else "Toiminta päättyi.",
    }.get(stage, "")


def _ascii(text: str) -> str:
    return search_key(text).replace(" ", "").replace("'", "")


# --- committees, meetings and minutes ------------------------------------------------------------


async def _pledge(tenant: TenantInfo, partner_id: uuid.UUID, version: str, signed_on: dt.date) -> None:
    await PartnerPledge.insert(PartnerPledge(tenant_id=tenant.id, id=uuid.uuid4(), partner_id=partner_id, version=version, signed_on=signed_on, recorded_by=None, recorded_at=now()))


async def _other_pledges(tenant: TenantInfo, active: list[dict], pledged: set[uuid.UUID], rng: random.Random) -> None:
    """The pledges of the active partners who sit on no committee: two have not signed yet, one
    signed an earlier text (what the coordinator's follow-up shows)."""
    for index, partner in enumerate(p for p in active if p["id"] not in pledged):
        if index >= 2:
            await _pledge(tenant, partner["id"], "0" if index == 2 else "1", AS_OF - dt.timedelta(days=rng.randint(30, 600)))


async def _committee(tenant, committees: Committees, spec: CommitteeDemo, active: list[dict], rng: random.Random, coordinator: Principal, pledged: set[uuid.UUID]) -> None:
    committee = await committees.create(CommitteeIn(name=spec.name, kind=spec.kind, mandate=spec.mandate))
    weekday, hour, length = spec.day_hour
    days = [_weekday_in(*_month(AS_OF, -ago), weekday) for ago in spec.months_ago]
    term, term_end = _term(days[0])
    # The partner login and the consenting partner sit on the first committee (the latter as chair).
    chosen = active[:2] + rng.sample(active[2:], spec.partner_seats - 2) if spec is _first(tenant) else rng.sample(active[2:], spec.partner_seats)
    seats = []
    for index, partner in enumerate(chosen):
        role = "chair" if spec is _first(tenant) and index == 1 else "partner"
        if partner["id"] not in pledged:  # nobody sits without a signed pledge
            await _pledge(tenant, partner["id"], "1", AS_OF - dt.timedelta(days=rng.randint(30, 600)))
            pledged.add(partner["id"])
        seats.append(await committees.seat(committee["id"], SeatIn(partner_id=partner["id"], role=role, term_start=term, term_end=term_end)))
        # A mandate per seat; on the first committee, the last seat has none yet and the one before an expired one.
        last = spec is _first(tenant) and index == len(chosen) - 1
        ends = AS_OF - dt.timedelta(days=30) if spec is _first(tenant) and index == len(chosen) - 2 else term_end
        if not last:
            await PartnerMandate.insert(PartnerMandate(
                tenant_id=tenant.id, id=uuid.uuid4(), partner_id=partner["id"], kind="committee", committee_id=committee["id"], title=spec.name,
                starts_on=term, ends_on=ends, recorded_by=coordinator.user_id, recorded_at=now(),
            ))
    for name, role in spec.staff:
        seats.append(await committees.seat(committee["id"], SeatIn(name=name, role=role, term_start=term)))
    speaker = next(p for p in chosen if p is not active[1])  # a partner who did not consent, named by the secretary
    actions: list[dict] = []
    for day in days:
        start = dt.datetime.combine(day, dt.time(hour))
        meeting = await committees.schedule(committee["id"], MeetingIn(starts_at=start, ends_at=start + dt.timedelta(minutes=length), place=spec.place, agenda=spec.agenda))
        present = [s["id"] for s in seats if rng.random() < 0.85]
        await committees.record_attendance(meeting["id"], AttendanceIn(present=present))
        for action in actions[:-1]:
            if action["status"] == "open":
                await committees.complete_action(action["id"])
                action["status"] = "done"
        await committees.decide(meeting["id"], DecisionIn(text=rng.choice(spec.decisions)))
        owner = rng.choice(seats)["id"]
        actions.append(await committees.add_action(meeting["id"], ActionIn(description=rng.choice(spec.actions), owner_member_id=owner, due_on=day + dt.timedelta(days=30))))
        await committees.write_minutes(meeting["id"], MinutesTextIn(text=spec.minutes.format(speaker=f"{speaker['first_name']} {speaker['last_name']}")))
        for status in _minutes_path(day):
            await committees.move_minutes(meeting["id"], MinutesMove(status=status))
    # In the month after the one of loading (AS_OF's is the one before it): a meeting still to come.
    upcoming = dt.datetime.combine(_weekday_in(*_month(AS_OF, 2), weekday), dt.time(hour))
    await committees.schedule(committee["id"], MeetingIn(starts_at=upcoming, ends_at=upcoming + dt.timedelta(minutes=length), place=spec.place, agenda=spec.agenda))


def _first(tenant: TenantInfo) -> CommitteeDemo:
    return next(p for p in PROGRAMS if p.slug == tenant.slug).committees[0]


def _weekday_in(year: int, month: int, weekday: int) -> dt.date:
    """The second such weekday of the month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7)


def _month(day: dt.date, months: int) -> tuple[int, int]:
    """(year, month) of the month `months` after the one of `day` (before it when negative)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return year, month + 1


def _term(first_meeting: dt.date) -> tuple[dt.date, dt.date]:
    """Seats for two program years (1 September to 31 August), from the one of the committee's first
    meeting in the demo: the demo's meetings, nine months at most, and today fall in them."""
    start = dt.date(first_meeting.year - (first_meeting.month < 9), 9, 1)
    return start, dt.date(start.year + 2, 8, 31)


def _minutes_path(day: dt.date) -> tuple[str, ...]:
    """Minutes of the last meeting are circulated, of the one before approved, of the rest published."""
    age = (AS_OF - day).days
    if age < 30:
        return ("circulated",)
    if age < 60:
        return ("circulated", "approved")
    return ("circulated", "approved", "published")


# --- trainings ----------------------------------------------------------------------------------


async def _trainings(tenant, program: ProgramDemo, coordinator: Principal, partners: list[dict], rng: random.Random) -> None:
    """The training given some ten weeks before AS_OF (recent recruits, one absent from the second
    session, most answered the questionnaire) and the next one, in three weeks, with the application
    at the training stage enrolled."""
    trainings = Trainings(Context(tenant, coordinator))  # no questionnaire e-mailed: the demo's answers are written here
    active = [p for p in partners if p["stage"] == Stage.ACTIVE]
    given, coming = AS_OF - dt.timedelta(days=70), tenant.today() + dt.timedelta(days=20)
    done = await trainings.create(_training(program, given))
    upcoming = await trainings.create(_training(program, coming))
    for day, hours in ((given, 2), (given + dt.timedelta(weeks=1), 1)):
        start = dt.datetime.combine(day, dt.time(13))
        await trainings.add_session(done["id"], TrainingSessionIn(starts_at=start, ends_at=start + dt.timedelta(hours=hours), place=program.training_place, trainers=program.trainers))
    group = active[2 : 2 + min(done["max_size"], len(active) - 2, 18)]
    enrolments = [await trainings.enrol(done["id"], EnrolmentIn(partner_id=p["id"])) for p in group]
    first, second = await trainings.sessions(done["id"])
    await trainings.record_attendance(first["id"], TrainingAttendanceIn(present=[e["id"] for e in enrolments]))
    await trainings.record_attendance(second["id"], TrainingAttendanceIn(present=[e["id"] for e in enrolments[1:]]))
    await trainings.complete(done["id"])
    for index, enrolment in enumerate(enrolments[1:]):
        if rng.random() < 0.75:
            ratings = {q: rng.choices((3, 4, 5), weights=(1, 3, 4))[0] for q in ("clarity", "trainers", "usefulness", "readiness")}
            comment = program.comments[index] if index < len(program.comments) else ""
            await trainings.answer(enrolment["id"], FeedbackIn(**ratings, comment=comment))
    start = dt.datetime.combine(coming, dt.time(18))
    await trainings.add_session(upcoming["id"], TrainingSessionIn(starts_at=start, ends_at=start + dt.timedelta(hours=2), place=program.training_place, trainers=program.trainers))
    for partner in partners:
        if partner["stage"] == Stage.TRAINING:
            await trainings.enrol(upcoming["id"], EnrolmentIn(partner_id=partner["id"]))


def _training(program: ProgramDemo, first_session: dt.date) -> TrainingIn:
    """The program's training, named by the season and year of its first session (the demo's two
    are three months apart or more, so never named alike)."""
    season = program.seasons[first_session.month % 12 // 3]
    return msgspec.structs.replace(program.training, name=program.training.name.format(season=f"{season} {first_session.year}"))


# --- hours and expenses --------------------------------------------------------------------------


async def _approved_minutes(tenant: TenantInfo, start: dt.date, end: dt.date) -> int:
    rows = await HoursEntry.select(HoursEntry.minutes).where(
        (HoursEntry.tenant_id == tenant.id) & (HoursEntry.status == "approved") & (HoursEntry.worked_on >= start) & (HoursEntry.worked_on < end)
    )
    return sum(row["minutes"] for row in rows)


async def _other_hours(tenant, program: ProgramDemo, expenses: Expenses, active: list[dict], rng: random.Random) -> None:
    """Reviews, projects, trainings given and accompaniments, logged by the partners and approved
    by the coordinator, up to the year's target; the partner login's last entry waits for approval."""
    missing = program.hours_target * 60 - await _approved_minutes(tenant, dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 1))
    while missing > 0:
        partner = rng.choice(active)
        activity = rng.choice(OTHER_ACTIVITIES)
        minutes = min(missing, rng.choice((180, 240, 300, 360, 420)))  # half-days: a review, a project, a training given
        worked_on = dt.date(YEAR, 1, 5) + dt.timedelta(days=rng.randint(0, (AS_OF - dt.date(YEAR, 1, 5)).days))
        entry = await expenses.log_hours(partner["id"], HoursIn(activity=activity, worked_on=worked_on, minutes=minutes, description=rng.choice(program.activity_texts[activity])))
        await expenses.decide_hours(entry["id"], HoursDecision(status="approved"))
        missing -= minutes
    await expenses.log_hours(active[0]["id"], HoursIn(activity="review", worked_on=AS_OF, minutes=90, description=program.activity_texts["review"][0]))


async def _earlier_years(tenant, program: ProgramDemo, active: list[dict], coordinator: Principal, rng: random.Random) -> None:
    """Approved hours of the years before the demo's, in a few entries each (the chart per year),
    counting the hours of the committees' meetings that fall in them (the demo's go back nine months)."""
    rows = []
    for year, hours in program.earlier_years:
        missing = hours * 60 - await _approved_minutes(tenant, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
        while missing > 0:
            minutes = min(missing, rng.choice((120, 150, 180, 240)))
            worked_on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            decided = dt.datetime.combine(worked_on + dt.timedelta(days=7), dt.time(14), dt.UTC)
            rows.append(HoursEntry(
                tenant_id=tenant.id, id=uuid.uuid4(), partner_id=rng.choice(active)["id"], activity=rng.choice(("committee_meeting", *OTHER_ACTIVITIES)),
                worked_on=worked_on, minutes=minutes, description="", status="approved", logged_by=coordinator.user_id,
                decided_by=coordinator.user_id, decided_at=decided, created_at=decided,
            ))
            missing -= minutes
    await HoursEntry.insert(*rows)


async def _claims(tenant, program: ProgramDemo, expenses: Expenses, active: list[dict], rng: random.Random) -> None:
    """Claims of the two months up to AS_OF (the first the partner login's): the older ones approved
    and paid in a batch, the next approved and waiting for the next batch, the last ones waiting for
    approval."""
    claimants = [active[0], *rng.sample(active[1:], len(program.claims) - 1)]
    made = []
    for index, (description, start, end, lines) in enumerate(program.claims):
        day = AS_OF - dt.timedelta(days=60 - 9 * index)
        made.append(await expenses.claim(claimants[index]["id"], ClaimIn(activity_on=day, starts_at=start, ends_at=end, description=description, lines=list(lines))))
    waiting = 1 if len(made) <= 3 else 2
    for claim in made[: len(made) - waiting - 1]:
        await expenses.decide_claim(claim["id"], ClaimDecision(status="approved"))
    batch = await expenses.make_batch()
    await expenses.mark_paid(batch["id"])
    await expenses.decide_claim(made[-waiting - 1]["id"], ClaimDecision(status="approved"))
