"""The partner program's rules, property-tested without a database."""

import calendar
import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from governance.partners import rules
from governance.partners.rules import ExpenseKind, ExpenseLine, MinutesStatus, PartnerKind, Person, Policy, RuleViolation, Stage

POLICY = Policy()
dates = st.dates(dt.date(2015, 1, 1), dt.date(2040, 12, 31))
minutes_of_day = st.integers(0, 24 * 60)


@given(dates, st.integers(0, 120), st.integers(1, 90), st.sampled_from(list(Stage)))
def test_overdue_only_when_still_received_after_the_deadline(received, elapsed, days, stage):
    today = received + dt.timedelta(days=elapsed)
    overdue = rules.is_overdue(stage, received, today, days)
    assert rules.call_deadline(received, days) == received + dt.timedelta(days=days)
    assert overdue == (stage == Stage.RECEIVED and elapsed > days)


def test_the_fourteenth_day_is_still_on_time():
    received = dt.date(2024, 6, 1)
    assert rules.call_deadline(received, 14) == dt.date(2024, 6, 15)
    assert not rules.is_overdue(Stage.RECEIVED, received, dt.date(2024, 6, 15), 14)
    assert rules.is_overdue(Stage.RECEIVED, received, dt.date(2024, 6, 16), 14)


@given(st.sampled_from(list(Stage)), st.sampled_from(list(Stage)), st.one_of(st.none(), st.text(max_size=5)))
def test_pipeline_moves(current, target, reason):
    try:
        rules.check_move(current, target, reason)
        moved = True
    except RuleViolation:
        moved = False
    if moved:
        assert target in rules.PIPELINE[current]
        assert target not in rules.NEEDS_REASON or (reason or "").strip()
    if current in (Stage.DECLINED, Stage.WITHDRAWN) or target == Stage.RECEIVED:
        assert not moved


def test_the_pipeline_leads_from_received_to_active_in_order():
    path = [Stage.RECEIVED, Stage.CALLED, Stage.INTERVIEW, Stage.TRAINING, Stage.ACTIVE]
    for current, target in pairwise(path):
        rules.check_move(current, target, None)
    with pytest.raises(RuleViolation):
        rules.check_move(Stage.RECEIVED, Stage.ACTIVE, None)  # no skipping the call, interview and training
    with pytest.raises(RuleViolation) as refused:
        rules.check_move(Stage.INTERVIEW, Stage.DECLINED, "  ")
    assert refused.value.field == "reason"


@given(st.integers(0, 2000), st.integers(0, 1000))
def test_mileage_is_km_times_rate_up_to_the_cap(km, rate):
    policy = Policy(mileage_rate_cents_per_km=rate)
    amounts = rules.claim_amounts(policy, [ExpenseLine(ExpenseKind.MILEAGE, km=km)], 9 * 60, 10 * 60)
    assert amounts.lines == (min(km, policy.mileage_cap_km) * rate,)


@given(st.integers(0, 24 * 60), st.integers(0, 5000))
def test_childcare_is_hours_times_rate_rounded_half_up_and_capped(minutes, rate):
    policy = Policy(childcare_rate_cents_per_hour=rate, childcare_cap_cents=10**9)
    amount = rules.claim_amounts(policy, [ExpenseLine(ExpenseKind.CHILDCARE, minutes=minutes)], 9 * 60, 10 * 60).lines[0]
    exact = minutes * rate / 60
    assert abs(amount - exact) <= 0.5
    assert rules.claim_amounts(Policy(childcare_rate_cents_per_hour=1200), [ExpenseLine(ExpenseKind.CHILDCARE, minutes=180)], 0, 60).lines == (3600,)


@given(minutes_of_day, minutes_of_day, st.integers(0, 10_000))
def test_a_meal_is_paid_only_when_the_activity_covers_a_meal_hour(start, end, amount):
    assume(start < end)
    covers = any(start <= s and end >= e for s, e in POLICY.meal_hours())
    line = [ExpenseLine(ExpenseKind.MEAL, amount_cents=amount)]
    if covers:
        assert rules.claim_amounts(POLICY, line, start, end).lines == (min(amount, POLICY.meal_cap_cents),)
    else:
        with pytest.raises(RuleViolation):
            rules.claim_amounts(POLICY, line, start, end)


def test_one_meal_per_meal_hour_covered():
    two = [ExpenseLine(ExpenseKind.MEAL, amount_cents=1500)] * 2
    with pytest.raises(RuleViolation):
        rules.claim_amounts(POLICY, two, 11 * 60, 14 * 60)
    assert rules.claim_amounts(POLICY, two, 11 * 60, 20 * 60).total_cents == 3000


lines = st.lists(
    st.builds(ExpenseLine, kind=st.sampled_from([ExpenseKind.TRANSIT, ExpenseKind.PARKING, ExpenseKind.MILEAGE, ExpenseKind.CHILDCARE]),
              amount_cents=st.integers(0, 50_000), km=st.integers(0, 1000), minutes=st.integers(0, 600)),
    min_size=1, max_size=8,
)


@given(lines, st.integers(0, 100_000))
def test_every_line_and_the_claim_stay_under_their_caps(claim_lines, claim_cap):
    policy = Policy(claim_cap_cents=claim_cap)
    amounts = rules.claim_amounts(policy, claim_lines, 9 * 60, 11 * 60)
    caps = {ExpenseKind.TRANSIT: policy.transit_cap_cents, ExpenseKind.PARKING: policy.parking_cap_cents,
            ExpenseKind.MILEAGE: policy.mileage_cap_km * policy.mileage_rate_cents_per_km, ExpenseKind.CHILDCARE: policy.childcare_cap_cents}
    assert all(0 <= amount <= caps[line.kind] for line, amount in zip(claim_lines, amounts.lines, strict=True))
    assert amounts.total_cents == min(sum(amounts.lines), claim_cap)
    assert amounts.capped == (sum(amounts.lines) > claim_cap)


def test_a_claim_needs_a_line_and_an_activity_that_ends_after_it_starts():
    with pytest.raises(RuleViolation):
        rules.claim_amounts(POLICY, [], 9 * 60, 10 * 60)
    with pytest.raises(RuleViolation):
        rules.claim_amounts(POLICY, [ExpenseLine(ExpenseKind.TRANSIT, amount_cents=350)], 10 * 60, 10 * 60)


@given(st.integers(-10, 5 * 1024 * 1024), st.sampled_from(["application/pdf", "image/jpeg", "image/png", "text/html", "image/gif"]), st.binary(max_size=12))
def test_receipts_are_checked_for_size_type_and_content(size, content_type, head):
    try:
        rules.check_receipt(POLICY, size, content_type, head)
        accepted = True
    except RuleViolation:
        accepted = False
    expected = (0 < size <= POLICY.receipt_max_bytes and content_type in POLICY.receipt_types
                and head.startswith(rules.RECEIPT_SIGNATURES.get(content_type, (b"\x00impossible",))))
    assert accepted == expected


def test_a_pdf_receipt_is_accepted_and_a_renamed_html_file_is_not():
    rules.check_receipt(POLICY, 1000, "application/pdf", b"%PDF-1.7\n")
    with pytest.raises(RuleViolation):
        rules.check_receipt(POLICY, 1000, "application/pdf", b"<html>")


@given(st.sampled_from(list(MinutesStatus)), st.sampled_from(list(MinutesStatus)))
def test_minutes_flow(current, target):
    try:
        rules.check_minutes_move(current, target)
        moved = True
    except RuleViolation:
        moved = False
    if target == MinutesStatus.PUBLISHED:
        assert moved == (current == MinutesStatus.APPROVED)
    if current in rules.FROZEN:
        assert target not in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED) or not moved


names = st.text(st.characters(categories=("Lu", "Ll")), min_size=3, max_size=12)
people = st.lists(st.builds(Person, key=st.uuids().map(str), name=st.tuples(names, names).map(" ".join),
                            kind=st.one_of(st.none(), st.sampled_from(list(PartnerKind))), consents_to_public_name=st.booleans()), max_size=12)


@given(people)
def test_public_names_show_a_partner_only_with_consent_and_number_each_kind(persons):
    shown = rules.public_names(persons)
    for person in persons:
        name, kind, number = shown[person.key]
        if person.kind is not None and not person.consents_to_public_name:
            assert name == "" and number >= 1
        else:
            assert name == person.name
    for kind in PartnerKind:
        numbers = [shown[p.key][2] for p in {p.key: p for p in persons}.values() if p.kind == kind]
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


@given(st.lists(st.tuples(names, names).map(" ".join), min_size=1, max_size=5), st.text(max_size=40))
def test_redacted_text_never_contains_a_hidden_name(hidden, filler):
    text = filler + " ".join(f"{name.upper()} a parlé; {name}" for name in hidden)
    redacted = rules.redact(text, hidden, {name: "Usager-ressource 1" for name in hidden})
    assert not any(name.casefold() in redacted.casefold() for name in hidden)


@given(st.integers(0, 10), st.text(max_size=3))
def test_form_token(seconds, honeypot):
    issued = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    token = rules.form_token("secret", "ciusss-mcq", issued)
    now = issued + dt.timedelta(seconds=seconds)
    try:
        rules.check_form_token("secret", "ciusss-mcq", token, honeypot, now)
        accepted = True
    except RuleViolation:
        accepted = False
    assert accepted == (not honeypot and seconds >= rules.MIN_FILL_SECONDS)


def test_a_forged_or_old_form_token_is_refused():
    issued = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    token = rules.form_token("secret", "ciusss-mcq", issued)
    later = issued + dt.timedelta(minutes=5)
    for forged in (rules.form_token("other", "ciusss-mcq", issued), rules.form_token("secret", "hus", issued), "", "12.34"):
        with pytest.raises(RuleViolation):
            rules.check_form_token("secret", "ciusss-mcq", forged, "", later)
    with pytest.raises(RuleViolation):
        rules.check_form_token("secret", "ciusss-mcq", token, "", issued + dt.timedelta(days=2))


@given(dates, st.integers(0, 2000), st.integers(1, 120))
def test_inactivity(last, elapsed, months):
    today = last + dt.timedelta(days=elapsed)
    assert rules.is_inactive(last, today, months) == (elapsed >= _months_later(last, months))


def _months_later(day: dt.date, months: int) -> int:
    year, month = divmod(day.month - 1 + months, 12)
    target = dt.date(day.year + year, month + 1, min(day.day, calendar.monthrange(day.year + year, month + 1)[1]))
    return (target - day).days


@given(st.uuids(), st.one_of(st.none(), st.uuids()))
def test_nobody_approves_their_own_hours(approver, owner):
    if owner == approver:
        with pytest.raises(RuleViolation):
            rules.check_approver(approver, owner)
    else:
        rules.check_approver(approver, owner)
    with pytest.raises(RuleViolation):
        rules.check_approver(approver, approver)


def test_policy_problems():
    assert rules.policy_problems(POLICY) == []
    assert [p.field for p in rules.policy_problems(Policy(lunch_start=13 * 60, lunch_end=12 * 60, receipt_types=("text/html",)))] == ["lunch_end", "receipt_types"]


hidden_people = st.lists(st.tuples(st.sampled_from(["Nathalie", "Réjean", "Ginette", "Marie", "Éloïse"]), st.sampled_from(["Tremblay", "Gagnon", "Côté", "Bellemare", "Lampron"])), min_size=1, max_size=3)
shown_people = st.lists(st.tuples(st.sampled_from(["Hélène", "Marc", "Marie"]), st.sampled_from(["Gélinas", "Houle", "Roy"])), max_size=2)
templates = st.lists(st.sampled_from(["Mme {last} présente le guide.", "M. {last} répond.", "{first} propose un ajout.", "{FIRST} {LAST} appuie.",
                                      "{last}, {first} : d'accord.", "Dre {first} {last} conclut.", "{f}. {last} s'abstient.", "Merci à {first}!"]), min_size=1, max_size=6)


@given(hidden_people, shown_people, templates, st.randoms())
def test_public_minutes_name_a_hidden_partner_in_no_way_and_keep_the_names_that_may_show(hidden, shown, lines, rng):
    hidden = [p for p in hidden if p not in shown]
    mentions = [m for first, last in hidden for m in rules.mentions_of(first, last, "Usager-ressource 1")]
    mentions += [m for first, last in shown for m in rules.mentions_of(first, last, None)]
    people = [(p, True) for p in hidden] + [(p, False) for p in shown]
    text = " ".join(rng.choice(lines).format(first=f, last=l, FIRST=f.upper(), LAST=l.upper(), f=f[0]) for (f, l), _ in people for _ in range(2))
    redacted = rules.redact_mentions(text, mentions)
    words = {w.strip(".,:!").casefold() for w in redacted.split()}
    for (first, last), is_hidden in people:
        if is_hidden and (first, last) not in shown and first not in {f for f, _ in shown} and last not in {l for _, l in shown}:
            assert first.casefold() not in words and last.casefold() not in words, (text, redacted)
    for first, last in shown:
        if (first, last) not in hidden and f"{first} {last}" in text:
            assert f"{first} {last}" in redacted  # a name that may show stays whole


def test_partial_names_are_redacted_but_not_inside_other_words():
    mentions = rules.mentions_of("Marie", "Roy", "Usager-ressource 2") + rules.mentions_of("Hélène", "Gélinas", None)
    text = "Mme Roy et M. ROY (Marie) ont parlé; M. Roy-Côté du Royaume aussi. Hélène Gélinas conclut; Mme Gélinas remercie M. Roy."
    assert rules.redact_mentions(text, mentions) == (
        "Usager-ressource 2 et Usager-ressource 2 (Usager-ressource 2) ont parlé; Usager-ressource 2-Côté du Royaume aussi. "
        "Hélène Gélinas conclut; Mme Gélinas remercie Usager-ressource 2."
    )


@given(st.lists(st.sampled_from(list(rules.ExpenseKind)), min_size=1, max_size=6), st.frozensets(st.sampled_from(list(rules.ExpenseKind))), st.integers(0, 8))
def test_a_claim_is_approved_with_a_receipt_for_each_expense_that_needs_one(kinds, required, receipts):
    policy = rules.Policy(receipt_required_kinds=tuple(required))
    missing = rules.missing_receipts(policy, [k.value for k in kinds], receipts)
    needing = [k for k in kinds if k in required]
    assert (missing == []) == (receipts >= len(needing))
    assert set(missing) <= set(required) and (not missing or set(missing) == {k.value for k in needing})
