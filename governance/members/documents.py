"""The register as documents: CSV export and import, and the PDF of s. 124 of the Quebec
Cooperatives Act (names, addresses, shares, admission, status of every member)."""

from __future__ import annotations

import asyncio
import csv
import functools
import io
from collections.abc import Iterable

import msgspec
from babel.numbers import get_decimal_symbol

from backend import i18n, pdf, web
from backend.errors import Invalid, field_error
from backend.i18n import N_, gettext
from backend.spreadsheet import FORMULA_STARTS, safe_cell
from governance.members.labels import label
from governance.members.schemas import Admission, ImportRowError
from tenants.labels import LABELS

# The CSV layout of the export. An import reads the same columns, but it admits new members: it
# gives them the next numbers and accepts only the statuses of an admission (applicant, active).
CSV_COLUMNS = [
    "number", "last_name", "first_name", "organisation_name", "representative_role", "street", "city", "region", "postal_code", "country",
    "email", "phone", "language", "category", "status", "status_since", "shares_subscribed",
    "shares_paid", "admitted_on", "admission_resolution", "consent_contact", "consent_publish_name",
    "consent_photos", "consent_research",
]
# The operator's export in codes (`solidaire members export`) keeps the columns it had when scripts
# began to read it; the register's later columns (a legal person's) are in the spreadsheet's export.
SCRIPT_COLUMNS = [column for column in CSV_COLUMNS if column not in ("organisation_name", "representative_role")]
IMPORTED_COLUMNS = set(Admission.__struct_fields__)
REQUIRED_COLUMNS = [field.name for field in msgspec.structs.fields(Admission) if field.required]
IGNORED_COLUMNS = [column for column in CSV_COLUMNS if column not in IMPORTED_COLUMNS]
MAX_IMPORT_ROWS = 50_000
_TRUE = {"1", "true", "yes", "oui", "kyllä", "x"}
_FALSE = {"0", "false", "no", "non", "ei", ""}


# The columns whose codes a person reads as words (in the export) and may write as words (in an import).
WORDS = {"category": "category", "status": "status", "language": "language"}
CONSENTS = [column for column in CSV_COLUMNS if column.startswith("consent_")]


def spreadsheet_csv(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV file as a spreadsheet in the reader's language opens it with a double click: a UTF-8
    byte order mark (without it Excel reads the file in the system's code page), cells separated
    by `;` where the language writes decimals with a comma (French, Finnish: Excel's list
    separator there), by `,` elsewhere; no cell can run as a formula."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    delimiter = ";" if get_decimal_symbol(i18n.current_language()) == "," else ","
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def register_csv(members: list[dict]) -> str:
    """The register in codes, for scripts and the operator's command (`solidaire members export`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCRIPT_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for member in members:
        writer.writerow({key: safe_cell(member.get(key)) for key in SCRIPT_COLUMNS})
    return buffer.getvalue()


def register_spreadsheet(members: list[dict]) -> str:
    """The register for a person's spreadsheet, in their language: the columns by their names, and
    categories, statuses, languages and consents in words (an import reads them back)."""
    yes_no = {True: gettext(N_("Yes")), False: gettext(N_("No"))}

    def cell(member: dict, column: str) -> object:
        value = member.get(column)
        if column in WORDS:
            return label(WORDS[column], value)
        return yes_no[bool(value)] if column in CONSENTS else value

    return spreadsheet_csv([label("field", column) for column in CSV_COLUMNS], ([cell(m, c) for c in CSV_COLUMNS] for m in members))


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid(N_("The file is not UTF-8 encoded text.")) from error


def parse_import(text: str) -> tuple[int, list[tuple[int, Admission]], list[ImportRowError]]:
    """The number of rows, each valid row as an Admission with its line, and every error. The
    file's columns are named by their codes or by their names in any language of the service,
    separated by `,` or `;` (as the export writes them for the reader's spreadsheet)."""
    text = text.lstrip("\ufeff")
    first_line = text.partition("\n")[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first_line.count(";") > first_line.count(",") else ",")
    errors: list[ImportRowError] = []
    admissions: list[tuple[int, Admission]] = []
    rows = 0
    try:
        reader.fieldnames = [_code_of("field", name) for name in reader.fieldnames or []]
        errors += _header_errors(reader.fieldnames)
        for row in reader:
            rows += 1
            if rows > MAX_IMPORT_ROWS:
                errors.append(ImportRowError(line=reader.line_num, field="", message=gettext(N_("Too many rows (at most %(n)s)."), n=MAX_IMPORT_ROWS)))
                break
            try:
                admissions.append((reader.line_num, msgspec.convert(_cleaned(row), Admission, strict=False)))
            except msgspec.ValidationError as error:
                rendered = field_error({"message": str(error)}).render()
                errors.append(ImportRowError(line=reader.line_num, field=rendered["field"], message=rendered["message"]))
    except csv.Error as error:  # e.g. a cell longer than the csv module's limit, a NUL byte
        errors.append(ImportRowError(line=reader.line_num, field="", message=gettext(N_("This line cannot be read as CSV: %(reason)s."), reason=str(error))))
    # An empty file is refused, not imported as nothing (it answered 200, "0 members imported").
    if not errors and not reader.fieldnames:
        errors.append(ImportRowError(line=1, field="", message=gettext(N_("The file is empty: it has no header line and no rows."))))
    elif not errors and rows == 0:
        errors.append(ImportRowError(line=2, field="", message=gettext(N_("The file has a header line but no rows: there is no member to import."))))
    return rows, admissions, errors


def _header_errors(header: list[str]) -> list[ImportRowError]:
    errors = []
    if unknown := set(header) - set(CSV_COLUMNS):
        errors.append(ImportRowError(line=1, field=", ".join(sorted(unknown)), message=gettext(N_("Unknown column."))))
    if repeated := {name for name in header if header.count(name) > 1}:
        errors.append(ImportRowError(line=1, field=", ".join(sorted(repeated)), message=gettext(N_("This column appears more than once."))))
    return errors


def _code_of(kind: str, text: str) -> str:
    """The code a file names by itself or by its name in a language of the service (the reader's
    first: the others' catalogues are read only for a name not found), else the text as given."""
    wanted = text.strip().casefold()
    current = i18n.current_language()
    for language in (None, current, *(other for other in i18n.LANGUAGES if other != current)):
        if (code := _names(kind, language).get(wanted)) is not None:
            return code
    return text


@functools.cache
def _names(kind: str, language: str | None) -> dict[str, str]:
    """The codes of a kind by their names in a language, lower case (None: by themselves)."""
    if language is None:
        return {code.casefold(): code for code in LABELS.get(kind, {})}
    with i18n.using(language):
        return {gettext(message).casefold(): code for code, message in LABELS.get(kind, {}).items()}


def _cleaned(row: dict) -> dict:
    """Empty cells are absent values; yes/no cells in French, English or Finnish are booleans;
    a category, status or language in words is its code."""
    cleaned = {}
    for key, value in row.items():
        if key not in IMPORTED_COLUMNS or not isinstance(value, str):
            continue
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]
        if key.startswith("consent_"):
            lowered = value.lower()
            cleaned[key] = True if lowered in _TRUE else False if lowered in _FALSE else value
        elif key in WORDS and value:
            cleaned[key] = _code_of(WORDS[key], value)
        elif value:
            cleaned[key] = value
    return cleaned


async def register_pdf(tenant, members: list[dict], generated_on) -> bytes:
    # 50,000 rows take a while to render: in a thread, so the server goes on answering.
    html = await asyncio.to_thread(web.render, "members/register_pdf.html", tenant=tenant, members=members, generated_on=generated_on)
    return await pdf.html_to_pdf(html)


# --- the share ledger ---

def ledger_csv(operations: list[dict]) -> str:
    """The share ledger for a spreadsheet, one line per movement, in words."""
    header = [gettext(N_("No.")), label("field", "occurred_on"), label("field", "kind"), label("field", "number"), gettext(N_("Name")), label("field", "share_kind"),
              label("field", "shares_subscribed"), label("field", "shares_paid"), label("field", "ground"), label("field", "decision"),
              label("field", "paid_on"), label("field", "reason")]
    rows = (
        [operation["number"], operation["occurred_on"], label("operation", operation["kind"]), m["member_number"], f"{m['last_name']}, {m['first_name']}",
         label("share_kind", m["share_kind"]), m["subscribed"], m["paid"], label("ground", operation["ground"]), operation["decision"],
         operation["paid_on"], label("reason", operation["reason"])]
        for operation in operations for m in operation["movements"]
    )
    return spreadsheet_csv(header, rows)


async def share_register_pdf(tenant, members: list[dict], holdings: dict, operations: list[dict], generated_on) -> bytes:
    """The register of shares: what each member holds of each kind, then the ledger's operations."""
    html = await asyncio.to_thread(
        web.render, "members/share_register_pdf.html", tenant=tenant, members=members, holdings=holdings, operations=operations, generated_on=generated_on,
    )
    return await pdf.html_to_pdf(html)


async def certificate_pdf(tenant, member: dict, holdings: dict, settings: dict, issued_on, number: int) -> bytes:
    """A member's share certificate: its number, the shares held of each kind, the date, and the
    signatories the board set."""
    html = web.render(
        "members/share_certificate_pdf.html", tenant=tenant, member=member, holdings=holdings, settings=settings, issued_on=issued_on, number=number,
        signatories=[line.strip() for line in settings["signatories"].splitlines() if line.strip()],
    )
    return await pdf.html_to_pdf(html)


# --- the member's own data (Law 25) ---

def my_data_html(tenant, document: dict) -> str:
    """All the register holds about a member, as the PDF prints it, in the member's language."""
    language = document["entry"]["language"]
    with i18n.using(language if language in i18n.LANGUAGES else i18n.current_language()):
        return web.render("members/my_data_pdf.html", tenant=tenant, data=document, consents=CONSENTS)


async def my_data_pdf(tenant, document: dict) -> bytes:
    return await pdf.html_to_pdf(my_data_html(tenant, document))
