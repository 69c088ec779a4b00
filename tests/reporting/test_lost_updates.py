"""Two people editing the same entry never overwrite each other silently."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from reporting import services
from reporting.models import ReportEntry

pytestmark = pytest.mark.django_db


def entry_url(entry):
    report = entry.report
    return reverse("entry-edit", args=[report.cycle.slug, report.range_state.iso3, entry.pk])


def test_the_stale_page_save_is_refused_and_both_versions_are_shown(report, people):
    entry = report.entries.get(activity__ref="1.2")
    first, second = Client(), Client()
    first.force_login(people["national_focal_point"])
    second.force_login(people["contributor"])
    loaded = entry.revision  # both opened the form at this revision
    ok = first.post(entry_url(entry), {"revision": loaded, "status": "completed",
                                       "narrative": "Report sent in March."})  # fmt: skip
    assert ok.status_code == 302
    stale = second.post(entry_url(entry), {"revision": loaded, "status": "planned",
                                           "narrative": "We plan to report."})  # fmt: skip
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else saved this entry first" in page
    assert "We plan to report." in page and "Report sent in March." in page
    entry.refresh_from_db()
    assert (entry.status, entry.answers["narrative"], entry.revision) == (
        "completed",
        "Report sent in March.",
        loaded + 1,
    )
    assert [h.answers.get("narrative") for h in entry.history.order_by("history_date")][-1] == (
        "Report sent in March."
    )


def test_the_stale_api_save_answers_409_with_what_is_stored(report, people):
    entry = report.entries.get(activity__ref="1.2")
    first, second = APIClient(), APIClient()
    first.force_authenticate(people["alternate"])
    second.force_authenticate(people["contributor"])
    url = f"/api/v1/entries/{entry.pk}/"
    loaded = first.get(url).json()["revision"]
    assert (
        first.patch(url, {"revision": loaded, "narrative": "A"}, format="json").status_code == 200
    )
    stale = second.patch(url, {"revision": loaded, "narrative": "B"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["answers"]["narrative"] == "A"
    assert stale.json()["current"]["revision"] == loaded + 1
    assert ReportEntry.objects.get(pk=entry.pk).answers["narrative"] == "A"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_on_postgresql_exactly_one_wins(cycle, kazakhstan, people):
    report = services.open_report(cycle=cycle, range_state=kazakhstan,
                                  actor=people["national_focal_point"])  # fmt: skip
    entry = report.entries.get(activity__ref="1.2")
    start = threading.Barrier(2)
    outcomes = {}

    def save(name, text):
        try:
            start.wait()
            services.save_entry(entry=ReportEntry.objects.get(pk=entry.pk), actor=people[name],
                                expected_revision=0, data={"narrative": text})  # fmt: skip
            outcomes[name] = "saved"
        except services.EntryConflict as conflict:
            outcomes[name] = ("conflict", conflict.current.answers["narrative"])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name, f"by {name}"))
               for name in ("national_focal_point", "contributor")]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    assert len(winners) == 1, outcomes
    loser = next(name for name in outcomes if name not in winners)
    assert outcomes[loser] == ("conflict", f"by {winners[0]}")
    stored = ReportEntry.objects.get(pk=entry.pk)
    assert (stored.answers["narrative"], stored.revision) == (f"by {winners[0]}", 1)
