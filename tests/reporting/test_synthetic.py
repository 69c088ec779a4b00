"""generate_synthetic_data: the programme multiplied, with reports in every workflow state."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from activities.models import Activity, Indicator
from conservation_units.models import ConservationUnit, RangeState
from reporting.choices import EntryStatus, ReportStatus
from reporting.models import Evidence, NationalReport, ReportEntry, ReportingCycle, ReviewComment
from species.models import Species

pytestmark = pytest.mark.django_db


def test_scale_multiplies_the_programme_and_its_reports(programme):
    before = {model: model.objects.count()
              for model in (Activity, Indicator, Species, ConservationUnit)}  # fmt: skip
    call_command("generate_synthetic_data", "--scale", "3", verbosity=0)
    for model, count in before.items():
        assert model.objects.count() == 3 * count, model
    states = RangeState.objects.range_states().count()
    assert ReportingCycle.objects.filter(slug__startswith="synthetic-").count() == 3
    assert NationalReport.objects.count() == 3 * states
    full = NationalReport.objects.filter(cycle__slug="synthetic-1")
    assert {r.status for r in full} == set(ReportStatus.values)
    entries = ReportEntry.objects.filter(report__in=full)
    assert set(entries.values_list("status", flat=True)) == {*EntryStatus.values, ""}
    assert entries.filter(activity__ref__contains="~").exists()  # copies are reported on too
    assert ReviewComment.objects.count() == Evidence.objects.count() == 3 * states


def test_it_runs_once_per_database(programme):
    call_command("generate_synthetic_data", "--scale", "1", verbosity=0)
    with pytest.raises(CommandError, match="already holds synthetic data"):
        call_command("generate_synthetic_data", "--scale", "2", verbosity=0)
    assert not Activity.objects.filter(ref__contains="~").exists()


@pytest.mark.parametrize("scale", [1, 3])
def test_report_list_api_runs_the_same_queries_whoever_created_the_reports(
    client, programme, scale, django_assert_max_num_queries
):
    call_command("generate_synthetic_data", "--scale", str(scale), verbosity=0)
    client.force_login(get_user_model().objects.get(username="synthetic-secretariat"))
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/reports/")
    assert response.status_code == 200 and response.json()["results"][0]["created_by"]


def test_it_refuses_a_database_with_real_reports(report):
    with pytest.raises(CommandError, match="holds real national reports"):
        call_command("generate_synthetic_data", "--scale", "2", verbosity=0)
    assert not Activity.objects.filter(ref__contains="~").exists()
