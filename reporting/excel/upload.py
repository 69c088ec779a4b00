"""A filled template coming back: the whole file is checked before anything is saved.

Every cell goes through the report's form (`Definition.clean_one`), the same check as the page and
the API; every problem is listed by row and column (the question), and one bad cell means nothing
is stored. Entries (and the report's own answers) changed in the file and, since the download, on
the portal too are conflicts: they are shown and only overwritten when the person says so. Saves
go through the same services (and the same permission table) as the online form, with "Excel
upload" as the history's reason.

A template written in any of the portal's languages is read whatever language the person uploading
uses: sheets, headings and choices are recognised in all of them. What the upload says back is in
the uploader's language.
"""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting import services
from reporting.excel.archive import WorkbookRefused, check_archive
from reporting.excel.layout import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_SHEET,
    DESCRIBED,
    EVIDENCE,
    KEY,
    REPORT_QUESTION_COLUMNS,
    REPORT_QUESTIONS_SHEET,
    Layout,
    canonical,
    condition,
    fingerprint,
    label,
)
from reporting.excel.reader import form_changed, read_template
from reporting.models import NationalReport, ReportEntry
from reporting.models.forms import Question
from reporting.permissions import check
from reporting.questions import every_language, is_answered

SOURCE = "Excel upload"  # the history's reason: stored, so in one language for everyone
MAX_LINK = 500


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
    """Activity refs (and the name of the sheet of the report's own answers, when they are
    concerned) updated or kept; entries unchanged and absent from the file."""

    updated: list[str] = field(default_factory=list)
    links_added: int = 0
    kept_online: list[str] = field(default_factory=list)
    unchanged: int = 0
    absent: int = 0


@dataclass
class _Filed:
    """An entry, or the report's own answers (`entry` None), as the file has them."""

    place: str  # where it is in the file, for messages: "Row 5"
    entry: ReportEntry | None
    incoming: dict = field(default_factory=dict)  # {code: value the file gives, None to clear}
    typed_at: dict = field(default_factory=dict)  # {code: its cell and question, for messages}
    links: list[str] = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # the answers the file leaves, once merged


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
    layout = Layout(report)
    try:
        check_archive(upload, name)
        token, sheets = read_template(upload, name, layout)
    except WorkbookRefused as refusal:
        raise TemplateRefused([str(refusal)]) from refusal
    with transaction.atomic():
        report = (
            # Lock the report row alone: PostgreSQL locks no nullable side of a join.
            NationalReport.objects.select_for_update(of=("self",))
            .select_related("cycle", "range_state", "modified_by")
            .get(pk=report.pk)
        )
        check(actor, "edit_entry", report)
        if report.form_id != layout.definition.form.pk:
            raise TemplateRefused([form_changed()])
        # The entries as they are now that the report is locked: what the file is compared with.
        layout = Layout(report, layout.definition, layout.rows)
        filed, own = _checked(sheets, layout, token)
        return _apply(filed, own, layout, token, actor, overwrite)


def _normal(heading) -> str:
    return str(heading or "").strip().removesuffix("*").strip().casefold()


def _fixed(column) -> set[str]:
    """A fixed column's heading as any portal language writes it."""
    return {_normal(text) for text in every_language(lambda: str(column.header))}


def _labels(question: Question) -> set[str]:
    return {_normal(text) for text in question.label.values()} | {_normal(label(question))}


def _headings_match(found: tuple, expected: list[set[str]]) -> bool:
    return len(found) == len(expected) and all(
        _normal(value) in accepted for value, accepted in zip(found, expected, strict=True)
    )


def _checked(sheets: dict, layout: Layout, token: dict) -> tuple[list[_Filed], _Filed | None]:
    """What the file says, entry by entry and for the report; every problem refused at once."""
    errors: list[str] = []
    filed: dict[int, _Filed] = {}
    _report_rows(sheets["report"], layout, token, filed, errors)
    if "breakdowns" in sheets:
        _breakdown_rows(sheets["breakdowns"], layout, token, filed, errors)
    own = None
    if "report_questions" in sheets:
        own = _report_question_rows(sheets["report_questions"], layout, errors)
    definition = layout.definition
    for item in filed.values():
        entry = item.entry
        questions = definition.questions_for(entry.activity)
        item.answers = _merged(item, questions, entry.answer_values(), layout, errors)
    if own is not None:
        own.answers = _merged(own, definition.report_questions, layout.report.answers, layout,
                              errors)  # fmt: skip
    if errors:
        raise TemplateRefused(errors)
    return list(filed.values()), own


def _report_rows(rows, layout: Layout, token: dict, filed: dict, errors: list[str]) -> None:
    definition = layout.definition
    questions = [definition.by_code[code] for code in token["columns"]]
    expected = [*(_fixed(c) for c in DESCRIBED), *(_labels(q) for q in questions),
                _fixed(EVIDENCE), _fixed(KEY)]  # fmt: skip
    if not rows or rows[0][0] != 1 or not _headings_match(rows[0][1], expected):
        raise TemplateRefused([
            _("Row 1: the column headings are not the template's (%(headings)s). Columns must "
              "not be moved, renamed or removed.")
            % {"headings": ", ".join(layout.headings(token["columns"])[:-1])}
        ])  # fmt: skip
    entries = {entry.indicator_id: entry for entry in layout.entries}
    first = len(DESCRIBED)
    key_index = first + len(questions) + 1
    seen: dict[int, int] = {}
    for number, values in rows[1:]:
        entry, problem = _entry_of(values[key_index], values[0], entries, token, seen, number)
        if problem:
            errors.append(problem)
            continue
        item = filed[entry.pk] = _Filed(_("Row %(row)s") % {"row": number}, entry)
        where = layout.rows.at(entry.activity)
        for question, raw in zip(questions, values[first : first + len(questions)], strict=True):
            column = label(question)
            if not layout.applies(question, entry):
                if _typed(raw):
                    errors.append(_("Row %(row)s, column %(column)s: this question is not asked "
                                    "about activity %(ref)s; leave the cell empty.")
                                  % {"row": number, "column": column,
                                     "ref": entry.activity.ref})  # fmt: skip
                continue
            value, problems = definition.clean_one(question, raw, where)
            # Each problem begins with the question's label: the column, as the person reads it.
            errors += [_("Row %(row)s, column %(problem)s") % {"row": number, "problem": problem}
                       for problem in problems]  # fmt: skip
            item.incoming[question.code] = value
            item.typed_at[question.code] = _("Row %(row)s, column %(column)s") % {
                "row": number, "column": column}  # fmt: skip
        item.links, problem = _links(values[key_index - 1])
        if problem:
            errors.append(_("Row %(row)s, column %(column)s: %(problem)s") % {
                "row": number, "column": EVIDENCE.header, "problem": problem})  # fmt: skip


def _entry_of(key, ref, entries, token, seen, number, sheet=None) -> tuple[ReportEntry | None,
                                                                           str]:  # fmt: skip
    """The entry a row's hidden key names, or why the row cannot be read."""
    place = _place(sheet, number)
    key = _integer(key)
    if key is None:
        return None, _(
            "%(place)s: this row has no key in the hidden column %(column)s; rows cannot be "
            "added to the template. Remove it, or download a fresh template."
        ) % {"place": place, "column": KEY.header}
    if key not in entries or str(key) not in token["entries"]:
        return None, _("%(place)s: this row does not belong to this report.") % {"place": place}
    entry = entries[key]
    if key in seen:
        return None, _("%(place)s: repeats row %(first)s (activity %(ref)s).") % {
            "place": place, "first": seen[key], "ref": entry.activity.ref,
        }  # fmt: skip
    seen[key] = number
    ref = str(ref if ref is not None else "").strip()
    if ref != entry.activity.ref:
        return None, _(
            "%(place)s, column %(column)s: '%(value)s' but this row is activity %(ref)s. Grey "
            "columns must not be edited."
        ) % {"place": place, "column": DESCRIBED[0].header, "value": ref, "ref": entry.activity.ref}
    return entry, ""


def _place(sheet, number: int) -> str:
    if sheet is None:
        return _("Row %(row)s") % {"row": number}
    return _("%(sheet)s sheet, row %(row)s") % {"sheet": sheet, "row": number}


def _other_headings(rows, sheet, columns) -> None:
    expected = [_fixed(column) for column in columns]
    if not rows or rows[0][0] != 1 or not _headings_match(rows[0][1], expected):
        raise TemplateRefused([
            _("%(sheet)s sheet, row 1: the column headings are not the template's "
              "(%(headings)s). Columns must not be moved, renamed or removed.")
            % {"sheet": sheet, "headings": ", ".join(str(c.header) for c in columns)}
        ])  # fmt: skip


def _breakdown_rows(rows, layout: Layout, token: dict, filed: dict, errors: list[str]) -> None:
    """Answers per species or unit, merged into their entry's answers."""
    sheet = BREAKDOWN_SHEET
    _other_headings(rows, sheet, BREAKDOWN_COLUMNS)
    entries = {entry.indicator_id: entry for entry in layout.entries}
    asked = {q.code: q for q in layout.breakdowns}
    seen: dict[tuple, int] = {}
    for number, values in rows[1:]:
        ref, raw, key, code, row_key = values[0], values[4], values[5], values[6], values[7]
        entry, problem = _entry_of(key, ref, entries, token, {}, number, sheet)
        question = asked.get(code) if entry else None
        where = layout.rows.at(entry.activity) if entry else None
        rows_of = {row.key for row in where.of(question)} if question else set()
        if not problem and (not question or not layout.applies(question, entry)
                            or row_key not in rows_of):  # fmt: skip
            problem = _("%(place)s: this row does not belong to this report.") % {
                "place": _place(sheet, number)}  # fmt: skip
        if not problem and (entry.pk, code, row_key) in seen:
            problem = _("%(place)s: repeats row %(first)s.") % {
                "place": _place(sheet, number), "first": seen[entry.pk, code, row_key]}  # fmt: skip
        if problem:
            errors.append(problem)
            continue
        seen[entry.pk, code, row_key] = number
        value, problems = layout.definition.clean_one(question, {row_key: raw}, where)
        errors += [f"{_place(sheet, number)}: {problem}" for problem in problems]
        item = filed.setdefault(entry.pk, _Filed(_place(sheet, number), entry))
        item.incoming.setdefault(code, {})[row_key] = (value or {}).get(row_key)
        item.typed_at.setdefault(code, f"{_place(sheet, number)}: {label(question)}")


def _report_question_rows(rows, layout: Layout, errors: list[str]) -> _Filed:
    """The report's own answers, one per row (per species or unit for a breakdown)."""
    sheet = REPORT_QUESTIONS_SHEET
    _other_headings(rows, sheet, REPORT_QUESTION_COLUMNS)
    asked = {q.code: q for q in layout.report_questions}
    own = _Filed(_place(sheet, 2), None)
    seen: dict[tuple, int] = {}
    for number, values in rows[1:]:
        raw, code, row_key = values[2], values[3], values[4]
        place = _place(sheet, number)
        question = asked.get(code)
        keys = {row.key for row in layout.rows.of(question)} if question else set()
        if not question or (row_key not in keys if question.breakdown else row_key):
            errors.append(_("%(place)s: this row is not one of the template's; remove it, or "
                            "download a fresh template.") % {"place": place})  # fmt: skip
            continue
        if (code, row_key) in seen:
            errors.append(_("%(place)s: repeats row %(first)s.") % {
                "place": place, "first": seen[code, row_key]})  # fmt: skip
            continue
        seen[code, row_key] = number
        typed = {row_key: raw} if question.breakdown else raw
        value, problems = layout.definition.clean_one(question, typed, layout.rows)
        errors += [f"{place}: {problem}" for problem in problems]
        if question.breakdown:
            own.incoming.setdefault(code, {})[row_key] = (value or {}).get(row_key)
        else:
            own.incoming[code] = value
        own.typed_at.setdefault(code, f"{place}: {label(question)}")
    return own


def _merged(item: _Filed, questions: list[Question], current: dict, layout: Layout,
            errors: list[str]) -> dict:  # fmt: skip
    """The answers the file leaves: `current` ones with the file's applied (breakdown rows merged
    into what is stored for the others), without answers their condition now hides."""
    definition = layout.definition
    merged = dict(current)
    for question in questions:
        code = question.code
        if code not in item.incoming:
            continue
        value = item.incoming[code]
        if question.breakdown:
            where = layout.rows.at(item.entry.activity) if item.entry else layout.rows
            known = {row.key for row in where.of(question)}
            rows = {k: v for k, v in (current.get(code) or {}).items() if k in known}
            rows.update(value)
            value = item.incoming[code] = {k: v for k, v in rows.items() if v is not None} or None
        if value is None:
            merged.pop(code, None)
        else:
            merged[code] = value
    for question in questions:
        code = question.code
        # A new answer to a question its condition hides is refused; one left as it was while
        # the condition changed is dropped, as the online form drops it.
        if (code in item.incoming and is_answered(merged.get(code))
                and canonical(merged.get(code)) != canonical(current.get(code))
                and not definition.shown(question, merged)):  # fmt: skip
            errors.append(f"{item.typed_at[code]}: {condition(question, definition)}.")
    return definition.visible_only(questions, merged)


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


def _typed(value) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


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


def _apply(filed: list[_Filed], own: _Filed | None, layout: Layout, token: dict, actor,
           overwrite: bool) -> UploadResult:  # fmt: skip
    report = layout.report
    result = UploadResult(absent=len(layout.entries) - len(filed))
    updates, conflicts = [], []
    for item in filed:
        entry = item.entry
        _revision, downloaded = token["entries"][str(entry.indicator_id)]
        kind = _compare(item, entry.answer_values(), downloaded, overwrite)
        if kind == "unchanged":
            result.unchanged += 1
        elif kind == "kept_online":  # changed online; untouched in the file
            result.kept_online.append(entry.activity.ref)
        elif kind == "update":
            updates.append(item)
        else:
            questions = layout.definition.questions_for(entry.activity)
            conflicts.append(Conflict(
                ref=entry.activity.ref, modified_by=str(entry.modified_by or _("someone")),
                modified_at=entry.modified_at.strftime("%Y-%m-%d %H:%M UTC"),
                fields=_differing(questions, item.answers, entry.answer_values()),
            ))  # fmt: skip
    own_kind = ""
    if own is not None:
        own_kind = _compare(own, report.answers, token["answers"][1], overwrite)
        if own_kind == "kept_online":
            result.kept_online.append(str(REPORT_QUESTIONS_SHEET))
        elif own_kind == "conflict":
            conflicts.append(Conflict(
                ref=str(REPORT_QUESTIONS_SHEET),
                modified_by=str(report.modified_by or _("someone")),
                modified_at=report.modified_at.strftime("%Y-%m-%d %H:%M UTC"),
                fields=_differing(layout.report_questions, own.answers, report.answers),
            ))  # fmt: skip
    if conflicts:
        raise TemplateConflict(conflicts)
    if updates:
        _save_all(updates, report, actor)
    result.updated = [item.entry.activity.ref for item in updates]
    if own_kind == "update":
        try:
            services.save_report_answers(report=report, actor=actor, data=own.incoming,
                                         expected_revision=report.answers_revision,
                                         source=SOURCE)  # fmt: skip
        except ValidationError as error:
            raise TemplateRefused(error.messages) from error
        result.updated.append(str(REPORT_QUESTIONS_SHEET))
    for item in filed:
        known = {link.url for link in item.entry.links}
        for link in item.links:
            if link not in known:
                services.add_evidence(entry=item.entry, actor=actor, url=link)
                result.links_added += 1
    return result


def _compare(item: _Filed, now_answers: dict, downloaded: str, overwrite: bool) -> str:
    """unchanged, kept_online, update or conflict: the file against the portal, now and at the
    download."""
    mine, now = fingerprint(item.answers), fingerprint(now_answers)
    if mine == now:
        return "unchanged"
    if mine == downloaded:
        return "kept_online"
    if now == downloaded or overwrite:  # the portal's answers are as they were downloaded
        return "update"
    return "conflict"


def _differing(questions: list[Question], mine: dict, stored: dict) -> list[str]:
    """The questions whose answer in the file is not the portal's, by label."""
    return [
        label(question)
        for question in questions
        if canonical(mine.get(question.code)) != canonical(stored.get(question.code))
    ]


def _save_all(updates: list[_Filed], report: NationalReport, actor) -> None:
    """The changed entries, saved as one change of the report; a refusal names the row."""
    by_entry = {item.entry.pk: item for item in updates}
    try:
        services.save_entries(
            report=report, actor=actor, source=SOURCE,
            changes=[(item.entry, item.incoming, item.entry.revision) for item in updates],
        )  # fmt: skip
    except services.EntryConflict as stale:
        item = by_entry[stale.current.pk]
        raise TemplateRefused([
            _("%(place)s: activity %(ref)s was saved on the portal while your file was being "
              "read. Nothing was saved; upload the file again.")
            % {"place": item.place, "ref": item.entry.activity.ref}
        ]) from stale  # fmt: skip
    except ValidationError as error:
        raise TemplateRefused(error.messages) from error
