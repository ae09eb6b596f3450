"""The documents of a meeting: PDF uploads checked by their first bytes and size, kept under the
files folder, listed on the member's page and attached to the notice e-mail."""

import httpx
from hypothesis import given
from hypothesis import strategies as st

from governance.meetings import rules
from tests.conftest import bearer, sign_in
from tests.meetings.support import annual_meeting_in, meeting, secretary
from tests.meetings.test_meetings_api import problem
from tests.meetings.test_notice import members
from tests.meetings.test_pages import csrf

REPORT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Rapport annuel 2030\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_documents_are_checked_listed_and_attached_to_the_notice(client, make_tenant, mailbox):
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    called = await meeting(client, world, headers, kind="annual_general", title="Assemblée annuelle", starts_at=annual_meeting_in(40))
    url = f"/api/t/{world.tenant.slug}/meetings/{called['id']}/documents"
    pdf = {**headers, "content-type": "application/pdf"}

    def query(kind="annual_report", title="Rapport annuel 2030", filename="rapport-2030.pdf"):
        return {"kind": kind, "title": title, "filename": filename}

    problem(await client.post(url, params=query(), content=PNG, headers=pdf), 415)  # says PDF, is a PNG
    problem(await client.post(url, params=query(), content=PNG, headers={**headers, "content-type": "image/png"}), 415)
    problem(await client.post(url, params=query(), content=b"", headers=pdf), 422, "file")
    problem(await client.post(url, params=query(), content=b"%PDF-" + b"0" * (5 * 1024 * 1024), headers=pdf), 413)
    assert (await client.post(url, params=query(kind="bylaws"), content=REPORT, headers=pdf)).status_code == 400
    problem(await client.post(url, params=query(title="Rapport\x00annuel"), content=REPORT, headers=pdf), 422, "title")
    member = await bearer(client, world, "member")
    problem(await client.post(url, params=query(), content=REPORT, headers={**member, "content-type": "application/pdf"}), 403)
    assert (await client.get(url, headers=headers)).json() == []

    added = await client.post(url, params=query(), content=REPORT, headers=pdf)
    assert added.status_code == 201, added.text
    document = added.json()
    assert (document["kind"], document["filename"], document["size_bytes"]) == ("annual_report", "rapport-2030.pdf", len(REPORT))
    statements = (await client.post(url, params=query("financial_statements", "États financiers", "../../États–2030.pdf"), content=REPORT + b"%", headers=pdf)).json()
    assert statements["filename"] == "États–2030.pdf"  # no path from the client's name
    named = await client.get(f"{url}/{statements['id']}", headers=member)
    assert named.status_code == 200 and "filename*=UTF-8''%C3%89tats%E2%80%932030.pdf" in named.headers["content-disposition"]
    listed = (await client.get(url, headers=member)).json()
    assert [d["title"] for d in listed] == ["Rapport annuel 2030", "États financiers"]
    got = await client.get(f"{url}/{document['id']}", headers=member)
    assert got.status_code == 200 and got.content == REPORT and got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"

    assert (await client.post(f"/api/t/{world.tenant.slug}/meetings/{called['id']}/notice", json={}, headers=headers)).status_code == 200
    (message,) = await mailbox.received_by(people["fi"]["email"])
    attached = {a.get_filename(): a.get_content() for a in message.iter_attachments()}
    assert attached["rapport-2030.pdf"] == REPORT and attached["États–2030.pdf"] == REPORT + b"%"
    assert len(attached) == 3  # the notice itself, and the two documents
    assert "rapport-2030.pdf, États–2030.pdf" in message.get_body(("plain",)).get_content()


async def test_past_the_outbox_budget_the_notice_names_the_documents_instead(client, make_tenant, mailbox, monkeypatch):
    monkeypatch.setattr(rules, "NOTICE_ATTACHMENTS_BUDGET", len(REPORT))  # as if 5 MB went to 2,000 members
    world = await make_tenant()
    headers = await secretary(client, world)
    people = await members(client, world, headers)
    called = await meeting(client, world, headers, kind="annual_general", title="Assemblée annuelle", starts_at=annual_meeting_in(40))
    added = await client.post(f"/api/t/{world.tenant.slug}/meetings/{called['id']}/documents", params={"kind": "annual_report", "title": "Rapport", "filename": "rapport.pdf"},
                              content=REPORT, headers={**headers, "content-type": "application/pdf"})
    assert added.status_code == 201
    assert (await client.post(f"/api/t/{world.tenant.slug}/meetings/{called['id']}/notice", json={}, headers=headers)).status_code == 200
    (message,) = await mailbox.received_by(people["fi"]["email"])
    assert [a.get_filename() for a in message.iter_attachments()] == ["avis-" + called["starts_at"][:10] + ".pdf"]  # the notice alone
    assert "rapport.pdf" in message.get_body(("plain",)).get_content()


@given(st.integers(0, 10**8), st.integers(0, 10**5), st.integers(0, 10**9))
def test_documents_are_attached_exactly_while_the_copies_fit_the_budget(size, recipients, budget):
    assert rules.attach_documents(size, recipients, budget) == (size * recipients <= budget)
    assert rules.attach_documents(size, 0, budget)  # nobody to e-mail: nothing to weigh


async def test_the_secretary_adds_a_document_from_the_console_and_members_see_it(app, client, make_tenant):
    world = await make_tenant()
    called = await meeting(client, world, await secretary(client, world), title="Assemblée annuelle")
    page = f"/t/{world.tenant.slug}/meetings/{called['id']}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as keeper, \
               httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as member:
        await sign_in(keeper, world, "secretary")
        await sign_in(member, world, "member")
        form = {"kind": "annual_report", "title": "Rapport annuel", "_csrf_token": csrf(keeper)}
        refused = await keeper.post(f"{page}/documents", data=form, files={"file": ("photo.pdf", PNG, "application/pdf")})
        assert refused.status_code == 415 and 'aria-invalid="true"' in refused.text and "Rapport annuel" in refused.text
        sent = await keeper.post(f"{page}/documents", data=form, files={"file": ("rapport.pdf", REPORT, "application/pdf")})
        assert sent.status_code in (302, 303), sent.text
        seen = await member.get(page)
        assert "Rapport annuel" in seen.text and f"{page}/documents/" in seen.text
        link = seen.text.split(f'href="{page}/documents/')[1].split('"')[0]
        assert (await member.get(f"{page}/documents/{link}")).content == REPORT
