"""The clinicians' billing accounts from the treasurer's page and the API (their postal address
included), and the invoice document: in French, the organisation's language, with the clinician's
language alongside when it is another, and the buyer's name and address."""

from backend import db
from backend.context import Context
from billing.invoicing import Invoicing
from governance.members.rules import postal_address
from tenants import services
from tests.billing.helpers import add_clinician, make_coop, past_booking
from tests.billing.test_invoices import drafts, run
from tests.billing.test_pages import post_form
from tests.clock import at, last_month
from tests.conftest import PASSWORD, sign_in

ADDRESS = "12, rue Principale, bureau 3\nShawinigan QC  G9N 1A1"


async def test_the_treasurer_opens_and_changes_a_clinicians_account_from_the_page(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    async with database.as_owner(), db.tenant_transaction(database.owner, coop.world.tenant.id, write=True):
        user_id = await services.create_user("dre.gagnon@exemple.ca", "Dre Louise Gagnon", PASSWORD)
        await services.grant_role(coop.world.tenant, user_id, "clinician")
    base = f"/t/{coop.world.tenant.slug}/billing/clinicians"
    await sign_in(client, coop.world, "treasurer")
    listed = await client.get(base)
    assert listed.status_code == 200 and "Dre Louise Gagnon (dre.gagnon@exemple.ca)" in listed.text  # the role holder without an account
    refused = await post_form(client, base, {"email": "dre.gagnon@exemple.ca", "clinician_class": "Médecin de famille!"})
    assert refused.status_code in (400, 422) and 'role="alert"' in refused.text
    opened = await post_form(client, base, {"email": "dre.gagnon@exemple.ca", "clinician_class": "family_physician", "language": "", "address": ADDRESS.replace("\n", "\r\n")})
    assert opened.status_code in (302, 303) and opened.headers["location"].endswith("?saved=opened")
    shown = await client.get(opened.headers["location"])
    assert "Le compte de facturation est ouvert" in shown.text and "12, rue Principale, bureau 3" in shown.text
    accounts = {a["email"]: a for a in (await client.get(f"{coop.api}/clinicians", headers=coop.treasurer)).json()}
    account = accounts["dre.gagnon@exemple.ca"]
    assert account["address"] == ADDRESS and account["clinician_class"] == "family_physician"
    changed = await post_form(client, f"{base}/{account['id']}", {"name": "Dre Louise Gagnon", "clinician_class": "family_physician", "language": "en_CA", "address": ""})
    assert changed.status_code in (302, 303) and changed.headers["location"].endswith("?saved=changed")
    after = {a["email"]: a for a in (await client.get(f"{coop.api}/clinicians", headers=coop.treasurer)).json()}["dre.gagnon@exemple.ca"]
    assert (after["address"], after["language"]) == ("", "en_CA")


async def test_the_api_changes_only_what_it_is_given_and_never_a_members_account(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    url = f"{coop.api}/clinicians/{coop.account['id']}"
    changed = await client.patch(url, json={"address": ADDRESS}, headers=coop.treasurer)
    assert changed.status_code == 200 and (changed.json()["address"], changed.json()["name"]) == (ADDRESS, coop.account["name"])
    assert (await client.patch(url, json={"address": "x\x00"}, headers=coop.treasurer)).status_code == 400
    assert (await client.patch(url, json={"address": "x"}, headers=coop.clinician)).status_code == 403
    assert (await client.get(f"{coop.api}/clinicians", headers=coop.treasurer)).json()[0]["address"] == ADDRESS


async def test_an_invoice_is_in_french_with_the_clinicians_language_alongside_and_the_buyers_address(client, database, make_tenant):
    coop = await make_coop(client, make_tenant)
    murphy, _ = await add_clinician(client, database, coop, "Dr Brian Murphy", language="en_CA")
    assert (await client.patch(f"{coop.api}/clinicians/{murphy['id']}", json={"address": ADDRESS}, headers=coop.treasurer)).status_code == 200
    await past_booking(database, coop, at(last_month(), 9), at(last_month(), 10))
    await past_booking(database, coop, at(last_month(), 11), at(last_month(), 12), clinician_id=murphy["id"])
    await run(client, coop)
    by_clinician = {d["clinician_id"]: d for d in await drafts(client, coop)}
    tenant = coop.world.tenant
    async with db.tenant_transaction(database.app, tenant.id, write=False):
        invoicing = Invoicing(Context(tenant))
        english = await invoicing.pdf_html(await invoicing.invoice(by_clinician[murphy["id"]]["id"]))
        french = await invoicing.pdf_html(await invoicing.invoice(by_clinician[coop.account["id"]]["id"]))
    assert "Facture / Invoice" in english and "Facturé à / Billed to" in english and "Sous-total avant taxes / Subtotal before taxes" in english
    assert "12, rue Principale, bureau 3\nShawinigan QC  G9N 1A1" in english and "Dr Brian Murphy" in english
    assert "Facture" in french and " / Invoice" not in french and "Billed to" not in french  # a French reader: French only


def test_a_members_address_is_written_as_on_an_envelope():
    entry = {"street": "1862, avenue Saint-Marc", "city": "Shawinigan", "region": "QC", "postal_code": "G9N 2J7"}
    assert postal_address(entry) == "1862, avenue Saint-Marc\nShawinigan QC  G9N 2J7"
    assert postal_address({"street": "", "city": None, "region": "", "postal_code": ""}) == ""
