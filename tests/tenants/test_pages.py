"""The server-rendered pages of a tenant: sign-in, languages, home, the register, admission,
status changes, corrections, the import, my profile and the PDF of the register."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser

import httpx
import msgspec

from backend import db, web
from backend.context import Context
from backend.i18n import activate, reset
from governance.members.documents import CSV_COLUMNS
from governance.members.schemas import Admission
from governance.members.services import MemberRegister
from solidaire.app import create_app
from tenants.services import TenantInfo
from tests.conftest import PASSWORD, admission, bearer, sign_in

HTML = "text/html"


# --- helpers ---------------------------------------------------------------------------------


def csrf(client) -> str:
    return client.cookies["csrftoken"]


async def post_form(client, url: str, data: dict, **kwargs):
    return await client.post(url, data={**data, "_csrf_token": csrf(client)}, **kwargs)


def form_data(**overrides) -> dict:
    """An admission as the form sends it: strings, ticked boxes as "on", unticked ones absent."""
    values = {key: str(value) for key, value in admission(**overrides).items() if value is not None}
    return values


async def admit_by_api(client, world, headers, **overrides) -> dict:
    response = await client.post(f"/api/t/{world.tenant.slug}/members", json=admission(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def register_total(client, world, headers) -> int:
    response = await client.get(f"/api/t/{world.tenant.slug}/members", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["total"]


async def link_member(database, world, role: str = "member", **overrides) -> dict:
    """Admits a member whose entry is linked to the login of `role` (not exposed by the API)."""
    async with db.tenant_transaction(database.app, world.tenant.id, write=True):
        entry = msgspec.convert(admission(**overrides), Admission)
        return await MemberRegister(Context(world.tenant)).admit(entry, user_id=world.users[role])


class FormControls(HTMLParser):
    """Collects the form controls and labels of a page, to check that each control is labelled."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.label_targets: list[str] = []
        self.ids: list[str] = []
        self.open_labels = 0
        self.html_lang: str | None = None
        self.mains = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "main":
            self.mains += 1
        if tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_targets.append(attributes["for"])
        if tag in ("input", "select", "textarea"):
            if tag == "input" and attributes.get("type") in ("hidden", "submit", "button", "reset", "image"):
                return
            self.controls.append({**attributes, "tag": tag, "wrapped": self.open_labels > 0})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def assert_accessible(html: str) -> FormControls:
    """Every control has a label, every label points at a control, ids are unique, one <main>."""
    page = FormControls()
    page.feed(html)
    assert page.html_lang, "the page has no language"
    assert page.mains == 1
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    for control in page.controls:
        assert control["wrapped"] or control.get("id") in page.label_targets, f"unlabelled control: {control}"
    ids = set(page.ids)
    for target in page.label_targets:
        assert target in ids, f"a label points at no control: {target}"
    for control in page.controls:
        for described in (control.get("aria-describedby") or "").split():
            assert described in ids, f"aria-describedby points nowhere: {described}"
    return page


def field_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def rows_of(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>")


# --- sign-in and languages -------------------------------------------------------------------


async def test_login_page_is_french_by_default(client, make_tenant):
    world = await make_tenant()
    response = await client.get(f"/t/{world.tenant.slug}/login")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(HTML)
    html = response.text
    assert '<html lang="fr">' in html
    assert "<h1>Se connecter</h1>" in html
    assert "Courriel" in html and "Mot de passe" in html
    assert 'name="_csrf_token"' in html and csrf(client)
    assert f'action="/t/{world.tenant.slug}/login"' in html
    assert 'autocomplete="username"' in field_tag(html, "email")
    assert 'type="email"' in field_tag(html, "email")
    assert 'href="/static/solidaire.css"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert world.tenant.name in html
    assert_accessible(html)


async def test_login_page_follows_the_browser_language(client, make_tenant):
    world = await make_tenant()
    english = await client.get(f"/t/{world.tenant.slug}/login", headers={"accept-language": "en-CA,en;q=0.9"})
    assert '<html lang="en">' in english.text
    assert "<h1>Sign in</h1>" in english.text and "Password" in english.text
    finnish = await client.get(f"/t/{world.tenant.slug}/login", headers={"accept-language": "fi-FI, fi;q=0.9, en;q=0.5"})
    assert '<html lang="fi">' in finnish.text
    assert "<h1>Kirjaudu sisään</h1>" in finnish.text and "Salasana" in finnish.text and "Sähköposti" in finnish.text
    german = await client.get(f"/t/{world.tenant.slug}/login", headers={"accept-language": "de-DE"})
    assert "<h1>Se connecter</h1>" in german.text  # unsupported: the organisation's language


async def test_the_language_switcher_remembers_the_choice(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    login = await client.get(f"/t/{slug}/login")
    assert 'name="language"' in login.text and f'action="/t/{slug}/language"' in login.text
    assert '<option value="fi" lang="fi">Suomi</option>' in login.text
    assert f'name="next" value="/t/{slug}/login"' in login.text
    switched = await post_form(client, f"/t/{slug}/language", {"language": "fi", "next": f"/t/{slug}/login"})
    assert switched.status_code in (302, 303)
    assert switched.headers["location"] == f"/t/{slug}/login"
    assert client.cookies["solidaire_lang"] == "fi"
    finnish = await client.get(f"/t/{slug}/login")
    assert "<h1>Kirjaudu sisään</h1>" in finnish.text
    assert '<option value="fi" lang="fi" selected>Suomi</option>' in finnish.text
    # The cookie wins over the browser's language.
    assert "Kirjaudu sisään" in (await client.get(f"/t/{slug}/login", headers={"accept-language": "en"})).text
    # Elsewhere than this tenant, the switcher goes home instead.
    away = await post_form(client, f"/t/{slug}/language", {"language": "en_CA", "next": "https://evil.example/"})
    assert away.headers["location"] == f"/t/{slug}/"
    refused = await post_form(client, f"/t/{slug}/language", {"language": "de", "next": f"/t/{slug}/login"})
    assert refused.status_code == 422
    assert "This language is not offered." in refused.text  # English now, by the cookie
    assert client.cookies["solidaire_lang"] == "en_CA"


async def test_a_form_without_the_csrf_token_is_refused(client, make_tenant):
    world = await make_tenant()
    await client.get(f"/t/{world.tenant.slug}/login")
    response = await client.post(f"/t/{world.tenant.slug}/login", data={"email": world.emails["member"], "password": PASSWORD})
    assert response.status_code == 403
    assert "solidaire_session" not in client.cookies


async def test_a_wrong_password_shows_the_form_again_in_french(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    await client.get(f"/t/{slug}/login")
    response = await post_form(client, f"/t/{slug}/login", {"email": world.emails["secretary"], "password": "wrong", "next": f"/t/{slug}/members"})
    assert response.status_code == 422
    html = response.text
    assert "L’adresse courriel ou le mot de passe est erroné." in html
    assert 'role="alert"' in html
    assert f'value="{world.emails["secretary"]}"' in field_tag(html, "email")
    assert 'aria-invalid="true"' in field_tag(html, "password")
    assert f'name="next" value="/t/{slug}/members"' in html
    assert "solidaire_session" not in client.cookies
    assert_accessible(html)


async def test_signing_in_leads_home_and_signing_out_leaves(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    guarded = await client.get(f"/t/{slug}/members")
    assert guarded.status_code in (302, 303)
    assert guarded.headers["location"] == f"/t/{slug}/login?next=%2Ft%2F{slug}%2Fmembers"
    await sign_in(client, world, "secretary")
    home = await client.get(f"/t/{slug}/")
    assert home.status_code == 200
    html = home.text
    assert "Bienvenue, Secretary" in html
    assert f'href="/t/{slug}/members"' in html and f'href="/t/{slug}/me"' in html
    assert f'action="/t/{slug}/logout"' in html and "Se déconnecter" in html
    assert f'href="/t/{slug}/members/new"' in html and f'href="/t/{slug}/members/import"' in html
    assert f'href="/api/t/{slug}/register.csv"' in html and f'href="/api/t/{slug}/register.pdf"' in html
    assert_accessible(html)
    out = await post_form(client, f"/t/{slug}/logout", {})
    assert out.status_code in (302, 303) and out.headers["location"] == f"/t/{slug}/login"
    assert (await client.get(f"/t/{slug}/")).status_code in (302, 303)


async def test_home_counts_the_register_by_status_and_category(client, make_tenant):
    world = await make_tenant(categories=("user", "worker"))
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    for _ in range(3):
        await admit_by_api(client, world, headers, category="user")
    await admit_by_api(client, world, headers, category="worker", status="applicant")
    await sign_in(client, world, "treasurer")
    html = (await client.get(f"/t/{slug}/")).text
    assert "Membre utilisateur" in html and "Membre travailleur" in html and "Membre de soutien" not in html
    assert f'href="/t/{slug}/members?status=active&amp;category=user">3</a>' in html
    assert f'href="/t/{slug}/members?status=applicant&amp;category=worker">1</a>' in html
    assert "4 inscriptions au registre." in html
    assert f'href="/t/{slug}/members?category=user">3</a>' in html  # per category, all statuses
    assert f'href="/t/{slug}/members?category=worker">1</a>' in html
    assert_accessible(html)
    # A treasurer reads the register but does not keep it.
    assert f'href="/t/{slug}/members/new"' not in html
    assert f'href="/api/t/{slug}/register.pdf"' in html


async def test_a_member_sees_their_own_entry_at_home(client, make_tenant, database):
    world = await make_tenant()
    entry = await link_member(database, world, shares_subscribed=3, shares_paid=2)
    await sign_in(client, world, "member")
    html = (await client.get(f"/t/{world.tenant.slug}/")).text
    assert "Votre adhésion" in html
    assert f"<dd>{entry['number']}</dd>" in html and "Actif" in html and "Membre utilisateur" in html
    assert f'href="/t/{world.tenant.slug}/members"' not in html  # not a register reader
    assert "register.pdf" not in html


# --- the register ----------------------------------------------------------------------------


async def test_the_member_list_searches_filters_and_pages(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    for n in range(55):
        await admit_by_api(client, world, headers, last_name=f"Côté {n:02d}", category="user")
    for n in range(5):
        await admit_by_api(client, world, headers, first_name="Jussi", last_name=f"Tremblay {n}", category="worker", status="applicant", shares_subscribed=0, shares_paid=0)
    await sign_in(client, world, "secretary")

    first = await client.get(f"/t/{slug}/members")
    assert first.status_code == 200
    html = first.text
    assert "60 membres trouvés." in html
    assert rows_of(html) == 50
    assert "Page 1 de 2" in html
    assert f'href="/t/{slug}/members?page=2" rel="next"' in html
    assert 'rel="prev"' not in html
    assert f'href="/t/{slug}/members/new"' in html
    assert_accessible(html)

    second = await client.get(f"/t/{slug}/members", params={"page": 2})
    assert rows_of(second.text) == 10 and 'rel="prev"' in second.text and 'rel="next"' not in second.text

    found = await client.get(f"/t/{slug}/members", params={"q": "tremblay"})
    assert "5 membres trouvés." in found.text and rows_of(found.text) == 5
    assert 'value="tremblay"' in field_tag(found.text, "q")
    assert f'name="next" value="/t/{slug}/members?q=tremblay"' in found.text  # the language switcher stays here
    assert "Tremblay 0, Jussi" in found.text
    assert "Candidat" in found.text and "Membre travailleur" in found.text

    accents = await client.get(f"/t/{slug}/members", params={"q": "cote 07"})
    assert "1 membre trouvé." in accents.text and "Côté 07, Ève" in accents.text

    users = await client.get(f"/t/{slug}/members", params={"category": "user"})
    assert "55 membres trouvés." in users.text and rows_of(users.text) == 50
    assert '<option value="user" selected>' in users.text
    assert f'href="/t/{slug}/members?category=user&amp;page=2" rel="next"' in users.text
    last = await client.get(f"/t/{slug}/members", params={"category": "user", "page": 2})
    assert rows_of(last.text) == 5

    applicants = await client.get(f"/t/{slug}/members", params={"status": "applicant", "category": "worker"})
    assert "5 membres trouvés." in applicants.text
    assert '<option value="applicant" selected>' in applicants.text

    nobody = await client.get(f"/t/{slug}/members", params={"q": "personne"})
    assert "0 membre trouvé." in nobody.text and "Aucun membre ne correspond à cette recherche." in nobody.text

    english = await client.get(f"/t/{slug}/members", headers={"accept-language": "en"}, params={"status": "applicant"})
    # The session's user has no locale and no cookie: the browser's language applies.
    assert "5 members found." in english.text and "Applicant" in english.text


async def test_the_member_list_is_for_register_readers(client, make_tenant):
    world = await make_tenant()
    await sign_in(client, world, "member")
    response = await client.get(f"/t/{world.tenant.slug}/members")
    assert response.status_code == 403
    assert "Vous n’avez pas le droit de faire ceci." in response.text
    assert_accessible(response.text)


async def test_admitting_a_member_through_the_form(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    await sign_in(client, world, "secretary")
    form = await client.get(f"/t/{slug}/members/new")
    assert form.status_code == 200
    html = form.text
    for name in Admission.__struct_fields__:
        assert f'name="{name}"' in html, name
    assert 'type="date"' in field_tag(html, "admitted_on")
    assert 'type="number"' in field_tag(html, "shares_subscribed") and 'min="0"' in field_tag(html, "shares_paid")
    assert 'type="checkbox"' in field_tag(html, "consent_research")
    assert 'value="CA"' in field_tag(html, "country")
    assert '<option value="fr_CA" selected>' in html
    assert_accessible(html)

    data = form_data(first_name="Gérald", last_name="Lafleur", admitted_on="2024-05-01", admission_resolution="CA-2024-05", consent_contact="on")
    created = await post_form(client, f"/t/{slug}/members/new", data)
    assert created.status_code in (302, 303), created.text
    location = created.headers["location"]
    assert re.fullmatch(rf"/t/{slug}/members/[0-9a-f-]{{36}}", location)

    page = await client.get(location)
    assert page.status_code == 200
    html = page.text
    assert "Gérald Lafleur" in html and "CA-2024-05" in html
    assert "Inscrit au registre" in html  # the first status change, translated
    assert "1 mai 2024" in html
    assert_accessible(html)
    headers = await bearer(client, world, "secretary")
    entry = (await client.get(f"/api/t/{slug}/members", headers=headers, params={"q": "lafleur"})).json()["items"][0]
    assert entry["consent_contact"] is True and entry["consent_photos"] is False
    assert entry["admitted_on"] == "2024-05-01" and entry["status"] == "active"


async def test_a_refused_admission_shows_the_errors_and_writes_nothing(client, make_tenant):
    world = await make_tenant(categories=("user", "worker"))
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    await sign_in(client, world, "secretary")

    data = form_data(first_name="Ève", consent_photos="on")
    del data["last_name"]
    missing = await post_form(client, f"/t/{slug}/members/new", data)
    assert missing.status_code == 422
    html = missing.text
    assert 'role="alert"' in html
    assert "Ce champ est obligatoire." in html
    last_name = field_tag(html, "last_name")
    assert 'aria-invalid="true"' in last_name and 'aria-describedby="f-last_name-error"' in last_name
    assert 'id="f-last_name-error"' in html
    assert 'href="#f-last_name"' in html  # the summary links to the field
    assert 'value="Ève"' in field_tag(html, "first_name")  # what was typed is kept
    assert "checked" in field_tag(html, "consent_photos") and "checked" not in field_tag(html, "consent_research")
    assert 'aria-invalid' not in field_tag(html, "first_name")
    assert_accessible(html)

    other = await post_form(client, f"/t/{slug}/members/new", form_data(category="supporting"))
    assert other.status_code == 422
    assert "Choisissez parmi\u00a0: Membre utilisateur, Membre travailleur." in other.text
    assert 'aria-invalid="true"' in field_tag(other.text, "category")
    assert '<option value="supporting"' not in other.text

    unknown = await post_form(client, f"/t/{slug}/members/new", form_data(category="alien"))
    assert unknown.status_code == 422
    assert "Choisissez une des valeurs permises." in unknown.text
    assert 'aria-invalid="true"' in field_tag(unknown.text, "category")

    shares = await post_form(client, f"/t/{slug}/members/new", form_data(shares_subscribed="1", shares_paid="2"))
    assert shares.status_code == 422
    assert "Ne peut dépasser les parts souscrites." in shares.text
    assert 'aria-invalid="true"' in field_tag(shares.text, "shares_paid")

    assert await register_total(client, world, headers) == 0


async def test_a_duplicate_email_is_a_conflict(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    first = await admit_by_api(client, world, headers)
    await sign_in(client, world, "secretary")
    response = await post_form(client, f"/t/{slug}/members/new", form_data(email=first["email"].upper()))
    assert response.status_code == 409
    assert "Déjà utilisé par un autre membre." in response.text
    assert 'aria-invalid="true"' in field_tag(response.text, "email")
    assert await register_total(client, world, headers) == 1


async def test_changing_a_status_through_the_member_page(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    member = await admit_by_api(client, world, headers, admitted_on="2024-01-15")
    url = f"/t/{slug}/members/{member['id']}"
    await sign_in(client, world, "secretary")

    page = await client.get(url)
    html = page.text
    assert f'action="{url}/status"' in html and f'href="{url}/edit"' in html
    options = re.findall(r'<option value="([a-z]+)"', html.split(f'action="{url}/status"', 1)[1])
    assert options == ["deceased", "excluded", "resigned", "suspended"]
    today = world.tenant.today().isoformat()
    assert f'value="{today}"' in field_tag(html, "effective_on")
    assert_accessible(html)

    too_early = await post_form(client, f"{url}/status", {"status": "suspended", "effective_on": "2023-12-31", "reason": "Trop tôt"})
    assert too_early.status_code == 422
    assert "Entrez une date égale ou postérieure au 15 janvier 2024." in too_early.text
    assert 'aria-invalid="true"' in field_tag(too_early.text, "effective_on")
    assert "Trop tôt" in too_early.text  # the reason is kept
    assert 'value="suspended" selected' in too_early.text

    reason = "Résolution CA-2024-07 : 100% des parts impayées <b>"
    changed = await post_form(client, f"{url}/status", {"status": "suspended", "effective_on": "2024-06-01", "reason": reason})
    assert changed.status_code in (302, 303), changed.text
    assert changed.headers["location"] == url
    html = (await client.get(url)).text
    assert "Suspendu" in html
    assert "Résolution CA-2024-07 : 100% des parts impayées &lt;b&gt;" in html  # as typed, escaped
    assert "Inscrit au registre" in html
    assert rows_of(html.split("Historique des statuts", 1)[1]) == 2
    assert (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=headers)).json()["status"] == "suspended"

    final = await post_form(client, f"{url}/status", {"status": "deceased", "effective_on": "2024-07-01", "reason": "Avis de décès"})
    assert final.status_code in (302, 303)
    html = (await client.get(url)).text
    assert "Décédé" in html and f'action="{url}/status"' not in html
    assert "Ce statut est définitif" in html

    # A treasurer reads the entry but has neither form.
    await sign_in(client, world, "treasurer")
    html = (await client.get(url)).text
    assert "Décédé" in html and f'href="{url}/edit"' not in html and "/status" not in html


async def test_correcting_an_entry(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    member = await admit_by_api(client, world, headers, phone="819 555-0101", consent_photos=True)
    url = f"/t/{slug}/members/{member['id']}"
    await sign_in(client, world, "secretary")
    form = await client.get(f"{url}/edit")
    assert form.status_code == 200
    html = form.text
    assert 'value="Côté"' in field_tag(html, "last_name")
    assert 'value="819 555-0101"' in field_tag(html, "phone")
    assert "checked" in field_tag(html, "consent_photos") and "checked" not in field_tag(html, "consent_contact")
    assert '<option value="user" selected>' in html
    assert_accessible(html)

    values = {name: member[name] for name in ("first_name", "last_name", "email", "street", "city", "region", "postal_code", "country", "language", "category")}
    values.update(shares_subscribed="2", shares_paid="1", phone="", city="Trois-Rivières", consent_contact="on")
    saved = await post_form(client, f"{url}/edit", values)
    assert saved.status_code in (302, 303), saved.text
    entry = (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=headers)).json()
    assert entry["city"] == "Trois-Rivières" and entry["phone"] is None and entry["shares_subscribed"] == 2
    assert entry["consent_contact"] is True and entry["consent_photos"] is False

    refused = await post_form(client, f"{url}/edit", {**values, "shares_paid": "5", "first_name": ""})
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=headers)).json()["shares_paid"] == 1

    # Blanking a required field is refused, not silently ignored.
    blanked = await post_form(client, f"{url}/edit", {**values, "city": ""})
    assert blanked.status_code == 422 and 'aria-invalid="true"' in field_tag(blanked.text, "city")
    assert (await client.get(f"/api/t/{slug}/members/{member['id']}", headers=headers)).json()["city"] == "Trois-Rivières"


async def test_a_field_sent_twice_is_refused_not_a_crash(client, make_tenant):
    world = await make_tenant()
    await client.get(f"/t/{world.tenant.slug}/login")
    response = await client.post(
        f"/t/{world.tenant.slug}/language",
        content="language=fi&language=en_CA&_csrf_token=" + client.cookies["csrftoken"],
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422


async def test_an_unknown_organisation_is_a_translated_404(client):
    response = await client.get("/t/no-such-coop/login")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(HTML)
    assert "<h1>Introuvable.</h1>" in response.text and "Aucune organisation n’a cette adresse." in response.text
    assert_accessible(response.text)


async def test_an_unknown_member_is_a_translated_404(client, make_tenant):
    world = await make_tenant()
    await sign_in(client, world, "secretary")
    response = await client.get(f"/t/{world.tenant.slug}/members/00000000-0000-4000-8000-000000000000", headers={"accept-language": "fi"})
    assert response.status_code == 404
    assert "Ei löytynyt." in response.text
    assert "Tämän organisaation jäsenistä kenelläkään ei ole tätä tunnistetta." in response.text
    assert f'href="/t/{world.tenant.slug}/"' in response.text


# --- the import ------------------------------------------------------------------------------


def csv_text(*rows: dict) -> str:
    columns = ["last_name", "first_name", "street", "city", "region", "postal_code", "category", "email", "shares_subscribed", "shares_paid", "consent_contact"]
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(str(row.get(column, "")) for column in columns))
    return "\n".join(lines) + "\n"


def csv_row(**overrides) -> dict:
    values = admission()
    values.update(street="12 rue Principale", consent_contact="oui")
    return {**values, **overrides}


async def test_the_import_page_checks_a_file_before_importing_it(client, make_tenant):
    world = await make_tenant(categories=("user", "worker"))
    slug = world.tenant.slug
    headers = await bearer(client, world, "secretary")
    await sign_in(client, world, "secretary")
    page = await client.get(f"/t/{slug}/members/import")
    assert page.status_code == 200
    html = page.text
    assert 'enctype="multipart/form-data"' in html and 'accept=".csv' in html
    assert "checked" in field_tag(html, "dry_run")
    for column in CSV_COLUMNS:
        assert f"<code>{column}</code>" in html, column
    assert_accessible(html)

    good = csv_text(csv_row(last_name="Abel"), csv_row(last_name="Bédard", category="worker"))
    dry = await client.post(
        f"/t/{slug}/members/import",
        data={"dry_run": "on", "_csrf_token": csrf(client)},
        files={"file": ("membres.csv", good.encode(), "text/csv")},
    )
    assert dry.status_code == 200, dry.text
    assert "Essai\u00a0: les 2 lignes sont valides." in dry.text
    assert await register_total(client, world, headers) == 0

    bad = csv_text(csv_row(last_name="Abel"), csv_row(last_name="", category="supporting"), csv_row(last_name="Côté", email="x@y.ca"), csv_row(last_name="Doré", email="x@y.ca"))
    refused = await client.post(
        f"/t/{slug}/members/import",
        data={"dry_run": "on", "_csrf_token": csrf(client)},
        files={"file": ("membres.csv", bad.encode(), "text/csv")},
    )
    assert refused.status_code == 422
    html = refused.text
    assert "Le fichier contient 2 erreurs\u00a0: rien n’a été importé." in html
    assert 'role="alert"' in html
    errors = html.split('id="errors-caption"', 1)[1].split("</table>", 1)[0]
    assert '<td class="num" data-label="Ligne">3</td>' in errors
    assert '<td class="num" data-label="Ligne">5</td>' in errors
    assert "Déjà utilisé par un autre membre." in errors
    assert_accessible(html)

    imported = await client.post(
        f"/t/{slug}/members/import",
        data={"_csrf_token": csrf(client)},
        files={"file": ("membres.csv", good.encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text
    assert "2 membres ont été importés." in imported.text
    assert await register_total(client, world, headers) == 2


# --- my profile ------------------------------------------------------------------------------


async def test_the_profile_of_a_member_linked_to_a_login(client, make_tenant, database):
    world = await make_tenant()
    slug = world.tenant.slug
    entry = await link_member(database, world, shares_subscribed=3, shares_paid=1, phone="819 555-0199")
    await sign_in(client, world, "member")
    page = await client.get(f"/t/{slug}/me")
    assert page.status_code == 200
    html = page.text
    assert "Mon profil" in html and f"<dd>{entry['number']}</dd>" in html
    assert "Membre utilisateur" in html and "Actif" in html
    assert "10,00\xa0$" in html  # one share
    assert "30,00\xa0$" in html and "Reste à payer\u00a0: 20,00\xa0$." in html
    assert f'action="/t/{slug}/me"' in html
    assert 'value="819 555-0199"' in field_tag(html, "phone")
    assert 'name="first_name"' not in html and 'name="shares_paid"' not in html
    assert_accessible(html)

    contact = {name: entry[name] for name in ("email", "street", "city", "region", "postal_code", "country")}
    saved = await post_form(client, f"/t/{slug}/me", {**contact, "phone": "", "language": "en_CA", "consent_research": "on"})
    assert saved.status_code in (302, 303), saved.text
    assert client.cookies["solidaire_lang"] == "en_CA"
    html = (await client.get(f"/t/{slug}/me")).text
    assert "<h1>My profile</h1>" in html and '<html lang="en">' in html
    assert "CA$10.00" in html or "$10.00" in html
    assert 'value=""' in field_tag(html, "phone")
    assert "checked" in field_tag(html, "consent_research") and "checked" not in field_tag(html, "consent_contact")

    bad = await post_form(client, f"/t/{slug}/me", {**contact, "email": "not an e-mail", "language": "en_CA"})
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in field_tag(bad.text, "email") and "Enter an e-mail address, for example nom@exemple.ca." in bad.text


async def test_the_profile_of_a_login_without_an_entry(client, make_tenant):
    world = await make_tenant()
    await sign_in(client, world, "treasurer")
    html = (await client.get(f"/t/{world.tenant.slug}/me", headers={"accept-language": "fi"})).text
    assert "Omat tiedot" in html
    assert "Kirjautumistunnustasi ei ole liitetty tämän jäsenluettelon merkintään." in html
    assert 'name="street"' not in html


# --- the register as PDF ---------------------------------------------------------------------


async def test_the_register_pdf(client, make_tenant):
    world = await make_tenant()
    headers = await bearer(client, world, "secretary")
    await admit_by_api(client, world, headers, last_name="O'Brien & fils", admission_resolution="CA-2024-01")
    await sign_in(client, world, "secretary")
    response = await client.get(f"/api/t/{world.tenant.slug}/register.pdf")  # the session cookie suffices
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.content.startswith(b"%PDF")


def test_the_register_pdf_template():
    tenant = TenantInfo(
        id=None, slug="coop", name="Coopérative de solidarité santé", kind="coop", locale="fr_CA", timezone="America/Montreal",
        currency="CAD", member_categories=("user", "worker"), share_price_cents=1000, qualifying_shares=1,
    )
    member = {
        "number": 7, "first_name": "Ève", "last_name": "Côté <&>", "street": "1250, avenue de la Station", "city": "Shawinigan",
        "region": "QC", "postal_code": "G9N 8K9", "country": "CA", "category": "worker", "shares_subscribed": 2, "shares_paid": 1,
        "admitted_on": dt.date(2024, 3, 1), "admission_resolution": "CA-2024-03", "status": "active", "status_since": dt.date(2024, 3, 1),
    }
    token = activate("fr_CA")
    try:
        html = web.render("members/register_pdf.html", tenant=tenant, members=[member], generated_on=dt.date(2024, 9, 30))
    finally:
        reset(token)
    assert "size: A4 landscape" in html and "counter(pages)" in html
    assert "Registre des membres" in html and "Coopérative de solidarité santé" in html
    assert "RLRQ, c. C-67.2" in html and "art. 124" in html
    assert "30 septembre 2024" in html
    assert "Côté &lt;&amp;&gt;, Ève" in html
    assert "1250, avenue de la Station, Shawinigan (QC) G9N 8K9, CA" in html
    assert "Membre travailleur" in html and "Actif" in html and "CA-2024-03" in html
    assert "{% " not in html and "_(" not in html


# --- the stylesheet --------------------------------------------------------------------------


async def test_the_stylesheet_is_served(client):
    response = await client.get("/static/solidaire.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in response.text and "@media" in response.text
    assert "http://" not in response.text and "https://" not in response.text and "@import" not in response.text


# --- the catalogues --------------------------------------------------------------------------


async def test_the_front_page_lists_the_organisations(client, make_tenant):
    world = await make_tenant()
    page = await client.get("/", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert f'href="/t/{world.tenant.slug}/login"' in page.text and world.tenant.name in page.text
    assert "Organisations served by Solidaire" in page.text


async def test_the_session_cookie_reads_the_api_but_does_not_change_through_it(client, make_tenant):
    """The API is exempt from the forms' CSRF check, so a cookie alone must not change anything."""
    world = await make_tenant()
    await sign_in(client, world, "secretary")
    assert (await client.get(f"/api/t/{world.tenant.slug}/register.csv")).status_code == 200
    forged = await client.post(f"/api/t/{world.tenant.slug}/members", content=json.dumps(admission()), headers={"content-type": "text/plain"})
    assert forged.status_code == 401
    assert (await client.get(f"/api/t/{world.tenant.slug}/members")).json()["total"] == 0


async def test_signing_in_returns_to_the_page_asked_for_with_its_search(client, make_tenant):
    world = await make_tenant()
    slug = world.tenant.slug
    asked = await client.get(f"/t/{slug}/members", params={"q": "côté", "status": "active"})
    assert asked.status_code in (302, 303)
    login = await client.get(asked.headers["location"])
    login_form = login.text[login.text.index(f'action="/t/{slug}/login"'):]
    back = re.search(r'name="next" value="([^"]*)"', login_form).group(1).replace("&amp;", "&")
    signed = await post_form(client, f"/t/{slug}/login", {"email": world.emails["secretary"], "password": PASSWORD, "next": back})
    assert signed.headers["location"] == f"/t/{slug}/members?q=c%C3%B4t%C3%A9&status=active"


async def test_signing_in_over_plain_http_with_secure_cookies_says_how_to_fix_it(settings, database, make_tenant):
    """COOKIE_SECURE on and the service opened as http:// on a LAN: the browser keeps no cookie, so
    the sign-in form's CSRF check fails; the page says why and what to do, not just 'Forbidden'."""
    world = await make_tenant()
    app = create_app(dataclasses.replace(settings, cookie_secure=True), engine=database.app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://coop.local") as browser:
        await browser.get(f"/t/{world.tenant.slug}/login")
        refused = await browser.post(f"/t/{world.tenant.slug}/login", data={"email": world.emails["member"], "password": PASSWORD})
        assert refused.status_code == 403
        assert "https://" in refused.text and "COOKIE_SECURE=false" in refused.text
