"""E-mail through an outbox: `queue` writes the message in the caller's transaction (a refused
request sends nothing), and it is delivered over SMTP once that transaction has committed.

Delivery is a job of the queue (backend.jobqueue), queued in the same transaction as the messages
(once per transaction): a worker sends them once it has committed. Every five minutes each tenant's
messages whose delivery failed are tried again, up to MAX_ATTEMPTS; `solidaire mail deliver` does
the same by hand. Without SMTP_URL nothing is sent: the messages wait in the outbox, which is also
the delivery log (one row per recipient, with its status, attempts and last error).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

import aiosmtplib
import structlog
from piccolo.columns import UUID, Bytea, Integer, Text, Timestamptz, Varchar
from piccolo.engine.base import Engine
from piccolo.table import Table

from backend import db, jobqueue
from backend.clock import now

log = structlog.get_logger()
MAX_ATTEMPTS = 5
STUCK_AFTER = dt.timedelta(minutes=10)  # far longer than one SMTP exchange (30 s timeout)


class MailMessage(Table, tablename="mail_message"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    purpose = Varchar(length=60)
    object_id = UUID(null=True, default=None)
    recipient = Varchar(length=254)
    subject = Varchar(length=300)
    message = Bytea()
    status = Varchar(length=10)
    attempts = Integer()
    last_error = Text(null=True, default=None)
    queued_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    claimed_at = Timestamptz(null=True, default=None)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Transport:
    """Where messages go, from the settings (configured once by the application factory)."""

    engine: Engine
    smtp_url: str | None
    sender: str


_transport: Transport | None = None


def configure(engine: Engine, smtp_url: str | None, sender: str) -> None:
    global _transport
    _transport = Transport(engine, smtp_url, sender)


async def queue(
    tenant_id: uuid.UUID,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
    purpose: str,
    object_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Puts one message in the outbox, in the current transaction; returns its id."""
    message = EmailMessage(policy=SMTP)
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    message_id = uuid.uuid4()
    await MailMessage.insert(
        MailMessage(
            tenant_id=tenant_id, id=message_id, purpose=purpose, object_id=object_id, recipient=to,
            subject=subject[:300], message=bytes(message), status="queued", attempts=0, queued_at=now(),
        )
    )
    if _transport is not None and _transport.smtp_url:
        # One delivery sends all the transaction queued (a notice to every member, say).
        await jobqueue.enqueue(DELIVERY, tenant_id, once_per_transaction=True)
    return message_id


async def deliveries(tenant_id: uuid.UUID, *, object_id: uuid.UUID | None = None, limit: int = 500) -> list[dict]:
    """The delivery log of a tenant (or of one object: a notice, an invoice), newest first."""
    columns = [c for c in MailMessage._meta.columns if c._meta.name != "message"]
    query = MailMessage.select(*columns).where(MailMessage.tenant_id == tenant_id)
    if object_id is not None:
        query = query.where(MailMessage.object_id == object_id)
    return await query.order_by(MailMessage.queued_at, ascending=False).limit(limit)


async def forget(tenant_id: uuid.UUID, address: str) -> int:
    """Blanks what the outbox keeps of one person's messages that left or will not leave (sent, or
    failed: those are not retried any more): their address, subject and message, whatever the case
    of the address. For the anonymisation of a profile; the rows stay as a count. Returns how many."""
    rows = await MailMessage.raw(
        "UPDATE mail_message SET recipient = '', subject = '', message = {}, last_error = NULL, "
        "attempts = CASE WHEN status = 'failed' THEN {} ELSE attempts END "
        "WHERE tenant_id = {} AND lower(recipient) = lower({}) AND status IN ('sent', 'failed') RETURNING id",
        b"", MAX_ATTEMPTS, tenant_id, address,
    )
    return len(rows)


async def deliver_pending(tenant_id: uuid.UUID) -> int:
    """Sends the tenant's waiting messages (new ones, and failed ones up to MAX_ATTEMPTS), each
    claimed first so that two deliverers never send the same message; returns how many were sent."""
    assert _transport is not None, "mail.configure() first"
    if not _transport.smtp_url:
        return 0
    engine = _transport.engine
    async with db.tenant_transaction(engine, tenant_id, write=False):
        waiting = await MailMessage.select(MailMessage.id).where(
            (MailMessage.tenant_id == tenant_id)
            & (MailMessage.attempts < MAX_ATTEMPTS)
            & (MailMessage.status.is_in(["queued", "failed"]) | ((MailMessage.status == "sending") & (MailMessage.claimed_at < now() - STUCK_AFTER)))
        ).order_by(MailMessage.queued_at)
    sent = 0
    for row in waiting:
        sent += await _deliver_one(engine, tenant_id, row["id"])
    return sent


async def deliver_everywhere(tenant_ids: Callable[[], Awaitable[list[uuid.UUID]]]) -> int:
    """Every tenant's waiting messages (`solidaire mail deliver`)."""
    return sum([await deliver_pending(tenant_id) for tenant_id in await tenant_ids()])


async def _deliver(engine: Engine, tenant, payload: dict) -> dict[str, int]:
    return {"sent": await deliver_pending(tenant.id)}


DELIVERY = "mail.deliver"


def tasks(retry_every: str) -> list[jobqueue.Task]:
    """The delivery, queued by `queue` and, on the schedule `retry_every` (MAIL_RETRY_EVERY, every
    five minutes), for every tenant: what could not be sent (the SMTP server was down) goes out
    without anybody running `solidaire mail deliver`."""
    return [jobqueue.Task(DELIVERY, _deliver, every=retry_every)]


async def _deliver_one(engine: Engine, tenant_id: uuid.UUID, message_id: uuid.UUID) -> int:
    async with db.tenant_transaction(engine, tenant_id, write=True):
        claimed = await MailMessage.raw(
            "UPDATE mail_message SET status = 'sending', attempts = attempts + 1, claimed_at = {} "
            "WHERE tenant_id = {} AND id = {} AND (status IN ('queued', 'failed') OR (status = 'sending' AND claimed_at < {})) "
            "RETURNING recipient, message",
            now(), tenant_id, message_id, now() - STUCK_AFTER,
        )
    if not claimed:
        return 0
    error = None
    try:
        await send_now(claimed[0]["message"], claimed[0]["recipient"])
    except (aiosmtplib.SMTPException, OSError) as failure:
        error = str(failure)[:1000]
        log.warning("mail not delivered", message_id=str(message_id), error=error)
    async with db.tenant_transaction(engine, tenant_id, write=True):
        await MailMessage.update(
            {MailMessage.status: "failed" if error else "sent", MailMessage.last_error: error, MailMessage.sent_at: None if error else now()}
        ).where((MailMessage.tenant_id == tenant_id) & (MailMessage.id == message_id))
    return 0 if error else 1


async def send_now(stored: bytes, recipient: str) -> None:
    """One stored message over SMTP, dated and signed with the sender now (as it leaves)."""
    assert _transport is not None and _transport.smtp_url
    message = BytesParser(policy=SMTP).parsebytes(bytes(stored))
    message["From"] = _transport.sender
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="solidaire")
    url = urlsplit(_transport.smtp_url)
    await aiosmtplib.send(
        message,
        recipients=[recipient],
        hostname=url.hostname,
        port=url.port,
        username=unquote(url.username) if url.username else None,
        password=unquote(url.password) if url.password else None,
        use_tls=url.scheme == "smtps",
        timeout=30,
    )
