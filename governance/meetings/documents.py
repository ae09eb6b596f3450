"""The documents of a meeting (annual report, financial statements, auditor's report): PDF files
uploaded by the secretary, checked by size and by their first bytes (not by the name or the type a
browser claims), kept in the database's file store (backend/files.py) as the partner program keeps
receipts, listed on the member's meeting page and attached to the notice e-mail."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from backend import files, mail
from backend.clock import now
from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.i18n import N_
from governance.meetings.tables import MeetingDocument
from tenants.services import record

MAX_BYTES = 5 * 1024 * 1024
PDF_TYPE = "application/pdf"
PDF_SIGNATURE = b"%PDF-"
KINDS = ("annual_report", "financial_statements", "auditor_report", "other")


def check_pdf(size: int, content_type: str, head: bytes) -> None:
    """A meeting document is a PDF (its first bytes say so), neither empty nor too large."""
    if size == 0:
        raise Invalid(N_("The file is empty."), errors=[FieldError("file", N_("Choose a PDF file."))])
    if size > MAX_BYTES:
        raise Problem(N_("The file is larger than %(limit)s kB."), errors=[FieldError("file", N_("Choose a smaller file."))], status=413, limit=MAX_BYTES // 1024)
    if content_type != PDF_TYPE or not head.startswith(PDF_SIGNATURE):
        raise Problem(N_("A meeting document is a PDF file."), errors=[FieldError("file", N_("Choose a PDF file."))], status=415)


def safe_name(filename: str | None) -> str:
    name = Path(filename or "document.pdf").name
    return "".join(c for c in name if c.isprintable() and c not in '"\\')[:200] or "document.pdf"


class MeetingDocuments:
    """The documents of one organisation's meetings."""

    def __init__(self, meetings):
        self.meetings = meetings
        self.tenant = meetings.tenant

    def _mine(self):
        return MeetingDocument.tenant_id == self.tenant.id

    async def add(self, meeting_id: uuid.UUID, kind: str, title: str, filename: str | None, content_type: str, data: bytes) -> dict:
        meeting = await self.meetings.get(meeting_id)
        if meeting["status"] == "adjourned":
            raise Conflict(N_("The meeting is adjourned."))
        if kind not in KINDS:
            raise Invalid(N_("Choose the kind of document."), errors=[FieldError("kind", N_("Choose the kind of document."))])
        title = " ".join(title.split())[:200]
        if not title or not title.isprintable():
            raise Invalid(N_("Give the document a title."), errors=[FieldError("title", N_("This field is required."))])
        check_pdf(len(data), content_type, data[:8])
        document_id = uuid.uuid4()
        name = safe_name(filename)
        await MeetingDocument.insert(MeetingDocument(
            tenant_id=self.tenant.id, id=document_id, meeting_id=meeting_id, kind=kind, title=title, filename=name,
            content_type=PDF_TYPE, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_at=now(),
            uploaded_by=self.meetings.actor_id,
        ))
        await files.store(self.tenant.id, document_id, PDF_TYPE, data)  # in the same transaction as its row
        await record(self.tenant, self.meetings.actor_id, "meeting.document_added", "meeting", meeting_id, {"document": document_id, "kind": kind, "bytes": len(data)})
        return await self.get(meeting_id, document_id)

    async def of_meeting(self, meeting_id: uuid.UUID) -> list[dict]:
        await self.meetings.get(meeting_id)
        return await MeetingDocument.select().where(self._mine() & (MeetingDocument.meeting_id == meeting_id)).order_by(MeetingDocument.uploaded_at)

    async def get(self, meeting_id: uuid.UUID, document_id: uuid.UUID) -> dict:
        row = await MeetingDocument.select().where(self._mine() & (MeetingDocument.meeting_id == meeting_id) & (MeetingDocument.id == document_id)).first()
        if row is None or await self.meetings.hides(meeting_id):
            raise NotFound(N_("No document of this meeting has this identifier."))
        return row

    async def content(self, meeting_id: uuid.UUID, document_id: uuid.UUID) -> tuple[dict, bytes]:
        row = await self.get(meeting_id, document_id)
        return row, await files.read(self.tenant.id, document_id)

    async def attachments(self, meeting_id: uuid.UUID) -> list[mail.Attachment]:
        """The meeting's documents as e-mail attachments (for the notice)."""
        return [mail.Attachment(row["filename"], PDF_TYPE, await files.read(self.tenant.id, row["id"])) for row in await self.of_meeting(meeting_id)]
