"""The notice of a meeting: a PDF and an e-mail to every active member with an address, each in
the member's language, queued in the caller's transaction (a refused notice sends nothing); the
members without an address are listed for mailing by post."""

from __future__ import annotations

from backend import i18n, mail, pdf, web
from backend.i18n import N_, gettext
from governance.meetings import rules
from governance.meetings.labels import meeting_label, meeting_time
from tenants.services import TenantInfo

PURPOSE = "meeting_notice"
CHANGE_PURPOSE = "meeting_change"
MINUTES_PURPOSE = "minutes_published"
# The subject of the notice of a change, by what changed.
CHANGE_SUBJECTS = {
    "changed": N_("Meeting changed: %(title)s"), "postponed": N_("Meeting postponed: %(title)s"), "cancelled": N_("Meeting cancelled: %(title)s"),
}


def language_of(member: dict, tenant: TenantInfo) -> str:
    return i18n.negotiate(member["language"], fallback=tenant.locale)


def render_pdf_html(tenant: TenantInfo, meeting: dict, language: str) -> str:
    with i18n.using(language):
        return web.render("meetings/notice_pdf.html", tenant=tenant, meeting=meeting)


async def notice_pdf(tenant: TenantInfo, meeting: dict, language: str) -> bytes:
    return await pdf.html_to_pdf(render_pdf_html(tenant, meeting, language))


def pdf_filename(meeting: dict) -> str:
    return f"avis-{meeting['starts_at']:%Y-%m-%d}.pdf" if meeting["starts_at"] else "avis.pdf"


async def send(tenant: TenantInfo, meeting: dict, members: list[dict]) -> int:
    """Queues the notice to each active member with an e-mail address; returns how many.
    One PDF per language: WeasyPrint is slow and the notice is the same for everyone."""
    pdfs: dict[str, bytes] = {}
    sent = 0
    documents = meeting.get("attachments", [])
    meeting = {**meeting, "documents_attached": rules.attach_documents(sum(len(d.data) for d in documents), len(recipients(members)), rules.NOTICE_ATTACHMENTS_BUDGET)}
    for member in recipients(members):
        language = language_of(member, tenant)
        if language not in pdfs:
            pdfs[language] = await notice_pdf(tenant, meeting, language)
        with i18n.using(language):
            subject, text = gettext(N_("Notice of meeting: %(title)s"), title=meeting["title"]), mail_text(tenant, meeting, member)
        await mail.queue(
            tenant.id, to=member["email"], subject=subject, text=text, purpose=PURPOSE, object_id=meeting["id"],
            attachments=[mail.Attachment(pdf_filename(meeting), "application/pdf", pdfs[language]), *(documents if meeting["documents_attached"] else [])],
        )
        sent += 1
    return sent


def mail_text(tenant: TenantInfo, meeting: dict, member: dict) -> str:
    """The e-mail's text, in the current language: the meeting's details and its agenda."""
    lines = [
        gettext(N_("Hello %(name)s,"), name=member["first_name"]), "",
        gettext(N_("You are called to the following meeting of %(organisation)s."), organisation=tenant.name), "",
        f"{meeting['title']} ({meeting_label('kind', meeting['kind'])})",
        f"{gettext(N_('Date and time'))}: {meeting_time(meeting['starts_at'], tenant.timezone)}",
    ]
    if meeting["place"]:
        lines.append(f"{gettext(N_('Place'))}: {meeting['place']}")
    if meeting["video_url"]:
        lines.append(f"{gettext(N_('Video link'))}: {meeting['video_url']}")
    lines += ["", f"{gettext(N_('Agenda'))}:", *(f"{item['position']}. {item['title']}" for item in meeting["agenda"])]
    lines += ["", gettext(N_("The notice is attached (PDF)."))]
    if meeting.get("attachments"):  # the meeting's documents (documents.py)
        files = ", ".join(a.filename for a in meeting["attachments"])
        if meeting.get("documents_attached", True):
            lines.append(gettext(N_("Also attached, the meeting's documents: %(files)s."), files=files))
        else:
            lines.append(gettext(N_("The meeting's documents (%(files)s) are on the meeting's page when you sign in; the secretary sends a copy on request."), files=files))
    lines += ["", gettext(N_("The secretary"))]
    return "\n".join(lines)


async def send_change(tenant: TenantInfo, meeting: dict, members: list[dict], change: str, reason: str | None) -> int:
    """Tells those the notice called that the meeting changed, was postponed or was cancelled
    (`change`), each in their language; returns how many e-mails were queued."""
    sent = 0
    for member in recipients(members):
        with i18n.using(language_of(member, tenant)):
            subject, text = gettext(CHANGE_SUBJECTS[change], title=meeting["title"]), change_text(tenant, meeting, member, change, reason)
        await mail.queue(tenant.id, to=member["email"], subject=subject, text=text, purpose=CHANGE_PURPOSE, object_id=meeting["id"])
        sent += 1
    return sent


def change_text(tenant: TenantInfo, meeting: dict, member: dict, change: str, reason: str | None) -> str:
    """The notice of a change, in the current language: what changed, why, and the meeting as it now stands."""
    said = {
        "changed": N_("The following meeting of %(organisation)s, to which you were called, has changed."),
        "postponed": N_("The following meeting of %(organisation)s, to which you were called, is postponed."),
        "cancelled": N_("The following meeting of %(organisation)s, to which you were called, is cancelled: it will not be held."),
    }[change]
    lines = [gettext(N_("Hello %(name)s,"), name=member["first_name"]), "", gettext(said, organisation=tenant.name), ""]
    if reason:
        lines += [gettext(N_("Reason: %(reason)s"), reason=reason), ""]
    lines += [
        f"{meeting['title']} ({meeting_label('kind', meeting['kind'])})",
        f"{gettext(N_('Date and time'))}: {meeting_time(meeting['starts_at'], tenant.timezone)}",
    ]
    if change != "cancelled":
        if meeting["place"]:
            lines.append(f"{gettext(N_('Place'))}: {meeting['place']}")
        if meeting["video_url"]:
            lines.append(f"{gettext(N_('Video link'))}: {meeting['video_url']}")
    lines += ["", gettext(N_("The secretary"))]
    return "\n".join(lines)


async def send_minutes(tenant: TenantInfo, meeting: dict, minutes: dict, members: list[dict], link: str) -> int:
    """Tells the members who agreed to be contacted that the approved minutes of this general
    meeting are published, each in their language, with the link to them; returns how many
    e-mails were queued (in the caller's transaction: the publication's)."""
    told = 0
    for member in minutes_recipients(members):
        with i18n.using(language_of(member, tenant)):
            subject = gettext(N_("Minutes published: %(title)s"), title=meeting["title"])
            text = "\n".join([
                gettext(N_("Hello %(name)s,"), name=member["first_name"]), "",
                gettext(N_("The minutes of the following meeting of %(organisation)s, approved, are published (version %(version)s)."),
                        organisation=tenant.name, version=minutes["version"]), "",
                f"{meeting['title']} ({meeting_label('kind', meeting['kind'])})",
                f"{gettext(N_('Date and time'))}: {meeting_time(meeting['starts_at'], tenant.timezone)}", "",
                gettext(N_("Read them on the meeting's page, once signed in: %(link)s"), link=link), "",
                gettext(N_("The secretary")),
            ])
        await mail.queue(tenant.id, to=member["email"], subject=subject, text=text, purpose=MINUTES_PURPOSE, object_id=minutes["id"])
        told += 1
    return told


def minutes_recipients(members: list[dict]) -> list[dict]:
    """Who is told that minutes are published: active members with an e-mail address who consent
    to be contacted."""
    return [m for m in recipients(members) if m["consent_contact"]]


def recipients(members: list[dict]) -> list[dict]:
    return [m for m in members if m["status"] == "active" and m["email"]]


def by_post(members: list[dict]) -> list[dict]:
    """Active members without an e-mail address: the notice goes to them by post."""
    return [
        {"member_number": m["number"], "name": f"{m['first_name']} {m['last_name']}",
         "address": f"{m['street']}, {m['city']} ({m['region']}) {m['postal_code']}, {m['country']}"}
        for m in members if m["status"] == "active" and not m["email"]
    ]
