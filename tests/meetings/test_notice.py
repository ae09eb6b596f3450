"""The notice of a meeting: e-mailed with its PDF to every active member with an address, in the
member's language, through the real SMTP server of the tests; a delivery log; the members without
an address listed for mailing; a refused (late) notice sends nothing."""

import re
import secrets
import zlib

import httpx

from backend import db, mail
from tests.clock import in_days
from tests.conftest import admission, bearer, sign_in
from tests.meetings.support import meeting, secretary
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_pages import post_form

SUBJECTS = {"fr_CA": "Avis de convocation", "fi": "Kokouskutsu", "en_CA": "Notice of meeting"}


def pdf_objects(document: bytes) -> bytes:
    """The PDF's compressed object streams, inflated (WeasyPrint keeps its catalog, with /Lang, there)."""
    inflated = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"".join(inflated)


async def delivery_log(database, world, meeting_id) -> list[dict]:
    async with db.tenant_transaction(database.app, world.tenant.id, write=False):  # row-level security
        return await mail.deliveries(world.tenant.id, object_id=meeting_id)


async def members(client, world, headers) -> dict[str, dict]:
    """One active member per language, one without e-mail, one not yet admitted."""
    url = f"/api/t/{world.tenant.slug}/members"
    made = {}
    for name, overrides in {
        "fr_CA": {"language": "fr_CA"}, "fi": {"language": "fi", "first_name": "Aino"}, "en_CA": {"language": "en_CA"},
        "by_post": {"email": None, "first_name": "Rosaire", "last_name": "Bellemare", "street": "12, rue des Érables"},
        "applicant": {"status": "applicant"},
    }.items():
        body = admission(**{"email": f"{name}.{secrets.token_hex(3)}@exemple.ca", **overrides})
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 201, response.text
        made[name] = response.json()
    return made


async def test_each_member_gets_the_notice_in_their_language_with_the_pdf(client, make_tenant, mailbox, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    called = await meeting(client, world, headers, title="Assemblée extraordinaire sur les statuts", starts_at=in_days(20))
    base = f"/api/t/{world.tenant.slug}/meetings/{called['id']}"
    assert (await client.post(f"{base}/notice", json={}, headers=headers)).status_code == 200
    for language, subject in SUBJECTS.items():
        (message,) = await mailbox.received_by(people[language]["email"])
        assert message["Subject"].startswith(subject) and "Assemblée extraordinaire sur les statuts" in message["Subject"]
        body = message.get_body(("plain",)).get_content()
        assert "Règlements" in body and "Salle communautaire" in body  # the agenda and the place
        (attachment,) = list(message.iter_attachments())
        document = attachment.get_content()
        assert attachment.get_content_type() == "application/pdf" and document.startswith(b"%PDF")
        assert f"/Lang ({language[:2]})".encode() in pdf_objects(document)  # the PDF itself is in the member's language
    assert await mailbox.received_by(people["applicant"]["email"]) == []

    report = (await client.get(f"{base}/notice", headers=headers)).json()
    assert sorted(d["recipient"] for d in report["deliveries"]) == sorted(people[x]["email"] for x in SUBJECTS)
    assert {d["status"] for d in report["deliveries"]} == {"sent"}
    assert report["by_post"] == [{
        "member_number": people["by_post"]["number"], "name": "Rosaire Bellemare",
        "address": "12, rue des Érables, Shawinigan (QC) G9N 8K9, CA",
    }]
    assert len(await delivery_log(database, world, called["id"])) == 3
    problem(await client.get(f"{base}/notice", headers=await bearer(client, world, "member")), 403)
    pdf = await client.get(f"{base}/notice.pdf", headers=await bearer(client, world, "member"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_refused_notice_sends_nothing(client, make_tenant, mailbox, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    late = await meeting(client, world, headers, starts_at=in_days(3))
    base = f"/api/t/{world.tenant.slug}/meetings/{late['id']}"
    problem(await client.post(f"{base}/notice", json={}, headers=headers), 422, "late_notice_reason")
    assert await delivery_log(database, world, late["id"]) == []
    for language in SUBJECTS:
        assert await mailbox.received_by(people[language]["email"]) == []
    report = (await client.get(f"{base}/notice", headers=headers)).json()
    assert report["notice_sent_at"] is None and report["deliveries"] == []
    problem(await client.post(f"{base}/notice", json={}, headers=await bearer(client, world, "member")), 403)
    assert await delivery_log(database, world, late["id"]) == []


async def test_the_secretary_sends_the_notice_from_the_console(app, client, make_tenant, mailbox):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    called = await meeting(client, world, headers, starts_at=in_days(3))
    page = f"/t/{world.tenant.slug}/meetings/{called['id']}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as browser:
        await sign_in(browser, world, "secretary")
        console = await browser.get(f"{page}/console")
        assert "Rosaire Bellemare" in console.text and "12, rue des Érables" in console.text  # to mail by post
        refused = await post_form(browser, f"{page}/notice", {})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
        assert await mailbox.received_by(people["fi"]["email"]) == []
        sent = await post_form(browser, f"{page}/notice", {"late_notice_reason": "Salle libérée tard"})
        assert sent.status_code in (302, 303), sent.text
        console = await browser.get(f"{page}/console")
        assert people["fi"]["email"] in console.text and "Salle libérée tard" in console.text
        assert (await browser.get(f"{page}/notice.pdf")).content.startswith(b"%PDF")
    assert len(await mailbox.received_by(people["fi"]["email"])) == 1
