"""The main menu: one entry per section, only the pages a person may open in their kind of
organisation, the current page found by its path."""

from hypothesis import given
from hypothesis import strategies as st

from backend import domains
from backend.domains import NavLink, menu

SECTION = "Rooms and billing"
LINKS = [
    NavLink("organisation", "Organisation", ("administrator",), "Organisation"),
    NavLink("people", "People", ("administrator",), "Organisation"),
    NavLink("members", "Members", ("administrator", "secretary"), kinds=("coop",)),
    NavLink("program", "Partner program", ("administrator", "partner_coordinator")),
    NavLink("billing", "Bookings", ("clinician", "administrator"), SECTION, ("coop",)),
    NavLink("billing/calendar", "Calendars", ("clinician", "treasurer"), SECTION, ("coop",)),
    NavLink("billing/mine", "My invoices", ("member",), "My invoices", ("coop",)),
]
ROLES = ("administrator", "secretary", "treasurer", "member", "clinician", "partner_coordinator")


def test_a_section_is_one_entry_listing_its_pages_and_the_current_one():
    entries = menu(LINKS, frozenset({"administrator", "clinician"}), "coop", "billing/calendar/rooms/1")
    assert [(e.label, e.path, e.current) for e in entries] == [
        ("Organisation", "organisation", False), ("Members", "members", False), ("Partner program", "program", False), (SECTION, "billing", True)]
    assert entries[-1].links == (("Bookings", "billing", False), ("Calendars", "billing/calendar", True))


def test_a_section_with_one_page_for_the_person_is_named_by_that_page():
    [entry] = menu(LINKS, frozenset({"treasurer"}), "coop", "")
    assert (entry.label, entry.path, entry.links) == ("Calendars", "billing/calendar", ())


def test_a_health_regions_program_shows_none_of_a_cooperatives_pages():
    entries = menu(LINKS, frozenset(ROLES), "partner_program", "program")
    assert [(e.label, e.current) for e in entries] == [("Organisation", False), ("Partner program", True)]


@given(st.frozensets(st.sampled_from(ROLES)), st.sampled_from(["coop", "partner_program"]), st.sampled_from(["", "people", "billing", "billing/mine", "billing/calendar/x", "nowhere"]))
def test_every_page_a_person_may_open_is_in_the_menu_once_and_one_entry_at_most_is_current(roles, kind, here):
    entries = menu(LINKS, roles, kind, here)
    reachable = [path for entry in entries for path in ([link for _, link, _ in entry.links] or [entry.path])]
    allowed = [link.path for link in LINKS if kind in link.kinds and roles & set(link.roles)]
    assert sorted(reachable) == sorted(allowed)
    assert sum(entry.current for entry in entries) <= 1


def test_a_person_starts_on_their_roles_landing_else_on_their_first_page(monkeypatch):
    monkeypatch.setattr(domains, "landings", lambda: [NavLink("program/pipeline", "Pipeline", ("partner_coordinator",))])
    monkeypatch.setattr(domains, "nav_links", lambda: LINKS)
    assert domains.landing(frozenset({"administrator", "partner_coordinator"}), "partner_program") == "program/pipeline"
    assert domains.landing(frozenset({"clinician"}), "coop") == "billing"
    assert domains.landing(frozenset({"clinician"}), "partner_program") is None
