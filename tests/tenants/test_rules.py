"""The register's rules, property-tested without a database."""

import datetime as dt
import unicodedata

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from backend.i18n import LANGUAGES, negotiate, supported
from governance.members import rules
from governance.members.documents import CSV_COLUMNS, parse_import, register_csv
from governance.members.rules import TRANSITIONS, MemberStatus
from governance.members.schemas import Admission
from tenants import rules as tenant_rules

TERMINAL = {MemberStatus.RESIGNED, MemberStatus.EXCLUDED, MemberStatus.DECEASED}


@given(st.sampled_from(list(MemberStatus)), st.sampled_from(list(MemberStatus)))
def test_transitions(current, target):
    allowed = rules.can_change_status(current, target)
    if current in TERMINAL or target == MemberStatus.APPLICANT or current == target:
        assert not allowed
    if current in {MemberStatus.ACTIVE, MemberStatus.SUSPENDED} and target in TERMINAL:
        assert allowed


def test_every_status_is_reachable_from_applicant():
    reached, frontier = {MemberStatus.APPLICANT}, [MemberStatus.APPLICANT]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(MemberStatus)


@given(st.text())
def test_search_key_is_lower_case_accent_free_and_stable(text):
    key = rules.search_key(text)
    assert rules.search_key(key) == key
    assert not any(unicodedata.combining(c) for c in key)
    assert key == key.casefold()


def test_search_key_finds_accented_names_either_way():
    assert rules.search_key("Ève", "CÔTÉ", None, 12) == "eve cote 12"
    assert "cote" in rules.search_key("Côté") and "hameenlinna" in rules.search_key("Hämeenlinna")


@given(st.integers(0, 100), st.integers(0, 100))
def test_qualifying_shares(subscribed, qualifying):
    assert rules.holds_qualifying_shares(subscribed, qualifying) == (subscribed >= qualifying)


@given(st.one_of(st.none(), st.text(max_size=20)), st.text(max_size=60))
def test_negotiation_always_gives_a_supported_language(preference, header):
    assert negotiate(preference, accept_language=header) in LANGUAGES


def test_negotiation_order():
    assert negotiate(None, accept_language="de, en-US;q=0.9, fi;q=0.95") == "fi"
    assert negotiate("en", accept_language="fi") == "en_CA"
    assert negotiate(None, accept_language="de", fallback="fi") == "fi"
    assert negotiate(None) == "fr_CA" and supported("fr-BE") == "fr_CA" and supported("xx") is None


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).map(str.strip).filter(bool)
admissions = st.builds(
    Admission,
    first_name=names,
    last_name=names,
    email=st.one_of(st.none(), st.emails().filter(lambda e: len(e) < 200)),
    phone=st.one_of(st.none(), st.from_regex(r"\A\+?[0-9][0-9 ]{5,13}[0-9]\Z")),
    street=names,
    city=names,
    region=st.sampled_from(["QC", "Uusimaa"]),
    postal_code=st.sampled_from(["G9N 8K9", "00290"]),
    country=st.sampled_from(["CA", "FI"]),
    language=st.sampled_from(list(LANGUAGES)),
    category=st.sampled_from(["user", "worker", "supporting"]),
    status=st.sampled_from(["applicant", "active"]),
    shares_subscribed=st.integers(0, 50),
    shares_paid=st.integers(0, 50),
    admitted_on=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
    admission_resolution=st.one_of(st.none(), st.from_regex(r"\ACA-20[0-9]{2}-[0-9]{2}\Z")),
    consent_contact=st.booleans(),
    consent_publish_name=st.booleans(),
    consent_photos=st.booleans(),
    consent_research=st.booleans(),
)


@given(st.lists(admissions, min_size=1, max_size=8))
def test_an_exported_register_imports_back_unchanged(entries):
    """CSV export then import is lossless (fields are trimmed, as a form would)."""
    rows = [{**msgspec.structs.asdict(a), "number": i + 1, "status_since": a.admitted_on} for i, a in enumerate(entries)]
    count, parsed, errors = parse_import(register_csv(rows))
    assert errors == [] and count == len(entries)
    assert [admission for _, admission in parsed] == entries


def test_an_empty_registers_export_is_refused_as_an_import():
    """Its header alone: there is nobody to import (an empty file is refused, not imported as nothing)."""
    count, parsed, errors = parse_import(register_csv([]))
    assert (count, parsed, [(e.line, e.field) for e in errors]) == (0, [], [(2, "")])


def test_import_reports_every_bad_line():
    header = ",".join(["last_name", "first_name", "street", "city", "region", "postal_code", "category", "admitted_on", "shares_subscribed"])
    good = "Côté,Ève,1 rue A,Shawinigan,QC,G9N 1A1,user,2024-05-01,1"
    text = "\n".join([header, good, "Roy,,1 rue B,Shawinigan,QC,G9N 1A1,user,2024-05-01,1", good, "Roy,Léa,1 rue C,Shawinigan,QC,G9N 1A1,user,01/05/2024,1", "Roy,Léa,1 rue C,Shawinigan,QC,G9N 1A1,boss,2024-05-01,deux"])
    count, parsed, errors = parse_import(text)
    assert count == 5 and len(parsed) == 2
    assert [(e.line, e.field) for e in errors] == [(3, "first_name"), (5, "admitted_on"), (6, "category")]
    assert set(CSV_COLUMNS) >= set(header.split(","))


@given(st.text(max_size=70))
def test_a_valid_slug_is_safe_in_a_url_path(slug):
    if tenant_rules.is_valid_slug(slug):
        assert slug == slug.lower() and "/" not in slug and "\x00" not in slug and 1 <= len(slug) <= 63
        assert not slug.startswith("-") and not slug.endswith("-")


def test_slugs():
    assert tenant_rules.is_valid_slug("coop-shawinigan") and tenant_rules.is_valid_slug("hus")
    assert not any(tenant_rules.is_valid_slug(s) for s in ["", "-x", "x-", "Coop", "a b", "a\x00b", "é", "x" * 64])


MOMENT = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
# Instants within two weeks of MOMENT, to the minute: either side of a link's 7 days.
moments = st.one_of(st.none(), st.integers(-20_160, 20_160).map(lambda minutes: MOMENT + dt.timedelta(minutes=minutes)))


@given(invited=moments, sent=moments, revoked=moments, accepted=moments, deactivated=moments)
def test_a_logins_standing_deactivated_first_then_a_waiting_invitation_and_its_link(invited, sent, revoked, accepted, deactivated):
    status = tenant_rules.login_status(
        invited_at=invited, sent_at=sent, revoked_at=revoked, accepted_at=accepted, deactivated_at=deactivated,
        link_lifetime=tenant_rules.WELCOME_LINK_LIFETIME, moment=MOMENT,
    )
    waiting = invited is not None and accepted is None and revoked is None
    if deactivated is not None:
        assert status == tenant_rules.LoginStatus.DEACTIVATED
    elif not waiting:
        assert status == tenant_rules.LoginStatus.ACTIVE  # accepted, revoked, or never invited (the operator's command)
    elif sent is not None and sent + tenant_rules.WELCOME_LINK_LIFETIME > MOMENT:
        assert status == tenant_rules.LoginStatus.INVITED
    else:
        assert status == tenant_rules.LoginStatus.INVITATION_EXPIRED
    assert tenant_rules.is_pending_invitation(status) == (waiting and deactivated is None)
