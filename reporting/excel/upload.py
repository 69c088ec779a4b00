"""A filled template coming back: the whole file is checked before anything is saved.

Every problem is listed by row and column; one bad cell means nothing is stored. Rows changed in
the file and, since the download, on the portal too are conflicts: they are shown and only
overwritten when the person says so. Each saved entry goes through the same service (and the same
permission table) as the online form, with "Excel upload" as the history's reason.

A template written in any of the portal's languages is read whatever language the person uploading
uses: sheets, headings and status labels are recognised in all of them. What the upload says back
is in the uploader's language.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import PurePath

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from reporting import services
from reporting.choices import EntryStatus
from reporting.excel.archive import WorkbookRefused, check_archive, sheets_within
from reporting.excel.template import (
    COLUMNS,
    KEY_COLUMN,
    METADATA_SHEET,
    REPORT_SHEET,
    SIGNED,
    TEMPLATE_VERSION,
    fingerprint,
    headers,
    in_every_language,
    read_token,
    sheet_names,
    status_labels,
)
from reporting.models import Evidence, NationalReport, ReportEntry
from reporting.models.entries import ANSWER_FIELDS
from reporting.permissions import check

SOURCE = "Excel upload"  # the history's reason: stored, so in one language for everyone
MAX_COLUMNS = 60
MAX_EXTRA_ROWS = 200
MAX_TEXT = 32_767  # what one Excel cell holds
GROUPED = re.compile(r"^-?\d{1,3}([, ]\d{3})+(\.\d+)?$")  # 1,234.5 or 1 234.5
# 2,5 and 1 234,5 as Russian (and much of Europe) writes them
DECIMAL_COMMA = re.compile(r"^-?\d{1,3}( \d{3})*,\d+$|^-?\d+,\d{1,2}$")
MAX_LINK = 500
BY_HEADER = {column.field: column.header for column in COLUMNS if column.field}


class TemplateRefused(Exception):
    """The file was not taken; `errors` says every reason, for a person."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(" ".join(errors))


@dataclass(frozen=True)
class Conflict:
    ref: str
    modified_by: str
    modified_at: str
    fields: list[str]


class TemplateConflict(Exception):
    """Entries changed both in the file and on the portal since the download."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        refs = ", ".join(c.ref for c in conflicts)
        super().__init__(
            ngettext(
                "%(count)s entry was changed on the portal after this file was downloaded and "
                "also in the file: %(refs)s. Nothing was saved.",
                "%(count)s entries were changed on the portal after this file was downloaded and "
                "also in the file: %(refs)s. Nothing was saved.",
                len(conflicts),
            )
            % {"count": len(conflicts), "refs": refs}
        )


@dataclass
class UploadResult:
    updated: list[str] = field(default_factory=list)
    links_added: int = 0
    kept_online: list[str] = field(default_factory=list)
    unchanged: int = 0
    absent: int = 0


@dataclass
class _Row:
    number: int
    entry: ReportEntry
    answers: dict
    links: list[str]


def upload_template(*, report: NationalReport, actor, upload, overwrite: bool = False):
    """Applies a filled template to `report`, all or nothing; returns what changed."""
    check(actor, "edit_entry", report)
    name = PurePath(upload.name or "upload.xlsx").name[:200]
    limit = settings.TEMPLATE_MAX_BYTES
    if upload.size > limit:
        raise TemplateRefused([
            _("“%(name)s” is %(size)s; a filled template may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        ])  # fmt: skip
    try:
        check_archive(upload, name)
        token, rows = _read(upload, name, report)
    except WorkbookRefused as refusal:
        raise TemplateRefused([str(refusal)]) from refusal
    with transaction.atomic():
        report = NationalReport.objects.select_for_update().get(pk=report.pk)
        check(actor, "edit_entry", report)
        entries = {
            entry.indicator_id: entry
            for entry in report.entries.select_related("activity", "modified_by").prefetch_related(
                Prefetch("evidence", Evidence.objects.exclude(url=""), to_attr="links")
            )
        }
        checked = _checked_rows(rows, entries, token)
        return _apply(checked, entries, token, actor, overwrite)


def _too_many_rows(entries: int) -> str:
    return _(
        "The %(sheet)s sheet has far more rows than the %(count)s entries of this report; rows "
        "cannot be added."
    ) % {"sheet": REPORT_SHEET, "count": entries}


def _read(upload, name: str, report: NationalReport) -> tuple[dict, list[tuple[int, tuple]]]:
    """The verified token and the Report sheet's rows, read in streaming mode."""
    entries = report.entries.count()
    try:
        within = sheets_within(upload, entries + MAX_EXTRA_ROWS + 1)
    except (DefusedXmlException, SyntaxError) as error:  # ParseError is a SyntaxError
        raise WorkbookRefused(
            _unsafe_xml(name)
            if isinstance(error, DefusedXmlException)
            else _("“%(name)s” could not be read as an Excel workbook.") % {"name": name}
        ) from error
    if not within:
        raise WorkbookRefused(_too_many_rows(entries))
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        if _caused_by_unsafe_xml(error):
            raise WorkbookRefused(_unsafe_xml(name)) from error
        raise WorkbookRefused(
            _("“%(name)s” could not be read as an Excel workbook.") % {"name": name}
        ) from error
    try:
        report_sheet = _sheet(workbook, REPORT_SHEET)
        metadata_sheet = _sheet(workbook, METADATA_SHEET)
        if report_sheet is None or metadata_sheet is None:
            raise WorkbookRefused(
                _(
                    "“%(name)s” is not a CAMI reporting template: it has no %(sheet)s sheet with "
                    "its hidden metadata. Download the template from the report's page."
                )
                % {"name": name, "sheet": REPORT_SHEET}
            )
        token = _verified(_token_cells(metadata_sheet), report)
        sheet = report_sheet
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise WorkbookRefused(
                _(
                    "The %(sheet)s sheet uses %(used)s columns; the template has %(count)s. "
                    "Remove what was added beside the table and upload again."
                )
                % {
                    "sheet": REPORT_SHEET,
                    "used": number_format(sheet.max_column, force_grouping=True),
                    "count": len(COLUMNS),
                }
            )
        limit = len(token["entries"]) + MAX_EXTRA_ROWS
        rows = []
        for number, values in enumerate(
            sheet.iter_rows(max_col=len(COLUMNS), values_only=True), start=1
        ):
            if number > limit + 1:
                raise WorkbookRefused(_too_many_rows(len(token["entries"])))
            if any(value not in (None, "") for value in values):
                rows.append((number, tuple(values) + (None,) * (len(COLUMNS) - len(values))))
        return token, rows
    except DefusedXmlException as error:
        raise WorkbookRefused(_unsafe_xml(name)) from error
    finally:
        workbook.close()


def _sheet(workbook, name):
    """The sheet called `name` in any of the portal's languages, or None."""
    names = sheet_names(name)
    return next((workbook[title] for title in workbook.sheetnames if title in names), None)


def _caused_by_unsafe_xml(error: BaseException | None) -> bool:
    """openpyxl wraps what defusedxml raises in its own ValueError."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _unsafe_xml(name: str) -> str:
    return _(
        "“%(name)s” contains XML entity declarations, which spreadsheets never need and which "
        "can be used to attack a server; it was not opened."
    ) % {"name": name}


def _token_cells(sheet) -> list[str]:
    return [
        value
        for label, value in sheet.iter_rows(max_row=500, max_col=2, values_only=True)
        if label == SIGNED and isinstance(value, str)
    ]


def _verified(cells: list[str], report: NationalReport) -> dict:
    try:
        token = read_token(cells)
    except signing.BadSignature as error:
        raise WorkbookRefused(
            _(
                "This file's hidden signature does not match: it was not downloaded from this "
                "portal, or its hidden %(sheet)s sheet was changed. Download a fresh template "
                "from the report's page and copy your answers into it."
            )
            % {"sheet": METADATA_SHEET}
        ) from error
    if token.get("template") != TEMPLATE_VERSION:
        raise WorkbookRefused(
            _(
                "This file is template version %(version)s; the portal now reads version "
                "%(current)s. Download a fresh template and copy your answers into it."
            )
            % {"version": token.get("template"), "current": TEMPLATE_VERSION}
        )
    state, cycle = report.range_state, report.cycle
    if token.get("state") != state.iso3 or token.get("cycle") != cycle.slug:
        raise WorkbookRefused(
            _(
                "This template is for the %(file_state)s report of the %(file_cycle)s cycle, not "
                "for %(state)s's report of %(cycle)s. Upload it on that report's page."
            )
            % {
                "file_state": token.get("state"),
                "file_cycle": token.get("cycle"),
                "state": state.name,
                "cycle": cycle.title,
            }
        )
    if token.get("report") != report.pk:
        raise WorkbookRefused(
            _(
                "This template belongs to an earlier report that has since been replaced. "
                "Download a fresh template."
            )
        )
    return token


def _checked_rows(rows, entries: dict[int, ReportEntry], token: dict) -> list[_Row]:
    errors: list[str] = []
    first = [str(v or "").strip() for v in rows[0][1]] if rows else None
    if not rows or rows[0][0] != 1 or first not in in_every_language(headers):
        errors.append(
            _(
                "Row 1: the column headings are not the template's (%(headings)s). Columns must "
                "not be moved, renamed or removed."
            )
            % {"headings": ", ".join(headers()[:-1])}
        )
        raise TemplateRefused(errors)
    statuses = _status_codes()
    seen: dict[int, int] = {}
    checked = []
    for number, values in rows[1:]:
        entry, problem = _entry_of(values, entries, token, seen, number)
        if problem:
            errors.append(problem)
            continue
        answers, links, problems = _answers(values, number, statuses)
        errors += problems
        if not problems:
            checked.append(_Row(number, entry, answers, links))
    if errors:
        raise TemplateRefused(errors)
    return checked


def _entry_of(values, entries, token, seen, number) -> tuple[ReportEntry | None, str]:
    key = _integer(values[KEY_COLUMN - 1])
    if key is None:
        return None, _(
            "Row %(row)s: this row has no key in the hidden column %(column)s; rows cannot be "
            "added to the template. Remove it, or download a fresh template."
        ) % {"row": number, "column": COLUMNS[KEY_COLUMN - 1].header}
    if key not in entries or str(key) not in token["entries"]:
        return None, _("Row %(row)s: this row does not belong to this report.") % {"row": number}
    entry = entries[key]
    if key in seen:
        return None, _("Row %(row)s: repeats row %(first)s (activity %(ref)s).") % {
            "row": number, "first": seen[key], "ref": entry.activity.ref,
        }  # fmt: skip
    seen[key] = number
    ref = str(values[0] if values[0] is not None else "").strip()
    if ref != entry.activity.ref:
        return None, _(
            "Row %(row)s, column %(column)s: '%(value)s' but this row is activity %(ref)s. Grey "
            "columns must not be edited."
        ) % {"row": number, "column": COLUMNS[0].header, "value": ref, "ref": entry.activity.ref}
    return entry, ""


def _answers(values, number: int, statuses: dict) -> tuple[dict, list[str], list[str]]:
    """The row's answers, its links, and every problem, each naming row and column."""
    cells = {column.field: values[i] for i, column in enumerate(COLUMNS) if column.field}
    problems = []
    answers = {}
    parsers = {"status": partial(_status, statuses=statuses), **PARSERS}
    for field_name, parse in parsers.items():
        value, problem = parse(cells[field_name])
        if problem:
            problems.append(_in_cell(number, field_name, problem))
        answers[field_name] = value
    links, problem = _links(cells["evidence_links"])
    if problem:
        problems.append(_in_cell(number, "evidence_links", problem))
    return answers, links, problems


def _in_cell(number: int, field_name: str, problem: str) -> str:
    return _("Row %(row)s, column %(column)s: %(problem)s") % {
        "row": number, "column": BY_HEADER[field_name], "problem": problem,
    }  # fmt: skip


def _status_codes() -> dict[str, str]:
    """Status code by what a person may type: the code, or the label in any portal language."""
    known = {code.casefold(): code for code in EntryStatus.values}
    for labels in in_every_language(status_labels):
        known |= {
            label.casefold(): code for code, label in zip(EntryStatus.values, labels, strict=True)
        }
    return known


def _status(value, statuses: dict) -> tuple[str, str]:
    """`statuses` from `_status_codes`, worked out once per upload."""
    text = _text_of(value).strip()
    if not text:
        return "", ""
    if text.casefold() in statuses:
        return statuses[text.casefold()], ""
    return "", _("'%(value)s' is not one of %(statuses)s.") % {
        "value": text, "statuses": ", ".join(status_labels()),
    }  # fmt: skip


def _text(value) -> tuple[str, str]:
    text = _text_of(value).strip()
    if len(text) > MAX_TEXT:
        return "", _("%(length)s characters; at most %(limit)s fit in one answer.") % {
            "length": number_format(len(text), force_grouping=True),
            "limit": number_format(MAX_TEXT, force_grouping=True),
        }  # fmt: skip
    return text, ""


def _not_a_number(value) -> str:
    return _("'%(value)s' is not a number.") % {"value": value}


def _achieved(value) -> tuple[Decimal | None, str]:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None, _not_a_number(value)
    try:
        number = Decimal(_number_text(value) if isinstance(value, str) else str(value))
    except InvalidOperation:
        return None, _not_a_number(value)
    if not number.is_finite():
        return None, _not_a_number(value)
    if number != number.quantize(Decimal("0.01")) or abs(number) >= Decimal("1e10"):
        return None, _("'%(value)s' has more than 10 digits or more than 2 decimal places.") % {
            "value": value
        }
    return number.quantize(Decimal("0.01")), ""


def _number_text(text: str) -> str:
    """A typed number as Decimal reads it: group separators dropped, a decimal comma a point."""
    text = text.strip().replace("\u00a0", " ")
    if GROUPED.match(text):
        return text.replace(",", "").replace(" ", "")
    if DECIMAL_COMMA.match(text):
        return text.replace(" ", "").replace(",", ".")
    return text


def _year(value) -> tuple[int | None, str]:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return None, ""
    year = _integer(value)
    if year is None or not 2000 <= year <= 2100:
        return None, _("'%(value)s' is not a year between 2000 and 2100.") % {"value": value}
    return year, ""


PARSERS = {  # the status's parser needs the upload's status codes: see _answers
    "narrative": _text, "achieved_value": _achieved, "year_completed": _year,
    "partners": _text, "challenges": _text,
}  # fmt: skip


def _links(value) -> tuple[list[str], str]:
    validate = URLValidator(schemes=["http", "https"])
    links = []
    for link in _text_of(value).split():
        try:
            if len(link) > MAX_LINK:
                raise ValidationError("too long")
            validate(link)
        except ValidationError:
            return [], _("'%(link)s' is not a web address starting with https:// or http://.") % {
                "link": link[:80]
            }
        if link not in links:
            links.append(link)
    return links, ""


def _text_of(value) -> str:
    """A cell as the text a person sees; a formula is kept as its text, never evaluated."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        return int(value.strip())
    return None


def _apply(rows: list[_Row], entries, token: dict, actor, overwrite: bool) -> UploadResult:
    result = UploadResult(absent=len(entries) - len(rows))
    updates, conflicts = [], []
    for row in rows:
        entry = row.entry
        _revision, downloaded_fingerprint = token["entries"][str(entry.indicator_id)]
        now = fingerprint(entry.answers())
        mine = fingerprint(row.answers)
        if mine == now:
            result.unchanged += 1
        elif mine == downloaded_fingerprint:
            result.kept_online.append(entry.activity.ref)  # changed online; untouched in file
        elif now == downloaded_fingerprint or overwrite:  # the portal's answers are unchanged
            updates.append(row)
        else:
            conflicts.append(_conflict(row))
    if conflicts:
        raise TemplateConflict(conflicts)
    if updates:
        _save_all(updates, actor)
    result.updated = [row.entry.activity.ref for row in updates]
    for row in rows:
        known = {link.url for link in row.entry.links}
        for link in row.links:
            if link not in known:
                services.add_evidence(entry=row.entry, actor=actor, url=link)
                result.links_added += 1
    return result


def _save_all(updates: list[_Row], actor) -> None:
    """The changed rows, saved as one change of the report; a refusal names the row."""
    by_entry = {row.entry.pk: row for row in updates}
    try:
        services.save_entries(
            report=updates[0].entry.report, actor=actor, source=SOURCE,
            changes=[(row.entry, row.answers, row.entry.revision) for row in updates],
        )  # fmt: skip
    except services.EntryConflict as stale:
        row = by_entry[stale.current.pk]
        raise TemplateRefused([
            _("Row %(row)s: activity %(ref)s was saved on the portal while your file was "
              "being read. Nothing was saved; upload the file again.")
            % {"row": row.number, "ref": row.entry.activity.ref}
        ]) from stale  # fmt: skip
    except ValidationError as error:
        raise TemplateRefused(error.messages) from error


def _conflict(row: _Row) -> Conflict:
    entry = row.entry
    stored = entry.answers()
    fields = [
        str(BY_HEADER[name])
        for name in ANSWER_FIELDS
        if fingerprint({**stored, name: row.answers[name]}) != fingerprint(stored)
    ]
    return Conflict(
        ref=entry.activity.ref,
        modified_by=str(entry.modified_by or _("someone")),
        modified_at=entry.modified_at.strftime("%Y-%m-%d %H:%M UTC"),
        fields=fields,
    )
