"""The outbox: written in the caller's transaction, delivered over real SMTP (aiosmtpd) by the job
queue after the commit, with a delivery log that records failures, retried every five minutes."""

import datetime as dt
import socket

import pytest

from backend import db, jobqueue, mail
from tests.conftest import bearer, sign_in


class Refused(Exception):
    pass


async def test_a_committed_message_is_delivered_by_the_queue_with_its_attachment(app, database, settings, make_tenant, mailbox):
    world = await make_tenant()
    tenant_id = world.tenant.id
    async with db.tenant_transaction(database.app, tenant_id, write=True):
        message_id = await mail.queue(
            tenant_id, to="eve@exemple.ca", subject="Avis de convocation", text="Bonjour Ève,\nl’assemblée a lieu le 12 mars.",
            html="<p>Bonjour Ève</p>", attachments=[mail.Attachment("avis.pdf", "application/pdf", b"%PDF-1.7 test")],
            purpose="meeting_notice",
        )
        await mail.queue(tenant_id, to="eve@exemple.ca", subject="Deuxième", text="x", purpose="meeting_notice")
        if db.is_postgres(database.app):  # (SQLite's in-process queue takes the job at the commit)
            assert await jobqueue.waiting() == 1  # one delivery for what the transaction queued
    [received] = [m for m in await mailbox.received_by("eve@exemple.ca") if m["Subject"] == "Avis de convocation"]
    assert received["From"] == settings.mail_from and received["Date"] and received["Message-ID"]
    assert "l’assemblée a lieu le 12 mars." in received.get_body(("plain",)).get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "avis.pdf" and attachment.get_content() == b"%PDF-1.7 test"
    async with db.tenant_transaction(database.app, tenant_id, write=False):
        logged = {row["id"]: row for row in await mail.deliveries(tenant_id)}[message_id]
    assert (logged["status"], logged["attempts"], logged["sent_at"] is not None) == ("sent", 1, True)
    assert await mail.deliver_pending(tenant_id) == 0  # never sent twice


async def test_a_rolled_back_transaction_queues_and_sends_nothing(app, database, make_tenant, mailbox):
    world = await make_tenant()
    await jobqueue.drain()
    with pytest.raises(Refused):
        async with db.tenant_transaction(database.app, world.tenant.id, write=True):
            await mail.queue(world.tenant.id, to="rolled@exemple.ca", subject="x", text="x", purpose="test")
            raise Refused
    assert await jobqueue.waiting() == 0
    assert await mailbox.received_by("rolled@exemple.ca") == []


async def test_a_failed_delivery_is_logged_then_retried_by_the_periodic_round(app, database, settings, make_tenant, mailbox):
    world = await make_tenant()
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    mail.configure(database.app, f"smtp://127.0.0.1:{closed}", settings.mail_from)
    try:
        async with db.tenant_transaction(database.app, world.tenant.id, write=True):
            await mail.queue(world.tenant.id, to="later@exemple.ca", subject="Rappel", text="x", purpose="test")
        await jobqueue.drain()
    finally:
        mail.configure(database.app, settings.smtp_url, settings.mail_from)
    async with db.tenant_transaction(database.app, world.tenant.id, write=False):
        [failed] = await mail.deliveries(world.tenant.id)
    assert failed["status"] == "failed" and failed["attempts"] == 1 and failed["last_error"]
    # What the delivery's schedule does every five minutes, in whichever process takes it.
    await app.state.queue.worker.queue_everywhere(mail.DELIVERY)
    assert len(await mailbox.received_by("later@exemple.ca")) == 1


async def test_the_administrator_reads_the_delivery_log_as_a_page_and_through_the_api(app, client, database, make_tenant):
    world = await make_tenant()
    async with db.tenant_transaction(database.app, world.tenant.id, write=True):
        await mail.queue(world.tenant.id, to="log@exemple.ca", subject="Facture 2027-000001", text="x", purpose="invoice")
    await jobqueue.drain()
    api = await client.get(f"/api/t/{world.tenant.slug}/mail", headers=await bearer(client, world, "administrator"))
    assert api.status_code == 200
    [logged] = api.json()
    assert (logged["recipient"], logged["subject"], logged["status"], logged["purpose"]) == ("log@exemple.ca", "Facture 2027-000001", "sent", "invoice")
    treasurer = await client.get(f"/api/t/{world.tenant.slug}/mail", headers=await bearer(client, world, "treasurer"))
    assert treasurer.status_code == 403
    await sign_in(client, world, "administrator")
    html = (await client.get(f"/t/{world.tenant.slug}/outbox")).text
    assert "Courriels envoyés" in html and "log@exemple.ca" in html and "Envoyé le" in html


async def test_a_message_left_sending_by_a_stopped_process_is_sent_later_not_twice(app, database, make_tenant, mailbox):
    world = await make_tenant()
    async with db.tenant_transaction(database.app, world.tenant.id, write=True):
        stuck = await mail.queue(world.tenant.id, to="stuck@exemple.ca", subject="Bloqué", text="x", purpose="test")
        fresh = await mail.queue(world.tenant.id, to="inflight@exemple.ca", subject="En cours", text="x", purpose="test")
        claimed = mail.now() - mail.STUCK_AFTER
        await mail.MailMessage.update({mail.MailMessage.status: "sending", mail.MailMessage.attempts: 1, mail.MailMessage.claimed_at: claimed - dt.timedelta(minutes=1)}).where(mail.MailMessage.id == stuck)
        # Another deliverer claimed this one a moment ago and is still talking to the SMTP server.
        await mail.MailMessage.update({mail.MailMessage.status: "sending", mail.MailMessage.attempts: 1, mail.MailMessage.claimed_at: mail.now()}).where(mail.MailMessage.id == fresh)
    # The delivery the transaction queued sends the one left behind, not the one in flight.
    assert len(await mailbox.received_by("stuck@exemple.ca")) == 1
    assert await mailbox.received_by("inflight@exemple.ca") == []
