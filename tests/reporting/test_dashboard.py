"""The dashboard's figures equal a direct count of the entries, for each audience."""

import csv
import io
from collections import Counter

import pytest
from django.utils import timezone

from activities.models import Indicator
from conservation_units.models import RangeState
from reporting import services
from reporting.choices import EntryStatus
from reporting.dashboard import STATUSES, UNANSWERED
from reporting.models import ReportEntry
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db

PATTERN = [*EntryStatus.values, ""]  # every status, and unanswered


@pytest.fixture
def reports(cycle, people, kazakhstan):
    """Kazakhstan accepted and Uzbekistan submitted, with statuses in a known pattern."""
    built = {}
    for iso3, actor in [("KAZ", "national_focal_point"), ("UZB", "other_state_focal_point")]:
        report = services.open_report(cycle=cycle, range_state=RangeState.objects.get(iso3=iso3),
                                      actor=people[actor])  # fmt: skip
        answer_all(report)
        for index, entry in enumerate(report.entries.order_by("activity__position")):
            entry.status = (
                PATTERN[(index + len(iso3) * (iso3 == "UZB")) % len(PATTERN)] or "planned"
            )
            entry.save(update_fields=["status"])
        services.submit_report(report=report, actor=people[actor])
        built[iso3] = report
    services.accept_report(report=built["KAZ"], actor=people["secretariat"])
    # After submission some entries are unanswered again, as in a recalled report being redrafted.
    ReportEntry.objects.filter(report=built["UZB"], activity__ref__in=["1.1", "1.2"]).update(
        status="", complete=False
    )
    return built


def direct(entries, key) -> dict:
    """Status counts per group, counted one entry at a time."""
    counts: dict = {}
    for entry in entries:
        for group in key(entry):
            counts.setdefault(group, Counter())[entry.status or UNANSWERED] += 1
    return counts


def shown(rows) -> dict:
    return {row.key: Counter({s: row.counts[s] for s in STATUSES if row.counts[s]}) for row in rows}


@pytest.mark.parametrize("audience", ["public", "secretariat"])
def test_every_figure_equals_a_direct_count(client, reports, people, audience):
    if audience == "secretariat":
        client.force_login(people["secretariat"])
    response = client.get("/dashboard/", {"cycle": reports["KAZ"].cycle.slug})
    assert response.status_code == 200
    counted = ReportEntry.objects.select_related(
        "activity__section__conservation_unit", "report__range_state"
    ).prefetch_related("activity__species")
    if audience == "public":
        counted = counted.filter(report__status="accepted")
    entries = list(counted)
    context = response.context
    assert shown(context["sections"]) == direct(entries, lambda e: [e.activity.section.slug])
    assert shown(context["states"]) == direct(entries, lambda e: [e.report.range_state.iso3])
    assert shown(context["units"]) == direct(
        [e for e in entries if e.activity.section.conservation_unit],
        lambda e: [e.activity.section.conservation_unit.slug],
    )
    assert shown(context["species"]) == direct(
        entries, lambda e: [s.slug for s in e.activity.species.all()]
    )
    assert {r.key for r in context["states"]} == ({"KAZ"} if audience == "public" else
                                                  {"KAZ", "UZB"})  # fmt: skip
    page = response.content.decode()
    assert ("Accepted reports only" in page) == (audience == "public")


def test_tracker_and_matrix_follow_the_reports(client, reports, people):
    client.force_login(people["secretariat"])
    context = client.get("/dashboard/").context
    tracker = {row["state"].iso3: row for row in context["tracker"]}
    assert tracker["KAZ"]["status"] == "accepted" and tracker["UZB"]["status"] == "submitted"
    assert tracker["BTN"]["status"] == "not started"
    uzb = reports["UZB"]
    assert (tracker["UZB"]["answered"], tracker["UZB"]["total"]) == (
        uzb.entries.filter(complete=True).count(),
        uzb.entries.count(),
    )
    states = [s.iso3 for s in context["matrix_states"]]
    rows = {activity.ref: dict(zip(states, cells, strict=True))
            for activity, cells in context["matrix_rows"]}  # fmt: skip
    assert rows["1.1"]["UZB"] == "unanswered" and rows["1.1"]["BTN"] == "no_report"
    assert rows["1.1"]["KAZ"] == reports["KAZ"].entries.get(activity__ref="1.1").status
    kopetdag = client.get("/dashboard/", {"conservation_unit": "kopetdag"}).context["matrix_rows"]
    by_ref = {activity.ref: cells for activity, cells in kopetdag}
    cells = dict(zip(states, by_ref["15.1"], strict=True))
    assert cells["KAZ"] == "not_for_state" and cells["IRN"] == "no_report"
    public = client.get("/dashboard/", {"priority": "Low"})
    assert [a.ref for a, _cells in public.context["matrix_rows"]] == ["11.3-a"]


def test_public_tracker_does_not_reveal_unaccepted_reports(client, reports):
    tracker = {
        row["state"].iso3: row["status"] for row in client.get("/dashboard/").context["tracker"]
    }
    assert tracker["KAZ"] == "accepted" and tracker["UZB"] == "not accepted yet"


def test_overdue_lists_passed_targets_completed_nowhere(client, reports, people):
    client.force_login(people["secretariat"])
    overdue = client.get("/dashboard/").context["overdue"]
    today = timezone.localdate()
    completed = set(
        ReportEntry.objects.filter(status="completed").values_list("indicator_id", flat=True)
    )
    expected = {i.pk for i in Indicator.objects.filter(target_date__lt=today)} - completed
    assert {i.pk for i in overdue} == expected


def test_change_since_the_previous_cycle(client, reports, people, kazakhstan):
    earlier = reports["KAZ"].cycle
    later = CycleFactory(**{
        field: getattr(earlier, field).replace(year=getattr(earlier, field).year + 3)
        for field in ("opens_on", "due_on", "closes_on")
    })  # fmt: skip
    report = services.open_report(cycle=later, range_state=kazakhstan,
                                  actor=people["secretariat"])  # fmt: skip
    answer_all(report, status="completed")
    client.force_login(people["secretariat"])
    change = client.get("/dashboard/", {"cycle": later.slug}).context["change"]
    first = next(row for row in change if row["section"] == "Funding")
    assert first["current"] == 1.0
    funding = list(ReportEntry.objects.filter(report__cycle=earlier,
               activity__section__slug="funding"))  # fmt: skip
    assert first["previous"] == sum(e.status == "completed" for e in funding) / len(funding)


def test_downloads_carry_the_same_numbers(client, reports, people):
    client.force_login(people["secretariat"])
    page = client.get("/dashboard/").context
    rows = list(
        csv.reader(io.StringIO(client.get("/dashboard/section.csv").content.decode("utf-8-sig")))
    )
    assert rows[0][0] == "Section" and rows[0][-1] == "Total"
    assert [[r.label, *map(str, r.cells()), str(r.total)] for r in page["sections"]] == rows[1:]
    assert client.get("/dashboard/tracker.xlsx").status_code == 200
    assert client.get("/dashboard/nothing.csv").status_code == 404


def test_unknown_cycle_or_filter(client, reports):
    assert client.get("/dashboard/", {"cycle": "1999-2001"}).status_code == 404
    response = client.get("/dashboard/", {"species": "unicorn"})
    assert response.status_code == 400 and "Unknown species" in response.content.decode()


# The page's query counts, cold and warm, are in test_dashboard_cache.py.


def test_range_state_and_activity_pages_summarise_their_scope(client, reports):
    kaz = reports["KAZ"]
    page = client.get("/range-states/KAZ/").content.decode()
    completed = kaz.entries.filter(status="completed").count()
    assert f"Completed: <strong>{completed}</strong>" in page
    assert f"({kaz.entries.count()} entries)" in page
    assert "No accepted national report yet." in client.get("/range-states/UZB/").content.decode()
    status = kaz.entries.get(activity__ref="1.2").status
    activity = client.get("/activities/1.2/").content.decode()
    assert "(1 Range State)" in activity
    label = dict(EntryStatus.choices).get(status, "Not answered")
    assert f"{label}: <strong>1</strong>" in activity


def test_the_secretariats_tracker_leads_to_each_report_and_the_review_workbook(client, reports,
                                                                              people):  # fmt: skip
    cycle = reports["UZB"].cycle
    report_link = f'href="/reporting/{cycle.slug}/UZB/"'
    workbook_link = f'href="/review/{cycle.slug}.xlsx"'
    public = client.get("/dashboard/").content.decode()
    assert report_link not in public and workbook_link not in public
    client.force_login(people["secretariat"])
    page = client.get("/dashboard/").content.decode()
    assert report_link in page and workbook_link in page
    assert workbook_link in client.get("/review/").content.decode()
