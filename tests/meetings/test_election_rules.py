"""The rules of elections (plurality for N seats, single transferable vote, ties by lot),
property-tested without a database."""

import hashlib
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import election_rules as er


@st.composite
def elections(draw, method):
    k = draw(st.integers(1, 7))
    candidates = list(range(1, k + 1))
    seats = draw(st.integers(1, 5))
    if method == er.Method.PLURALITY:
        ballot = st.lists(st.sampled_from(candidates), unique=True, max_size=min(seats, k))
    else:
        ballot = st.permutations(candidates).flatmap(lambda p: st.integers(0, len(p)).map(lambda n: tuple(p[:n])))
    ballots = draw(st.lists(ballot, max_size=60))
    seed = draw(st.text("0123456789abcdef", min_size=8, max_size=32))
    return candidates, seats, [tuple(b) for b in ballots], seed


@given(elections(er.Method.PLURALITY))
def test_plurality_elects_the_top_n(case):
    candidates, seats, ballots, seed = case
    result = er.plurality(ballots, candidates, seats, seed)
    assert len(result.elected) == len(set(result.elected)) == min(seats, len(candidates))
    losers = [c for c in candidates if c not in result.elected]
    assert all(result.votes[w] >= result.votes[loser] for w in result.elected for loser in losers)
    assert sum(result.votes.values()) == sum(len(b) for b in ballots)
    assert result.valid + result.blank == len(ballots)
    # A draw happened exactly when a loser has as many marks as the last one elected.
    tie_at_the_line = bool(losers) and max(result.votes[c] for c in losers) == min(result.votes[w] for w in result.elected)
    assert bool(result.draws) == tie_at_the_line


@given(elections(er.Method.STV))
def test_stv_elects_exactly_the_seats_and_respects_the_quota(case):
    candidates, seats, ballots, seed = case
    result = er.stv(ballots, candidates, seats, seed)
    assert len(result.elected) == len(set(result.elected)) == min(seats, len(candidates))
    quota = er.droop_quota(result.valid, seats)
    assert result.quota == str(quota)
    for played in result.rounds:
        tallies = {int(c): Fraction(v) for c, v in played["tallies"].items()}
        if played["action"] == "elected":
            (chosen,) = played["candidates"]
            assert tallies[chosen] >= quota - Fraction(1, 10_000)  # shown to four decimals
            assert tallies[chosen] == max(tallies.values())
        elif played["action"] == "excluded":
            (chosen,) = played["candidates"]
            assert all(v < quota for v in tallies.values())
            assert tallies[chosen] == min(tallies.values())
        # No vote is created or lost: what the candidates hold plus the exhausted ballots never
        # exceeds the valid ballots (surpluses of those elected have left the count).
        assert sum(tallies.values()) + Fraction(played["exhausted"]) <= result.valid + Fraction(1, 1000)
    # The quota can be reached by at most `seats` candidates: Droop's property.
    assert quota * (seats + 1) > result.valid


@given(elections(er.Method.STV))
def test_the_count_is_reproducible_from_the_recorded_seed(case):
    candidates, seats, ballots, seed = case
    choices = [er.encode(er.Method.STV, b) for b in ballots]
    record = er.count(er.Method.STV, choices, candidates, seats, seed).record()
    assert er.verify(record, choices, seed) == []
    if not record["draws"]:  # the seed matters only to a tie
        assert er.verify(record, choices, seed + "0") == []


def test_a_missing_ballot_is_found_by_the_verification():
    choices = ["1>2", "1>2", "2>1", er.BLANK]
    record = er.count("stv", choices, [1, 2], 1, "abc").record()
    assert er.verify(record, choices, "abc") == []
    assert er.verify(record, choices[:-1], "abc") == ["the recorded blank of the election differ from the recount"]
    assert "elected" in er.verify(record, ["2>1"] * 3 + [er.BLANK], "abc")[0]


@given(st.lists(st.integers(1, 50), unique=True, min_size=1), st.text(min_size=1), st.text())
def test_a_draw_by_lot_is_a_reproducible_permutation(numbers, seed, context):
    order = er.lot_order(seed, context, numbers)
    assert sorted(order) == sorted(numbers)
    assert er.lot_order(seed, context, list(reversed(numbers))) == order


def test_a_draw_by_lot_can_be_redone_by_hand_with_sha256():
    seed = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    keys = {n: hashlib.sha256(f"solidaire-lot|{seed}|plurality|{n}".encode()).hexdigest() for n in (1, 2, 3)}
    result = er.plurality([(1,), (2,), (3,)], [1, 2, 3], 2, seed)
    assert result.elected == sorted(keys, key=keys.get)[:2]
    assert result.draws == [{"context": "plurality", "tied": [1, 2, 3], "order": sorted(keys, key=keys.get), "seats": 2}]


def test_stv_transfers_the_surplus_at_a_fraction_of_its_weight():
    # 2 seats, 9 ballots: quota 4. Ann has 6 first preferences: surplus 2 moves at 2/6 each.
    ballots = [(1, 2)] * 4 + [(1, 3)] * 2 + [(3,)] * 2 + [(2,)] * 1
    result = er.stv(ballots, [1, 2, 3], 2, "seed")
    assert result.quota == "4"
    assert result.rounds[0]["action"] == "elected" and result.rounds[0]["candidates"] == [1]
    # Round 2: Bob 1 + 4 x 1/3 = 2.3333; Chloé 2 + 2 x 1/3 = 2.6667: nobody at the quota, Bob out.
    assert result.rounds[1]["tallies"] == {"2": "2.3333", "3": "2.6667"}
    assert result.rounds[1]["action"] == "excluded" and result.rounds[1]["candidates"] == [2]
    assert result.elected == [1, 3]


def test_stv_with_one_seat_is_instant_runoff():
    ballots = [(1,)] * 4 + [(2, 3)] * 2 + [(3, 2)] * 3
    result = er.stv(ballots, [1, 2, 3], 1, "x")
    assert result.elected == [3]  # Bob excluded, his 2 go to Chloé: 5 of 9


def test_ballot_problems():
    assert er.ballot_problem("plurality", [1, 2], [1, 2, 3], 2) is None
    assert er.ballot_problem("plurality", [1, 2, 3], [1, 2, 3], 2) == "too_many"
    assert er.ballot_problem("stv", [1, 2, 3], [1, 2, 3], 1) is None
    assert er.ballot_problem("stv", [1, 1], [1, 2], 1) == "twice"
    assert er.ballot_problem("stv", [4], [1, 2], 1) == "unknown"
    assert er.decode("stv", er.encode("stv", [3, 1, 2])) == (3, 1, 2)
    assert er.decode("plurality", er.encode("plurality", [3, 1])) == (1, 3)
    assert er.decode("plurality", er.encode("plurality", [])) == ()


# --- the seed committed to at the opening ------------------------------------------------------


@given(st.text(min_size=1, max_size=64))
def test_the_commitment_of_a_seed_is_its_sha256_and_checks_only_that_seed(seed):
    commitment = er.seed_commitment(seed)
    assert commitment == hashlib.sha256(seed.encode()).hexdigest() and len(commitment) == 64
    assert er.commitment_faults(seed, commitment) == []
    assert er.commitment_faults(seed, commitment.upper()) == []  # (hexadecimal, however it was copied)
    assert er.commitment_faults(seed + "0", commitment) != []
    assert er.commitment_faults(None, commitment) != []  # a commitment without its seed


@given(st.text(min_size=1, max_size=64), st.text(min_size=1, max_size=64))
def test_no_other_seed_fits_a_commitment(seed, other):
    faults = er.commitment_faults(other, er.seed_commitment(seed))
    assert (faults == []) == (other == seed)
    if faults:
        assert "commitment" in faults[0]


@given(st.one_of(st.none(), st.text(max_size=64)))
def test_an_election_opened_before_commitments_has_nothing_to_check(seed):
    assert er.commitment_faults(seed, None) == []
