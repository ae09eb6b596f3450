"""The training rules: who completes a cohort, enrolment limits, the questionnaire's summary."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.partners import rules
from governance.partners.rules import RuleViolation, Stage

answers = st.lists(
    st.fixed_dictionaries({**{q: st.integers(1, 5) for q in rules.QUESTIONS}, "comment": st.text(max_size=20)}),
    max_size=40,
)


@given(answers, st.integers(0, 60), st.randoms())
def test_the_summary_counts_every_answer_once_whatever_their_order(given_answers, extra, rng):
    enrolled = len(given_answers) + extra
    summary = rules.summarise_feedback(given_answers, enrolled)
    shuffled = list(given_answers)
    rng.shuffle(shuffled)
    assert rules.summarise_feedback(shuffled, enrolled) == summary  # nothing follows who answered first
    assert summary.responses == len(given_answers)
    for question in summary.questions:
        assert sum(question.distribution) == question.answers == len(given_answers)
        if given_answers:
            exact = Fraction(sum(a[question.question] for a in given_answers), len(given_answers))
            assert 10 <= question.mean_tenths <= 50 and abs(Fraction(question.mean_tenths, 10) - exact) <= Fraction(1, 20)
        else:
            assert question.mean_tenths is None
    assert 0 <= summary.rate_percent <= 100
    if enrolled:
        assert abs(Fraction(summary.rate_percent, 100) - Fraction(len(given_answers), enrolled)) <= Fraction(1, 200)
    assert sorted(summary.comments) == sorted(c.strip() for c in (a["comment"] for a in given_answers) if c.strip())


def test_a_rating_outside_one_to_five_is_a_bug():
    with pytest.raises(ValueError):
        rules.summarise_feedback([{**dict.fromkeys(rules.QUESTIONS, 3), "clarity": 0}], 1)


@given(st.lists(st.integers(0, 9), unique=True, max_size=5), st.dictionaries(st.integers(0, 20), st.sets(st.integers(0, 9)), max_size=10))
def test_completers_attended_every_session(sessions, present):
    done = rules.completers(sessions, present)
    assert done <= set(present)
    for enrolment, attended in present.items():
        assert (enrolment in done) == (bool(sessions) and set(sessions) <= attended)


@given(st.sampled_from(list(Stage)), st.integers(0, 40), st.integers(1, 40), st.booleans())
def test_enrolment_only_in_training_or_active_within_the_size(stage, enrolled, max_size, completed):
    allowed = not completed and stage in (Stage.TRAINING, Stage.ACTIVE) and enrolled < max_size
    try:
        rules.check_enrolment(stage, enrolled, max_size, completed)
    except RuleViolation:
        assert not allowed
    else:
        assert allowed


def test_a_feedback_link_is_bound_to_its_tenant_and_enrolment():
    token = rules.feedback_token("secret", "hus", "e1")
    assert rules.enrolment_of_token("secret", "hus", token) == "e1"
    assert rules.enrolment_of_token("secret", "ciusss-mcq", token) is None
    assert rules.enrolment_of_token("other", "hus", token) is None
    assert rules.enrolment_of_token("secret", "hus", "e2." + token.split(".")[1]) is None
