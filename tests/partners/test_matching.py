"""Matching a need with the active partners who fit, ranked (a pure rule), through the API and the page."""

from hypothesis import given
from hypothesis import strategies as st

from governance.partners import rules
from governance.partners.rules import Candidate, Need
from tests.conftest import sign_in
from tests.partners.helpers import activate, applied, coordinator_headers, pledge

AREAS = ["chronic_pain", "mental_health", "oncology", "relative_care"]
subsets = lambda values: st.frozensets(st.sampled_from(values), max_size=len(values))  # noqa: E731
candidates = st.lists(
    st.builds(
        Candidate, key=st.uuids(), number=st.integers(1, 10_000), contributions=subsets(list(rules.NEED_CONTRIBUTION.values()) + ["short_projects"]),
        areas=subsets(AREAS), languages=subsets(["fr", "en", "fi"]), availability=subsets(["weekend", "remote"]),
        minutes_this_year=st.integers(0, 10_000), seats=st.integers(0, 4), pledged=st.booleans(),
    ),
    max_size=25, unique_by=lambda c: c.number,
)
needs = st.builds(Need, kind=st.sampled_from(list(rules.NEED_CONTRIBUTION)), areas=subsets(AREAS), language=st.sampled_from([None, "fr", "en", "fi"]), availability=subsets(["weekend", "remote"]))


@given(needs, candidates, st.integers(1, 30), st.randoms())
def test_the_ranking_holds_every_partner_who_fits_and_nobody_else_best_first(need, people, limit, rng):
    ranked = rules.rank(need, people, limit)
    by_key = {c.key: c for c in people}
    fitting = [c for c in people if rules.fits(need, c)]
    assert len(ranked) == min(limit, len(fitting)) and len({m.key for m in ranked}) == len(ranked)
    for match in ranked:
        person = by_key[match.key]
        assert rules.NEED_CONTRIBUTION[need.kind] in person.contributions
        assert need.language is None or need.language in person.languages
        assert set(match.areas) == need.areas & person.areas and (match.areas or not need.areas)
    counts = [len(m.areas) for m in ranked]
    assert counts == sorted(counts, reverse=True)  # most of the wanted experience first
    if len(fitting) <= limit:
        assert {m.key for m in ranked} == {c.key for c in fitting}  # nobody who fits is left out
    shuffled = list(people)
    rng.shuffle(shuffled)
    assert rules.rank(need, shuffled, limit) == ranked  # the order of the input does not matter


def test_for_a_seat_a_valid_pledge_then_a_lighter_load_come_first():
    base = dict(contributions=frozenset({"committees"}), areas=frozenset({"oncology"}), languages=frozenset({"fr"}), availability=frozenset())
    busy = Candidate(key="busy", number=1, seats=2, pledged=True, **base)
    free = Candidate(key="free", number=2, seats=0, pledged=True, **base)
    unpledged = Candidate(key="unpledged", number=3, seats=0, pledged=False, **base)
    need = Need(kind="committee_seat", areas=frozenset({"oncology"}), language="fr")
    assert [m.key for m in rules.rank(need, [unpledged, busy, free])] == ["free", "busy", "unpledged"]
    review = Need(kind="document_review")
    assert rules.rank(review, [free]) == []  # they did not offer to review documents


async def test_the_coordinator_finds_the_partners_who_fit_through_the_api_and_the_page(client, program, settings):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    made = {}
    for name, areas, languages in (("Onco", ["oncology", "relative_care"], ["fr"]), ("Mental", ["mental_health"], ["fr", "en"]), ("English", ["oncology"], ["en"])):
        partner = await applied(client, settings, program, first_name=name, experience_areas=areas, languages=languages, contributions=["committees"])
        await activate(client, program, partner["id"], headers)
        made[name] = partner
    await pledge(client, program, made["Onco"]["id"], headers)
    waiting = await applied(client, settings, program, first_name="Waiting", experience_areas=["oncology"], contributions=["committees"])  # not active
    api = f"/api/t/{slug}/program/matches"
    found = (await client.get(api, params={"kind": "committee_seat", "areas": ["oncology", "relative_care"], "language": "fr"}, headers=headers)).json()
    assert [(p["first_name"], p["matching_areas"], p["pledged"]) for p in found] == [("Onco", ["oncology", "relative_care"], True)]
    everyone = (await client.get(api, params={"kind": "committee_seat"}, headers=headers)).json()
    assert {p["first_name"] for p in everyone} == {"Onco", "Mental", "English"} and waiting["id"] not in {p["id"] for p in everyone}
    assert (await client.get(api, params={"kind": "document_review"}, headers=headers)).json() == []
    bad = await client.get(api, params={"kind": "committee_seat", "areas": "astrology"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("areas")
    await sign_in(client, program, "partner_coordinator")
    shown = await client.get(f"/t/{slug}/program/matching", params={"kind": "committee_seat", "areas": "mental_health"})
    assert shown.status_code == 200 and made["Mental"]["last_name"] in shown.text and made["Onco"]["last_name"] not in shown.text
    refused = await client.get(f"/t/{slug}/program/matching", params={"kind": "nonsense"})
    assert refused.status_code == 422 and 'id="f-kind-error"' in refused.text
