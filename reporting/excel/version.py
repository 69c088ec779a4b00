"""A submitted version as a workbook, as it was submitted: the one published beside its PDF for
an accepted report (the offline template is the live report, not the version)."""

from django.utils.translation import gettext as _

from activities.models import Indicator
from activities.spreadsheets import Book
from cami.content import in_language, translated_field
from reporting.definition import Definition, Rows, shown_answer
from reporting.models import ReportVersion


def version_workbook(version: ReportVersion) -> Book:
    """One row per entry (its activity, indicator and every answer in words), and the report's
    own answers on a second sheet; in the active language. Three queries."""
    report = version.report
    definition, rows = Definition(version.form), Rows(report.range_state)
    questions = definition.entry_questions
    indicators = Indicator.objects.select_related("activity__section").in_bulk(
        [item["indicator"] for item in version.entries]
    )
    book = Book()
    entries = book.sheet(
        _("Entries"), [_("Activity"), _("Section"), _("Activity text"), _("Indicator"),
                       *[in_language(q.label) or q.code for q in questions]],
        widths=[9, 24, 50, 40, *[24] * len(questions)], wrap=True,
    )  # fmt: skip
    for item in version.entries:
        indicator = indicators.get(item["indicator"])
        if indicator is None:  # removed from the programme since: the answers still stand
            continue
        section = indicator.activity.section
        entries.append([
            item["ref"], f"{section.number}. {translated_field(section, 'title')}",
            translated_field(indicator.activity, "text"), translated_field(indicator, "text"),
            *[shown_answer(q, item["answers"].get(q.code), rows) for q in questions],
        ])  # fmt: skip
    about = book.sheet(_("About the report"), [_("Question"), _("Answer")], widths=[40, 80],
                       wrap=True)  # fmt: skip
    about.append([_("Range State"), report.range_state.name])
    about.append([_("Reporting cycle"), report.cycle.translated_title])
    about.append([_("Version"), str(version.number)])
    about.append([_("Submitted"), version.submitted_at.date().isoformat()])
    if version.accepted_at:
        about.append([_("Accepted"), version.accepted_at.date().isoformat()])
    for label, answer in definition.displayed(definition.report_questions, version.answers, rows):
        about.append([label, answer])
    return book
