"""The offline reporting template: one report's entries as a workbook a focal point can fill in.

Its hidden Metadata sheet carries a token signed with the project's SECRET_KEY (Django's
signing, an HMAC) naming the report, its version, the template version and, per entry, the
revision and a fingerprint of the answers at download. The upload compares against those to tell
a row the person changed from one changed online meanwhile.

The template is written in the active language: headings, instructions, sheet names and status
labels. The upload recognises the sheets, the headings and the status labels of every language
of the portal (settings.LANGUAGES), whichever language the person uploading uses, so a file
downloaded in Russian may be uploaded from an English session and the other way round.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from activities.spreadsheets import BOLD, UNLOCKED, WRAP, Book, Styles, cell, cell_text, fill
from cami.content import translated_field
from reporting.choices import EntryStatus
from reporting.dates import long_date
from reporting.models import Evidence, NationalReport, ReportEntry

TEMPLATE_VERSION = 1
SIGNING_SALT = "reporting.excel.template"
TOKEN_CHUNK = 30_000  # characters per cell; Excel holds at most 32,767
# Translators: names of the template's sheets; at most 31 characters, none of : \ / ? * [ ].
REPORT_SHEET = pgettext_lazy("sheet name", "Report")
METADATA_SHEET = pgettext_lazy("sheet name", "Metadata")
INSTRUCTIONS_SHEET = pgettext_lazy("sheet name", "Instructions")
SIGNED = "signed"  # the Metadata sheet's label for the token's cells: never translated
GREY = fill("EEEEEE")


@dataclass(frozen=True)
class Column:
    header: str  # translatable: the heading in the language active when it is read
    width: int
    field: str = ""  # the answer it holds; empty for the locked, descriptive columns


# Written out so that makemessages finds each heading.
COLUMNS = [
    Column(pgettext_lazy("template column", "Ref"), 14),
    Column(pgettext_lazy("template column", "Section"), 26),
    Column(pgettext_lazy("template column", "Code"), 7),
    Column(pgettext_lazy("template column", "Activity"), 60),
    Column(pgettext_lazy("template column", "Indicator"), 45),
    Column(pgettext_lazy("template column", "Status"), 18, "status"),
    Column(pgettext_lazy("template column", "Progress"), 50, "narrative"),
    Column(pgettext_lazy("template column", "Achieved value"), 12, "achieved_value"),
    Column(pgettext_lazy("template column", "Year completed"), 10, "year_completed"),
    Column(pgettext_lazy("template column", "Partners"), 30, "partners"),
    Column(pgettext_lazy("template column", "Challenges"), 30, "challenges"),
    Column(pgettext_lazy("template column", "Evidence links"), 40, "evidence_links"),
    Column(pgettext_lazy("template column", "Key"), 8),
]
HEADERS = [column.header for column in COLUMNS]  # lazy: compare or str() them when needed
KEY_COLUMN = len(COLUMNS)  # 1-based: the indicator's id, hidden, how a row is recognised
STATUS_COLUMN = next(i for i, column in enumerate(COLUMNS, start=1) if column.field == "status")


def portal_languages() -> list[str]:
    """The language codes the portal offers, hence those a template may be written in."""
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(make):
    """What `make()` gives in each of the portal's languages, in settings.LANGUAGES order."""
    results = []
    for code in portal_languages():
        with translation.override(code):
            results.append(make())
    return results


def headers() -> list[str]:
    """The Report sheet's first row in the active language."""
    return [str(header) for header in HEADERS]


def sheet_names(name) -> set[str]:
    """A sheet's name as each language writes it (cut to Excel's 31 characters, as written)."""
    return set(in_every_language(lambda: str(name)[:31]))


def status_labels() -> list[str]:
    """The statuses a person chooses from, in the active language."""
    return [str(label) for _value, label in EntryStatus.choices]


def normalised(answers: dict) -> dict:
    """Answers in one canonical form, whether they came from the database or a file: text as a
    cell holds it (a browser's CRLF comes back from the file as LF), without outer spaces."""
    value = answers.get("achieved_value")
    return {
        "status": answers.get("status") or "",
        "narrative": cell_text(answers.get("narrative") or "").strip(),
        "achieved_value": None if value is None else format(Decimal(value).normalize(), "f"),
        "year_completed": answers.get("year_completed"),
        "partners": cell_text(answers.get("partners") or "").strip(),
        "challenges": cell_text(answers.get("challenges") or "").strip(),
    }


def fingerprint(answers: dict) -> str:
    canonical = json.dumps(normalised(answers), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def template_entries(report: NationalReport):
    """The report's entries in document order, with what the template shows: three queries."""
    links = Evidence.objects.exclude(url="").only("entry_id", "url").order_by("pk")
    return (
        ReportEntry.objects.filter(report=report)
        .select_related("activity__section", "indicator")
        .prefetch_related(Prefetch("evidence", links, to_attr="links"))
        .order_by("activity__position", "indicator__position")
    )


def filename(report: NationalReport) -> str:
    return f"cami-report-{report.range_state.iso3}-{report.cycle.slug}.xlsx"


def template_workbook(report: NationalReport) -> Book:
    entries = list(template_entries(report))
    book = Book()
    _instructions(book, report, len(entries))
    sheet = book.sheet(REPORT_SHEET, headers(), [column.width for column in COLUMNS],
                       hidden=[KEY_COLUMN], wrap=True)  # fmt: skip
    worksheet = sheet.worksheet
    styles = Styles(worksheet, answer={"alignment": WRAP, "protection": UNLOCKED},
                    described={"alignment": WRAP, "fill": GREY})  # fmt: skip
    kinds = ["answer" if column.field else "described" for column in COLUMNS]
    for entry in entries:
        sheet.append([
            styles.cell(value, kind) for kind, value in zip(kinds, _row(entry), strict=True)
        ])  # fmt: skip
    last = len(entries) + 1
    statuses = DataValidation(
        type="list", formula1='"' + ",".join(status_labels()) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle=str(COLUMNS[STATUS_COLUMN - 1].header),
        error=_("Choose a status from the list, or leave the cell empty if there is no answer "
                "yet."),
    )  # fmt: skip
    statuses.add(f"{get_column_letter(STATUS_COLUMN)}2:{get_column_letter(STATUS_COLUMN)}{last}")
    worksheet.data_validations.append(statuses)
    # Protection keeps the grey columns from being typed over by mistake; the upload does not
    # rely on it (anyone can lift it): it recognises rows by the hidden key and checks them.
    protection = worksheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.autoFilter = False
    _metadata(book, report, entries)
    return book


def _row(entry: ReportEntry) -> list:
    activity, section = entry.activity, entry.activity.section
    return [
        # Texts in the reader's language where translated, else in English as printed.
        activity.ref, f"{section.number}. {translated_field(section, 'title')}", activity.code,
        translated_field(activity, "text"), translated_field(entry.indicator, "text"),
        entry.get_status_display() if entry.status else None,
        entry.narrative, entry.achieved_value, entry.year_completed, entry.partners,
        entry.challenges, "\n".join(link.url for link in entry.links), entry.indicator_id,
    ]  # fmt: skip


def _instructions(book: Book, report: NationalReport, count: int) -> None:
    sheet = book.sheet(INSTRUCTIONS_SHEET, [], [110], autofilter=False, wrap=True)
    cycle, state = report.cycle, report.range_state.name
    names = {
        "state": state, "cycle": cycle.title, "start": cycle.period_start,
        "end": cycle.period_end, "due": long_date(cycle.due_on),
        "closes": long_date(cycle.closes_on), "count": count, "sheet": str(REPORT_SHEET),
        "statuses": "; ".join(status_labels()),
    }  # fmt: skip
    lines = [
        (_("CAMI national report: %(state)s, %(cycle)s") % names, BOLD),
        (_("Reporting period %(start)s-%(end)s. Due on %(due)s; the portal accepts changes "
           "until %(closes)s.") % names, None),
        (ngettext("The %(sheet)s sheet has one row for the %(count)s activity that applies to "
                  "%(state)s, filled in with what the portal held when you downloaded this "
                  "file.",
                  "The %(sheet)s sheet has one row for each of the %(count)s activities that "
                  "apply to %(state)s, filled in with what the portal held when you downloaded "
                  "this file.", count) % names, None),
        ("", None),
        (_("How to fill it in"), BOLD),
        (_("1. Grey columns (ref, section, code, activity, indicator) describe the activity; "
           "they are locked. Do not move, delete or add rows."), None),
        (_("2. Status: choose from the list: %(statuses)s. Leave it empty if there is no answer "
           "yet.") % names, None),
        (_("3. Progress, Partners, Challenges: free text. Achieved value: a number, where the "
           "indicator has a target count. Year completed: a year such as 2027."), None),
        (_("4. Evidence links: web addresses (https://...), one per line. Links are added to "
           "the entry; removing one here does not remove it from the portal. Upload files on "
           "the portal itself."), None),
        (_("5. Text is stored exactly as typed: a formula (=...) is kept as text, never "
           "calculated."), None),
        ("", None),
        (_("Uploading"), BOLD),
        (_("Upload the saved file (.xlsx) on the report's page in the portal. The whole file is "
           "checked first: if any cell is wrong, every problem is listed by row and column and "
           "nothing is saved."), None),
        (_("If someone changed an entry on the portal after you downloaded this file, the "
           "upload shows which entries and asks before overwriting them."), None),
        (_("Several colleagues may each fill in a copy; upload them one after the other."),
         None),
    ]  # fmt: skip
    for text, font in lines:
        sheet.append([cell(sheet.worksheet, text, alignment=WRAP, **(
            {"font": font} if font else {}))])  # fmt: skip


def _metadata(book: Book, report: NationalReport, entries: list[ReportEntry]) -> None:
    payload = {
        "template": TEMPLATE_VERSION, "report": report.pk, "state": report.range_state.iso3,
        "cycle": report.cycle.slug, "version": report.version,
        "entries": {str(e.indicator_id): [e.revision, fingerprint(e.answers())] for e in entries},
    }  # fmt: skip
    token = signing.dumps(payload, salt=SIGNING_SALT, compress=True)
    sheet = book.sheet(METADATA_SHEET, [], [18, 60], autofilter=False)
    worksheet = sheet.worksheet
    for label, value in [
        (_("Do not change this sheet: the portal uses it to recognise the file."), None),
        (_("template version"), TEMPLATE_VERSION), (_("report"), report.pk),
        (_("range state"), report.range_state.iso3), (_("cycle"), report.cycle.slug),
        (_("report version"), report.version),
        (_("downloaded"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")),
    ]:  # fmt: skip
        worksheet.append([cell(worksheet, label), value])
    for start in range(0, len(token), TOKEN_CHUNK):
        worksheet.append([SIGNED, token[start : start + TOKEN_CHUNK]])
    worksheet.sheet_state = "hidden"
    worksheet.protection.sheet = True


def read_token(payload_cells: list[str]) -> dict:
    """The signed payload; signing.BadSignature if it was altered or signed elsewhere."""
    return signing.loads("".join(payload_cells), salt=SIGNING_SALT)
