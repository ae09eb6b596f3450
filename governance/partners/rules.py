"""Rules of the partner program, as plain functions over plain values (no database, no HTTP):
the program's policy, the recruitment pipeline and its call deadline, expense claim amounts,
receipts, how a person is named in public minutes, the application form's anti-spam token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from backend.errors import RuleViolation
from backend.i18n import N_, format_date

# --- the program's policy (a per-tenant setting) ------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Defaults follow the CIUSSS programs: a call within 14 days, expenses of transit, parking,
    mileage, a meal when the activity covers a meal hour, childcare."""

    call_deadline_days: int = 14
    mileage_rate_cents_per_km: int = 54
    mileage_cap_km: int = 300
    transit_cap_cents: int = 2000
    parking_cap_cents: int = 2500
    meal_cap_cents: int = 2000
    # Meal hours as minutes after midnight: an activity that covers one of them pays a meal.
    lunch_start: int = 12 * 60
    lunch_end: int = 13 * 60
    supper_start: int = 18 * 60
    supper_end: int = 19 * 60
    childcare_rate_cents_per_hour: int = 1200
    childcare_cap_cents: int = 6000
    claim_cap_cents: int = 20000
    receipt_max_bytes: int = 2 * 1024 * 1024
    receipt_types: tuple[str, ...] = ("application/pdf", "image/jpeg", "image/png")
    inactivity_months: int = 24
    privacy_officer_name: str = ""
    privacy_officer_email: str = ""
    privacy_officer_phone: str = ""
    pledge_version: str = "1"  # the confidentiality pledge's current text
    pledge_valid_months: int = 24  # a signature holds this long, then is signed again
    receipt_required_kinds: tuple[str, ...] = ("transit", "parking", "meal")  # approved only with a receipt each

    def meal_hours(self) -> tuple[tuple[int, int], ...]:
        return ((self.lunch_start, self.lunch_end), (self.supper_start, self.supper_end))


RECEIPT_SIGNATURES = {"application/pdf": (b"%PDF-",), "image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",)}


def policy_problems(policy: Policy) -> list[RuleViolation]:
    """What makes a policy unusable (an empty list when it is fine)."""
    problems = []
    for name in ("lunch", "supper"):
        start, end = getattr(policy, f"{name}_start"), getattr(policy, f"{name}_end")
        if not 0 <= start < end <= 24 * 60:
            problems.append(RuleViolation(f"{name}_end", N_("A meal hour ends after it starts, within the day.")))
    unknown = set(policy.receipt_types) - set(RECEIPT_SIGNATURES)
    if unknown or not policy.receipt_types:
        problems.append(RuleViolation("receipt_types", N_("Choose among PDF, JPEG and PNG.")))
    return problems


# --- recruitment ---------------------------------------------------------------------------------


class PartnerKind(StrEnum):
    """Kept distinct: a peer helper is not a patient partner (see the seeds)."""

    RESOURCE_USER = "resource_user"
    RELATIVE_RESOURCE = "relative_resource"
    PEER_HELPER = "peer_helper"
    EXPERT_BY_EXPERIENCE = "expert_by_experience"


class Stage(StrEnum):
    RECEIVED = "received"
    CALLED = "called"
    INTERVIEW = "interview"
    TRAINING = "training"
    ACTIVE = "active"
    INACTIVE = "inactive"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


_OPEN = (Stage.RECEIVED, Stage.CALLED, Stage.INTERVIEW, Stage.TRAINING)
PIPELINE: dict[Stage, frozenset[Stage]] = {
    Stage.RECEIVED: frozenset({Stage.CALLED, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.CALLED: frozenset({Stage.INTERVIEW, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.INTERVIEW: frozenset({Stage.TRAINING, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.TRAINING: frozenset({Stage.ACTIVE, Stage.DECLINED, Stage.WITHDRAWN}),
    Stage.ACTIVE: frozenset({Stage.INACTIVE, Stage.WITHDRAWN}),
    Stage.INACTIVE: frozenset({Stage.ACTIVE, Stage.WITHDRAWN}),
    Stage.DECLINED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}
# Leaving the program is recorded with its reason.
NEEDS_REASON = frozenset({Stage.DECLINED, Stage.WITHDRAWN})


def check_move(current: Stage, target: Stage, reason: str | None) -> None:
    if target not in PIPELINE[current]:
        raise RuleViolation("stage", N_("An application cannot go from this stage to that one."), status=409)
    if target in NEEDS_REASON and not (reason or "").strip():
        raise RuleViolation("reason", N_("Give the reason."))


def call_deadline(received_on: dt.date, days: int) -> dt.date:
    return received_on + dt.timedelta(days=days)


def is_overdue(stage: Stage, received_on: dt.date, today: dt.date, days: int) -> bool:
    """An application not yet called once its call deadline has passed."""
    return stage == Stage.RECEIVED and today > call_deadline(received_on, days)


def is_inactive(last_activity_on: dt.date, today: dt.date, months: int) -> bool:
    """Whether a profile has been idle long enough to be anonymised (its purpose is met)."""
    year, month = divmod(last_activity_on.month - 1 + months, 12)
    limit_year, limit_month = last_activity_on.year + year, month + 1
    day = min(last_activity_on.day, _days_in(limit_year, limit_month))
    return today >= dt.date(limit_year, limit_month, day)


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


# --- the public application form's anti-spam (no third party) ---------------------------------

MIN_FILL_SECONDS = 4
MAX_FORM_AGE = dt.timedelta(days=1)


def form_token(secret: str, slug: str, issued_at: dt.datetime) -> str:
    """The moment the form was served, signed, so a robot can neither skip nor forge it."""
    stamp = str(int(issued_at.timestamp()))
    return f"{stamp}.{_sign(secret, slug, stamp)}"


def check_form_token(secret: str, slug: str, token: str, honeypot: str, now: dt.datetime) -> None:
    if honeypot:
        raise RuleViolation("website", N_("The form could not be accepted; please try again."), status=400)
    stamp, _, signature = token.partition(".")
    if not stamp.isdigit() or not hmac.compare_digest(signature, _sign(secret, slug, stamp)):
        raise RuleViolation("form_token", N_("The form has expired; please reload the page and send it again."), status=400)
    age = now - dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    if age < dt.timedelta(seconds=MIN_FILL_SECONDS):
        raise RuleViolation("form_token", N_("The form was sent too fast; please check your answers and send it again."), status=400)
    if age > MAX_FORM_AGE:
        raise RuleViolation("form_token", N_("The form has expired; please reload the page and send it again."), status=400)


def _sign(secret: str, slug: str, stamp: str) -> str:
    return hmac.new(secret.encode(), f"partner-application:{slug}:{stamp}".encode(), hashlib.sha256).hexdigest()[:32]


# --- hours -----------------------------------------------------------------------------------

MAX_MINUTES_A_DAY = 16 * 60


def check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_MINUTES_A_DAY:
        raise RuleViolation("minutes", N_("Enter between 1 minute and 16 hours."))


def check_approver(approver_user_id: object, partner_user_id: object) -> None:
    """Nobody approves their own hours or their own expenses."""
    if partner_user_id is not None and approver_user_id == partner_user_id:
        raise RuleViolation("", N_("You cannot approve your own hours or expenses."), status=403)


# --- expense claims ---------------------------------------------------------------------------


class ExpenseKind(StrEnum):
    TRANSIT = "transit"
    PARKING = "parking"
    MILEAGE = "mileage"
    MEAL = "meal"
    CHILDCARE = "childcare"


@dataclass(frozen=True)
class ExpenseLine:
    kind: ExpenseKind
    amount_cents: int = 0  # what the receipt says (transit, parking, meal)
    km: int = 0  # mileage
    minutes: int = 0  # childcare


@dataclass(frozen=True)
class ClaimAmounts:
    lines: tuple[int, ...]  # what is reimbursed for each line, in order
    total_cents: int
    capped: bool = False


def half_up_div(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def line_amount(policy: Policy, line: ExpenseLine) -> int:
    if line.kind == ExpenseKind.MILEAGE:
        return min(line.km, policy.mileage_cap_km) * policy.mileage_rate_cents_per_km
    if line.kind == ExpenseKind.CHILDCARE:
        return min(half_up_div(line.minutes * policy.childcare_rate_cents_per_hour, 60), policy.childcare_cap_cents)
    cap = {ExpenseKind.TRANSIT: policy.transit_cap_cents, ExpenseKind.PARKING: policy.parking_cap_cents, ExpenseKind.MEAL: policy.meal_cap_cents}[line.kind]
    return min(line.amount_cents, cap)


def claim_amounts(policy: Policy, lines: list[ExpenseLine], start: int, end: int) -> ClaimAmounts:
    """What a claim pays: each line by the policy's rate and cap, the total under the claim cap.
    `start`/`end`: the activity's hours, minutes after midnight."""
    if not lines:
        raise RuleViolation("lines", N_("Add at least one expense."))
    if not 0 <= start < end <= 24 * 60:
        raise RuleViolation("ends_at", N_("The activity ends after it starts, within the day."))
    meals, covered = sum(1 for line in lines if line.kind == ExpenseKind.MEAL), _meals_covered(policy, start, end)
    if meals and not covered:
        raise RuleViolation("lines", N_("A meal is reimbursed only when the activity covers a meal hour."))
    if meals > len(covered):
        raise RuleViolation("lines", N_("One meal per meal hour covered by the activity."))
    amounts = tuple(line_amount(policy, line) for line in lines)
    total = sum(amounts)
    return ClaimAmounts(lines=amounts, total_cents=min(total, policy.claim_cap_cents), capped=total > policy.claim_cap_cents)


def _meals_covered(policy: Policy, start: int, end: int) -> list[tuple[int, int]]:
    """The meal hours that the activity (minutes after midnight) spans whole."""
    return [(s, e) for s, e in policy.meal_hours() if start <= s and end >= e]


def missing_receipts(policy: Policy, kinds: list[str], receipts: int) -> list[str]:
    """The kinds of the claim's lines that need a receipt, when it has fewer receipts than such
    lines (one receipt per expense that needs one); empty when the claim can be approved."""
    needing = [kind for kind in kinds if kind in policy.receipt_required_kinds]
    return sorted(set(needing)) if receipts < len(needing) else []



def check_receipt(policy: Policy, size: int, content_type: str, head: bytes) -> None:
    """A receipt is an allowed type, whose first bytes are that type's, within the size limit."""
    if size <= 0:
        raise RuleViolation("file", N_("The file is empty."), status=415)
    if size > policy.receipt_max_bytes:
        raise RuleViolation("file", N_("The file is larger than %(limit)s kB."), status=413, limit=policy.receipt_max_bytes // 1024)
    if content_type not in policy.receipt_types or not head.startswith(RECEIPT_SIGNATURES[content_type]):
        raise RuleViolation("file", N_("Send a receipt as a PDF, JPEG or PNG file."), status=415)


# --- minutes ---------------------------------------------------------------------------------


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"
    PUBLISHED = "published"


MINUTES_FLOW: dict[MinutesStatus, frozenset[MinutesStatus]] = {
    MinutesStatus.DRAFT: frozenset({MinutesStatus.CIRCULATED}),
    # Comments from the members may send a circulated draft back for changes.
    MinutesStatus.CIRCULATED: frozenset({MinutesStatus.DRAFT, MinutesStatus.APPROVED}),
    MinutesStatus.APPROVED: frozenset({MinutesStatus.PUBLISHED}),
    MinutesStatus.PUBLISHED: frozenset(),
}
FROZEN = frozenset({MinutesStatus.APPROVED, MinutesStatus.PUBLISHED})


def check_committee_end(ended_on: dt.date, term_starts: list[dt.date], meeting_after: bool) -> None:
    """A committee ends on a day after which no member's term starts and no meeting is held."""
    if late := [start for start in term_starts if start > ended_on]:
        raise RuleViolation("ended_on", N_("A member's term starts after that day, on %(date)s: end the committee on that day or later."), date=format_date(max(late), "long"))
    if meeting_after:
        raise RuleViolation("ended_on", N_("A meeting of the committee is held after that day."), status=409)


def check_minutes_move(current: MinutesStatus, target: MinutesStatus) -> None:
    if target == MinutesStatus.PUBLISHED and current != MinutesStatus.APPROVED:
        raise RuleViolation("status", N_("Only approved minutes can be published."), status=409)
    if target not in MINUTES_FLOW[current]:
        raise RuleViolation("status", N_("The minutes cannot go from this status to that one."), status=409)


def check_editable(status: MinutesStatus) -> None:
    if status in FROZEN:
        raise RuleViolation("", N_("Approved minutes are frozen: they cannot be changed."), status=409)


@dataclass(frozen=True)
class Person:
    """Someone named in minutes: a partner (with their kind and consent) or a staff member."""

    key: str
    name: str
    kind: PartnerKind | None  # None: not a partner (staff, named in their function)
    consents_to_public_name: bool = False


def public_names(people: list[Person]) -> dict[str, tuple[str, PartnerKind | None, int]]:
    """How each person appears in public minutes: (their name, or "" when only their role may be
    shown, their kind, their number within that kind in these minutes, from 1)."""
    shown: dict[str, tuple[str, PartnerKind | None, int]] = {}
    counters: dict[PartnerKind, int] = {}
    for person in people:
        if person.key in shown:
            continue
        if person.kind is None:
            shown[person.key] = (person.name, None, 0)
            continue
        counters[person.kind] = counters.get(person.kind, 0) + 1
        shown[person.key] = (person.name if person.consents_to_public_name else "", person.kind, counters[person.kind])
    return shown


def redact(text: str, hidden_names: list[str], label_of: dict[str, str]) -> str:
    """Free text with each of these names replaced by its label wherever it occurs, whatever the case."""
    return redact_mentions(text, [Mention(name, label_of.get(name, "…"), False) for name in hidden_names if name.strip()])


# Titles before a last name in minutes, in French, English and Finnish usage.
HONORIFICS = ("M.", "Mme", "Mmes", "Mlle", "Monsieur", "Madame", "Mademoiselle", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Dre", "Me")


@dataclass(frozen=True)
class Mention:
    """A way a person may be written in minutes, and what replaces it (None: it stays as written,
    a consenting partner's or a staff member's name). `whole_word`: matched only between word
    boundaries (a first name alone must not eat into another word)."""

    text: str
    label: str | None
    whole_word: bool = True


def mentions_of(first: str, last: str, label: str | None) -> list[Mention]:
    """Every way minutes name someone: in full either way round, with a title ("Mme Tremblay",
    "M. Gagnon"), by an initial ("N. Tremblay"), by the last or the first name alone."""
    first, last = first.strip(), last.strip()
    written = [Mention(f"{first} {last}", label, False), Mention(f"{last} {first}", label, False), Mention(f"{last}, {first}", label, False)]
    for title in HONORIFICS:
        written += [Mention(f"{title} {first} {last}", label), Mention(f"{title} {last}", label)]
    if first:
        written.append(Mention(f"{first[0]}. {last}", label))
    written += [Mention(last, label), Mention(first, label)]
    return [m for m in written if m.text.strip() and len(m.text.strip()) > 1]


def redact_mentions(text: str, mentions: list[Mention]) -> str:
    """Public minutes' free text with each mention replaced by its label, whatever the case. All
    mentions are found in the text as written, the longest wins where they overlap (so "Mme Roy"
    goes whole, and a consenting "Marie Roy" keeps the "Marie" that a hidden Marie would lose)."""
    folded, origin = _folded(text)
    found = []
    for mention in mentions:
        target = mention.text.casefold()
        position = 0
        while target and (index := folded.find(target, position)) >= 0:
            start, end = origin[index], origin[index + len(target) - 1] + 1
            if not mention.whole_word or _bounded(text, start, end):
                found.append((start, end, mention.label))
            position = index + 1
    chosen: list[tuple[int, int, str | None]] = []
    for start, end, label in sorted(found, key=lambda f: (f[0] - f[1], f[0], f[2] is not None)):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, label))
    out, kept = [], 0
    for start, end, label in sorted(chosen):
        out += [text[kept:start], text[start:end] if label is None else label]
        kept = end
    out.append(text[kept:])
    return "".join(out)


def _bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _folded(text: str) -> tuple[str, list[int]]:
    """The case-folded text, and for each of its characters the index of the original one."""
    folded, origin = [], []
    for index, char in enumerate(text):
        piece = char.casefold()
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


# --- trainings --------------------------------------------------------------------------------

QUESTIONS = ("clarity", "trainers", "usefulness", "readiness")  # each rated 1 (not at all) to 5 (fully)
RATINGS = range(1, 6)
ENROLLABLE = frozenset({Stage.TRAINING, Stage.ACTIVE})


def check_enrolment(stage: Stage, enrolled: int, max_size: int, completed: bool) -> None:
    if completed:
        raise RuleViolation("", N_("This training is completed: nobody can be enrolled any more."), status=409)
    if stage not in ENROLLABLE:
        raise RuleViolation("partner_id", N_("Only partners in training or active can be enrolled."), status=409)
    if enrolled >= max_size:
        raise RuleViolation("partner_id", N_("The cohort is full (%(n)s places)."), status=409, n=max_size)


def completers(sessions: list[object], present: dict[object, set[object]]) -> set[object]:
    """The enrolments that attended every session (`present`: enrolment → sessions attended).
    A cohort without sessions has no completer."""
    if not sessions:
        return set()
    every = set(sessions)
    return {enrolment for enrolment, attended in present.items() if every <= attended}


def check_completion(last_session_ends: dt.datetime | None, moment: dt.datetime) -> None:
    if last_session_ends is None:
        raise RuleViolation("", N_("Add the training's sessions first."), status=409)
    if last_session_ends > moment:
        raise RuleViolation("", N_("A training is completed once its last session is over."), status=409)


@dataclass(frozen=True)
class QuestionSummary:
    question: str
    answers: int
    mean_tenths: int | None  # the mean rating ×10, rounded half up (42 reads 4.2); None without answers
    distribution: tuple[int, ...]  # how many answered 1, 2, 3, 4, 5


@dataclass(frozen=True)
class FeedbackSummary:
    responses: int
    enrolled: int
    rate_percent: int  # responses / enrolled, rounded half up; 0 when nobody is enrolled
    questions: tuple[QuestionSummary, ...]
    comments: tuple[str, ...]


def summarise_feedback(answers: list[dict[str, object]], enrolled: int) -> FeedbackSummary:
    """A cohort's questionnaire: per question the number of answers, the mean (in tenths) and how
    many gave each rating; the response rate; the non-blank comments, shortest first (no order
    that would follow who answered first)."""
    questions = []
    for question in QUESTIONS:
        ratings = [int(answer[question]) for answer in answers]
        if any(rating not in RATINGS for rating in ratings):
            raise ValueError(f"a rating of {question} is outside 1–5")
        questions.append(QuestionSummary(
            question=question, answers=len(ratings),
            mean_tenths=half_up_div(10 * sum(ratings), len(ratings)) if ratings else None,
            distribution=tuple(ratings.count(value) for value in RATINGS),
        ))
    comments = sorted((str(a.get("comment") or "").strip() for a in answers), key=lambda c: (len(c), c))
    return FeedbackSummary(
        responses=len(answers), enrolled=enrolled,
        rate_percent=half_up_div(100 * len(answers), enrolled) if enrolled else 0,
        questions=tuple(questions), comments=tuple(c for c in comments if c),
    )


def feedback_token(secret: str, slug: str, enrolment_id: object) -> str:
    """The signed link e-mailed after a training: it answers the questionnaire of one enrolment."""
    return f"{enrolment_id}.{_sign_feedback(secret, slug, str(enrolment_id))}"


def enrolment_of_token(secret: str, slug: str, token: str) -> str | None:
    """The enrolment a feedback link is for, or None when the link was not signed by us for this tenant."""
    enrolment, _, signature = token.partition(".")
    if not enrolment or not hmac.compare_digest(signature, _sign_feedback(secret, slug, enrolment)):
        return None
    return enrolment


def _sign_feedback(secret: str, slug: str, enrolment: str) -> str:
    return hmac.new(secret.encode(), f"training-feedback:{slug}:{enrolment}".encode(), hashlib.sha256).hexdigest()[:32]


# --- the confidentiality pledge and mandates ---------------------------------------------------


class PledgeState(StrEnum):
    VALID = "valid"
    MISSING = "missing"  # never signed
    OUTDATED = "outdated"  # signed, but not the current text
    EXPIRED = "expired"  # the current text, signed longer ago than the policy allows


def pledge_state(pledges: list[tuple[str, dt.date]], version: str, valid_months: int, today: dt.date) -> PledgeState:
    """Where a partner's pledge stands: `pledges` are (version, date signed), in any order."""
    if not pledges:
        return PledgeState.MISSING
    current = [signed for text, signed in pledges if text == version and signed <= today]
    if not current:
        return PledgeState.OUTDATED
    return PledgeState.EXPIRED if is_inactive(max(current), today, valid_months) else PledgeState.VALID


def check_pledge_for_seat(state: PledgeState) -> None:
    """Nobody sits on a committee without a signed, current confidentiality pledge."""
    if state != PledgeState.VALID:
        raise RuleViolation("partner_id", N_("This partner has no valid confidentiality pledge: record their signed pledge before seating them."), status=409)


def check_pledge_date(signed_on: dt.date, today: dt.date) -> None:
    if signed_on > today:
        raise RuleViolation("signed_on", N_("Enter a date no later than today."))


class MandateState(StrEnum):
    COVERED = "covered"
    MISSING = "missing"  # a current seat without any mandate for that committee
    EXPIRED = "expired"  # its mandates for that committee are over


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date | None  # None: open-ended (a seat without a term end)

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def mandate_state(seat: Period, mandates: list[Period], today: dt.date) -> MandateState | None:
    """Whether a seat held today is covered by a mandate for its committee (None: the seat is not
    held today, so no mandate is needed)."""
    if not seat.covers(today):
        return None
    if any(m.covers(today) for m in mandates):
        return MandateState.COVERED
    if any(m.ends_on is not None and m.ends_on < today for m in mandates):
        return MandateState.EXPIRED
    return MandateState.MISSING


# --- matching a need with partners ---------------------------------------------------------------

NEED_CONTRIBUTION = {"committee_seat": "committees", "document_review": "document_review", "co_teaching": "giving_trainings"}


@dataclass(frozen=True)
class Need:
    """What the coordinator looks for: a committee seat, a document to review, a training to co-teach."""

    kind: str  # a key of NEED_CONTRIBUTION
    areas: frozenset[str] = frozenset()  # experience wanted (any of them); empty: any experience
    language: str | None = None
    availability: frozenset[str] = frozenset()  # any of them; empty: any time


@dataclass(frozen=True)
class Candidate:
    key: object
    number: int
    contributions: frozenset[str]
    areas: frozenset[str]
    languages: frozenset[str]
    availability: frozenset[str]
    minutes_this_year: int = 0  # hours given this year: the least busy come first
    seats: int = 0  # committee seats held today
    pledged: bool = False  # a valid confidentiality pledge (needed to sit on a committee)


@dataclass(frozen=True)
class Match:
    key: object
    areas: tuple[str, ...]  # the wanted experience they have


def fits(need: Need, candidate: Candidate) -> bool:
    return (
        NEED_CONTRIBUTION[need.kind] in candidate.contributions
        and (need.language is None or need.language in candidate.languages)
        and (not need.areas or bool(need.areas & candidate.areas))
        and (not need.availability or bool(need.availability & candidate.availability))
    )


def rank(need: Need, candidates: list[Candidate], limit: int = 20) -> list[Match]:
    """The active partners who fit the need, best first: most of the wanted experience, then (for a
    seat) a valid pledge, then the fewest seats and hours this year (the load is shared), then by number."""
    fitting = [c for c in candidates if fits(need, c)]
    seat = need.kind == "committee_seat"
    fitting.sort(key=lambda c: (-len(need.areas & c.areas), not c.pledged if seat else False, c.seats, c.minutes_this_year, c.number))
    return [Match(key=c.key, areas=tuple(sorted(need.areas & c.areas))) for c in fitting[:limit]]
