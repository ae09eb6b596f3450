"""The recognition certificate of a partner and year (PDF, in the partner's language) and all the
data held about a partner, as JSON and as PDF."""

from backend import db, i18n, web
from backend.context import Context
from governance.partners import recognition
from governance.partners.services import PartnerProgram
from tests.conftest import bearer
from tests.partners.helpers import activate, applied, coordinator_headers, pledge


async def test_a_certificate_counts_the_years_approved_hours_and_committees(client, program, settings, database):
    slug, headers = program.tenant.slug, await coordinator_headers(client, program)
    api = f"/api/t/{slug}/program"
    today = program.tenant.today()
    partner = await applied(client, settings, program, email=program.emails["member"], language="fi")
    await activate(client, program, partner["id"], headers)
    await pledge(client, program, partner["id"], headers)
    committee = (await client.post(f"{api}/committees", json={"name": "Asiakasraati", "kind": "client_council"}, headers=headers)).json()
    assert (await client.post(f"{api}/committees/{committee['id']}/members", json={"partner_id": partner["id"], "role": "partner", "term_start": today.isoformat()}, headers=headers)).status_code == 201
    for minutes, decision in ((90, "approved"), (60, "approved"), (45, "rejected")):
        entry = (await client.post(f"{api}/partners/{partner['id']}/hours", json={"activity": "review", "worked_on": today.isoformat(), "minutes": minutes}, headers=headers)).json()
        assert (await client.post(f"{api}/hours/{entry['id']}/decision", json={"status": decision}, headers=headers)).status_code == 200
    response = await client.get(f"{api}/partners/{partner['id']}/certificate", params={"year": today.year}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    nothing = await client.get(f"{api}/partners/{partner['id']}/certificate", params={"year": today.year - 3}, headers=headers)
    assert nothing.status_code == 409 and nothing.headers["content-type"].startswith("application/problem+json")
    async with db.tenant_transaction(database.app, program.tenant.id, write=False):
        row = await PartnerProgram(Context(program.tenant))._row(partner["id"])
        content = await recognition.certificate(program.tenant, row, today.year)
        assert content["minutes"] == 150 and content["per_activity"] == [{"activity": "review", "minutes": 150}]
        assert [seat["committee"]["name"] for seat in content["seats"]] == ["Asiakasraati"]
        with i18n.using("fi"):
            html = web.render("partners/certificate_pdf.html", tenant=program.tenant, today=today, **content)
    assert "Kiitostodistus" in html and "2,5" in html and partner["last_name"] in html

    member = await bearer(client, program, "member")
    assert (await client.get(f"{api}/me/certificate", params={"year": today.year}, headers=member)).content.startswith(b"%PDF")
    assert (await client.get(f"{api}/partners/{partner['id']}/certificate", headers=member)).status_code == 403
    data = (await client.get(f"{api}/me/data", headers=member)).json()
    assert {"partner", "history", "committees", "hours", "claims", "trainings", "pledge", "mandates", "file_accesses"} <= set(data)
    assert data["pledge"]["state"] == "valid" and len(data["hours"]) == 3
    document = await client.get(f"{api}/me/data.pdf", headers=member)
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert "attachment" in document.headers["content-disposition"]
    assert (await client.get(f"{api}/me/data.pdf", headers=headers)).status_code == 404  # the coordinator is no partner here
