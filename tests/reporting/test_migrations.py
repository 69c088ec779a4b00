"""Reports made before forms were data keep every answer, their history and their versions."""

import datetime
from decimal import Decimal

import pytest

BEFORE = [("reporting", "0003_workflow_table")]
AFTER = [("reporting", "0004_reporting_forms")]


@pytest.mark.django_db(transaction=True)
def test_the_six_answers_become_answers_to_the_default_form(programme, migrate):
    old = migrate(BEFORE)
    cycle = old.get_model("reporting", "ReportingCycle").objects.create(
        title="First", slug="first", period_start=2026, period_end=2028,
        opens_on=datetime.date(2026, 1, 1), due_on=datetime.date(2028, 1, 1),
        closes_on=datetime.date(2028, 12, 31),
    )  # fmt: skip
    state = old.get_model("conservation_units", "RangeState").objects.get(iso3="KAZ")
    report = old.get_model("reporting", "NationalReport").objects.create(
        cycle=cycle, range_state=state, status="submitted", version=1
    )
    indicator = old.get_model("activities", "Indicator").objects.select_related("activity").first()
    entry = old.get_model("reporting", "ReportEntry").objects.create(
        report=report, activity=indicator.activity, indicator=indicator, status="completed",
        narrative="Done.", achieved_value=Decimal("12.50"), year_completed=2027, partners="",
        challenges="Funding",
    )  # fmt: skip
    old.get_model("reporting", "HistoricalReportEntry").objects.create(
        id=entry.pk, report_id=report.pk, activity_id=indicator.activity_id,
        indicator_id=indicator.pk, status="planned", narrative="Planned.", partners="",
        challenges="", revision=0, modified_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
        history_date=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC), history_type="~",
    )  # fmt: skip
    old.get_model("reporting", "ReportVersion").objects.create(
        report=report, number=1, submitted_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        entries=[{"ref": indicator.activity.ref, "indicator": indicator.pk, "status": "completed",
                  "narrative": "Done.", "achieved_value": "12.50", "year_completed": 2027,
                  "partners": "", "challenges": "Funding"}],
    )  # fmt: skip

    new = migrate(AFTER)
    form = new.get_model("reporting", "ReportingForm").objects.get(cycle_id=cycle.pk)
    codes = list(form.questions.order_by("position").values_list("code", flat=True))
    assert codes == ["status", "narrative", "achieved_value", "year_completed", "partners",
                     "challenges"]  # fmt: skip
    migrated = new.get_model("reporting", "ReportEntry").objects.get(pk=entry.pk)
    assert (migrated.status, migrated.complete) == ("completed", True)
    assert migrated.answers == {"narrative": "Done.", "achieved_value": 12.5,
                                "year_completed": 2027, "challenges": "Funding"}  # fmt: skip
    assert migrated.report.form_id == form.pk
    record = new.get_model("reporting", "HistoricalReportEntry").objects.get(id=entry.pk)
    assert (record.status, record.answers) == ("planned", {"narrative": "Planned."})
    version = new.get_model("reporting", "ReportVersion").objects.get(report_id=report.pk)
    assert version.form_id == form.pk
    assert version.entries == [{
        "ref": indicator.activity.ref, "indicator": indicator.pk,
        "answers": {"status": "completed", "narrative": "Done.", "achieved_value": 12.5,
                    "year_completed": 2027, "challenges": "Funding"},
    }]  # fmt: skip
    back = migrate(BEFORE)  # and back again: the columns hold the answers once more
    restored = back.get_model("reporting", "ReportEntry").objects.get(pk=entry.pk)
    assert (restored.narrative, restored.achieved_value, restored.year_completed,
            restored.challenges) == ("Done.", Decimal("12.50"), 2027, "Funding")  # fmt: skip
    version = back.get_model("reporting", "ReportVersion").objects.get(report_id=report.pk)
    assert version.entries[0]["narrative"] == "Done."
