"""What a vote allows at each step of its life, as pure rules (vote_rules.check_*): a ballot only
while it is open and taken online, the room's count once, after the close and before the
certification, the certification once closed and, counted in the room, once its count is in."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.errors import RuleViolation
from governance.meetings import vote_rules

STATUSES = st.sampled_from(["draft", "open", "closed"])
MODES = st.sampled_from(list(vote_rules.Mode))


def allowed(check, *args, **kwargs) -> bool:
    try:
        check(*args, **kwargs)
    except RuleViolation as refused:
        assert refused.status == 409 and refused.detail
        return False
    return True


@given(STATUSES, MODES)
def test_a_ballot_counts_only_while_the_vote_is_open_and_taken_online(status, mode):
    assert allowed(vote_rules.check_ballot_taken, status, mode) == (status == "open" and mode != "hands")


@given(STATUSES, MODES, st.booleans(), st.booleans())
def test_the_rooms_count_is_entered_once_between_the_close_and_the_certification(status, mode, room_counted, certified):
    expected = mode in ("hands", "hybrid") and status == "closed" and not room_counted and not certified
    assert allowed(vote_rules.check_room_count_entered, status, mode, room_counted=room_counted, certified=certified) == expected


@given(STATUSES, MODES, st.booleans())
def test_a_result_is_certified_once_closed_and_counted(status, mode, room_counted):
    expected = status == "closed" and (mode in ("secret", "named") or room_counted)
    assert allowed(vote_rules.check_certifiable, status, mode, room_counted=room_counted) == expected


def test_each_refusal_says_why():
    with pytest.raises(RuleViolation, match="closed"):
        vote_rules.check_ballot_taken("closed", "secret")
    with pytest.raises(RuleViolation, match="show of hands"):
        vote_rules.check_ballot_taken("open", "hands")
