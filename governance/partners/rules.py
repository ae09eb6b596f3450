"""Rules of the partner program, as plain functions over plain values (no database, no HTTP):
the program's policy, the recruitment pipeline and its call deadline, expense claim amounts,
receipts, how a person is named in public minutes, the application form's anti-spam token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from backend.i18n import N_


class RuleViolation(Exception):
    """A rule refuses: the field concerned and an English message id (translated when shown)."""

    def __init__(self, field: str, message: str, **params: object):
        super().__init__(message)
        self.field = field
        self.message = message
        self.params = params


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
        raise RuleViolation("stage", N_("An application cannot go from this stage to that one."))
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
        raise RuleViolation("website", N_("The form could not be accepted; please try again."))
    stamp, _, signature = token.partition(".")
    if not stamp.isdigit() or not hmac.compare_digest(signature, _sign(secret, slug, stamp)):
        raise RuleViolation("form_token", N_("The form has expired; please reload the page and send it again."))
    age = now - dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    if age < dt.timedelta(seconds=MIN_FILL_SECONDS):
        raise RuleViolation("form_token", N_("The form was sent too fast; please check your answers and send it again."))
    if age > MAX_FORM_AGE:
        raise RuleViolation("form_token", N_("The form has expired; please reload the page and send it again."))


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
        raise RuleViolation("", N_("You cannot approve your own hours or expenses."))


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


def check_receipt(policy: Policy, size: int, content_type: str, head: bytes) -> None:
    """A receipt is an allowed type, whose first bytes are that type's, within the size limit."""
    if size <= 0:
        raise RuleViolation("file", N_("The file is empty."))
    if size > policy.receipt_max_bytes:
        raise RuleViolation("file", N_("The file is larger than %(limit)s kB."), limit=policy.receipt_max_bytes // 1024)
    if content_type not in policy.receipt_types or not head.startswith(RECEIPT_SIGNATURES[content_type]):
        raise RuleViolation("file", N_("Send a receipt as a PDF, JPEG or PNG file."))


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


def check_minutes_move(current: MinutesStatus, target: MinutesStatus) -> None:
    if target == MinutesStatus.PUBLISHED and current != MinutesStatus.APPROVED:
        raise RuleViolation("status", N_("Only approved minutes can be published."))
    if target not in MINUTES_FLOW[current]:
        raise RuleViolation("status", N_("The minutes cannot go from this status to that one."))


def check_editable(status: MinutesStatus) -> None:
    if status in FROZEN:
        raise RuleViolation("", N_("Approved minutes are frozen: they cannot be changed."))


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
    """Free text of public minutes with every non-consenting partner's name replaced by their label
    (longest names first, so "Marie Roy" goes before "Roy" would)."""
    for name in sorted(hidden_names, key=len, reverse=True):
        if name.strip():
            text = _replace_casefold(text, name, label_of.get(name, "…"))
    return text


def _replace_casefold(text: str, name: str, replacement: str) -> str:
    """Replaces `name` in `text` whatever the case ("ß" matches "SS"): the search runs on the
    case-folded text, each folded character remembering the original one it came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        piece = char.casefold()
        folded.append(piece)
        origin.extend([index] * len(piece))
    folded_text, target = "".join(folded), name.casefold()
    out, position, kept = [], 0, 0
    while (found := folded_text.find(target, position)) >= 0:
        start, end = origin[found], origin[found + len(target) - 1] + 1
        if start >= kept:
            out.append(text[kept:start])
            out.append(replacement)
            kept = end
        position = found + len(target)
    out.append(text[kept:])
    return "".join(out)
