"""The rules of meetings and votes, property-tested without a database."""

import datetime as dt
import random
import uuid

from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import rules
from governance.meetings.rules import ABSTAIN, NO, YES, GovernanceSettings, MeetingKind

days = st.integers(0, 60)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
choices = st.lists(st.sampled_from(rules.CHOICES), max_size=300)


@given(dates, days, st.integers(-90, 90))
def test_a_notice_is_late_exactly_after_the_last_day(meeting_date, notice_days, offset):
    sent = rules.latest_notice_date(meeting_date, notice_days) + dt.timedelta(days=offset)
    assert rules.notice_is_late(sent, meeting_date, notice_days) == (offset > 0)
    assert (meeting_date - rules.latest_notice_date(meeting_date, notice_days)).days == notice_days


def test_board_meetings_take_five_days_notice_general_meetings_the_by_law_number():
    settings = GovernanceSettings(general_notice_days=14, special_notice_days=14)
    assert rules.notice_days(MeetingKind.BOARD, settings) == 5
    assert rules.notice_days(MeetingKind.ANNUAL_GENERAL, settings) == rules.notice_days(MeetingKind.SPECIAL_GENERAL, settings) == 14


@given(days, days, days)
def test_each_kind_of_meeting_takes_its_own_notice(annual, special, board):
    settings = GovernanceSettings(general_notice_days=annual, special_notice_days=special, board_notice_days=board)
    assert [rules.notice_days(kind, settings) for kind in (MeetingKind.ANNUAL_GENERAL, MeetingKind.SPECIAL_GENERAL, MeetingKind.BOARD)] == [annual, special, board]


@given(dates, st.integers(1, 12), st.integers(1, 31))
def test_the_fiscal_year_end_before_a_day_is_the_latest_one(day, month, day_of_month):
    end = rules.fiscal_year_end_before(day, month, day_of_month)
    assert end <= day and end.month == month and (day - end).days < 366
    assert end.day == day_of_month or end.day < day_of_month and (end + dt.timedelta(days=1)).month != month


@given(dates, st.integers(1, 24))
def test_the_annual_meeting_deadline(meeting_date, months):
    settings = GovernanceSettings(agm_months_after_year_end=months)
    end = rules.fiscal_year_end_before(meeting_date, 12, 31)
    assert rules.agm_in_time(meeting_date, settings) == (meeting_date <= rules.agm_deadline(end, months))


def test_the_annual_meeting_within_six_months_of_31_december():
    assert rules.agm_in_time(dt.date(2027, 6, 30), GovernanceSettings())
    assert not rules.agm_in_time(dt.date(2027, 7, 1), GovernanceSettings())
    assert rules.agm_deadline(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)  # the end of a shorter month


@given(st.integers(0, 5000), st.sampled_from(list(rules.QuorumRule)), st.integers(0, 100), st.integers(0, 5000))
def test_quorum(present, rule, value, entitled):
    needed = rules.quorum_needed(rule, value, entitled)
    assert needed >= 1 and rules.quorum_reached(present, rule, value, entitled) == (present >= needed)
    if rule == rules.QuorumRule.PERCENT:
        assert needed * 100 >= entitled * value and (needed - 1) * 100 < max(entitled * value, 100)


@given(st.lists(st.tuples(st.sampled_from(["active", "suspended", "applicant"]), st.sampled_from(["user", "worker"]), st.booleans()), max_size=50), st.booleans(), st.sampled_from([None, "user", "worker"]))
def test_eligibility(people, presence_required, category):
    voters = [rules.Voter(i, status, cat, present) for i, (status, cat, present) in enumerate(people)]
    chosen = rules.eligible(voters, presence_required=presence_required, category=category)
    for voter in voters:
        expected = voter.status == "active" and (voter.present or not presence_required) and category in (None, voter.category)
        assert (voter in chosen) == expected


@given(choices, st.sampled_from(list(rules.Majority)), st.booleans())
def test_tally(ballots, majority, abstentions_count):
    result = rules.tally(ballots, majority, abstentions_count=abstentions_count)
    yes, no, abstain = (ballots.count(c) for c in (YES, NO, ABSTAIN))
    assert result.counts == {YES: yes, NO: no, ABSTAIN: abstain}
    assert result.votes_cast == yes + no + (abstain if abstentions_count else 0)
    if majority == rules.Majority.MAJORITY:
        assert result.adopted == (yes > result.votes_cast - yes)
    else:
        assert result.adopted == (result.votes_cast > 0 and yes >= 2 * result.votes_cast / 3)
    if not abstentions_count:  # abstaining never changes the result
        assert rules.tally([c for c in ballots if c != ABSTAIN], majority, abstentions_count=False).adopted == result.adopted


def test_a_tie_is_not_a_majority_and_nobody_voting_adopts_nothing():
    assert not rules.tally([YES, NO], "majority", abstentions_count=False).adopted
    assert not rules.tally([ABSTAIN], "majority", abstentions_count=False).adopted
    assert rules.tally([YES, YES, NO], "two_thirds", abstentions_count=False).adopted
    assert not rules.tally([YES, YES, NO, ABSTAIN], "two_thirds", abstentions_count=True).adopted


@given(st.sampled_from(list(MeetingKind)), st.integers(2000, 2100), st.integers(1, 999))
def test_resolution_numbers(kind, year, number):
    text = rules.resolution_number(kind, year, number)
    prefix, y, n = text.split("-")
    assert (prefix, int(y), int(n)) == (rules.RESOLUTION_PREFIX[kind], year, number) and len(n) >= 2


@given(st.lists(st.tuples(st.sampled_from(rules.CHOICES), st.text(min_size=1, max_size=8)), max_size=40), st.integers())
def test_a_sealed_box_verifies_and_any_change_breaks_it(ballots, seed):
    vote_id = uuid.UUID(int=seed % 2**128)
    box = [(choice, rules.receipt_hash(vote_id, code)) for choice, code in ballots]
    published = rules.seal(vote_id, box, random.Random(seed))
    counts = rules.tally((b.choice for b in published), "majority", abstentions_count=False).counts
    head = rules.chain_head(vote_id, published)
    assert sorted((b.choice, b.receipt_hash) for b in published) == sorted(box)
    assert rules.verify_box(vote_id, published, head, counts) == []
    if published:
        i = seed % len(published)
        b = published[i]
        other = NO if b.choice != NO else YES
        changed = [*published[:i], rules.PublishedBallot(b.position, other, b.receipt_hash, b.chain_hash), *published[i + 1:]]
        assert rules.verify_box(vote_id, changed, head, counts)
        assert rules.verify_box(vote_id, published[:-1], head, counts)  # a ballot removed
        assert rules.verify_box(vote_id, published, head, {**counts, other: counts[other] + 1})


def test_shuffling_forgets_the_order_of_arrival():
    vote_id = uuid.uuid4()
    arrival = [(YES if i < 500 else NO, rules.receipt_hash(vote_id, str(i))) for i in range(1000)]
    published = rules.seal(vote_id, arrival, random.Random(7))
    first_half = [b.choice for b in published[:500]]
    assert 200 < first_half.count(YES) < 300  # about half of the 500 yes, not all of them


@given(st.integers(1, 500))
def test_a_board_quorum_is_a_majority_of_the_directors_that_all_of_them_can_reach(directors):
    needed = rules.board_quorum_needed(directors)
    assert needed * 2 > directors >= needed and (needed - 1) * 2 <= directors
