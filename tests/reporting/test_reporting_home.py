"""/reporting/ lists the open cycles first and the others from the newest, a few cycles a page,
reading only the reports of the cycles shown."""

import datetime

import pytest
from django.utils import timezone

from conservation_units.models import RangeState
from reporting.models import NationalReport
from reporting.views import HOME_CYCLES
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_cycles(cycle):
    """Closed cycles of earlier years (the oldest first), each with every state's report."""
    today = timezone.localdate()
    cycles = [
        CycleFactory(title=f"Closed cycle {years}", slug=f"closed-{years}",
                     opens_on=today - datetime.timedelta(days=365 * years + 30),
                     due_on=today - datetime.timedelta(days=365 * years - 60),
                     closes_on=today - datetime.timedelta(days=365 * years - 90))
        for years in range(HOME_CYCLES + 2, 0, -1)
    ]  # fmt: skip
    states = list(RangeState.objects.range_states())
    NationalReport.objects.bulk_create(
        NationalReport(cycle=c, range_state=s, form=c.forms.get()) for c in cycles for s in states
    )
    return cycles


def cycles_on(page: str, cycles) -> list[str]:
    """The titles of `cycles` on the page, in the page's order."""
    found = [
        (page.index(f">{c.title}</h2>"), c.title) for c in cycles if f">{c.title}</h2>" in page
    ]
    return [title for _where, title in sorted(found)]


@pytest.mark.parametrize("who", ["secretariat", "national_focal_point"])
def test_the_open_cycle_comes_first_then_the_newest_a_few_a_page(client, people, cycle,
                                                                 closed_cycles, who):  # fmt: skip
    client.force_login(people[who])
    everything = [cycle, *closed_cycles]
    first = client.get("/reporting/").content.decode()
    newest = [c.title for c in reversed(closed_cycles)]
    assert cycles_on(first, everything) == [cycle.title, *newest[: HOME_CYCLES - 1]]
    assert 'rel="next"' in first and 'aria-label="Pages of reporting cycles"' in first
    second = client.get("/reporting/?page=2").content.decode()
    assert cycles_on(second, everything) == newest[HOME_CYCLES - 1 :]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # The Secretariat sees every state's report of each cycle shown; a focal point their own.
    rows = second.count('<tr><th scope="row"><a href="/reporting/closed-')
    states = RangeState.objects.range_states().count()
    assert rows == len(newest[HOME_CYCLES - 1 :]) * (states if who == "secretariat" else 1)


def test_the_reports_of_cycles_not_shown_are_not_read(client, people, cycle, closed_cycles,
                                                      django_assert_max_num_queries):  # fmt: skip
    client.force_login(people["secretariat"])
    with django_assert_max_num_queries(6) as queries:
        assert client.get("/reporting/").status_code == 200
    read = next(q["sql"] for q in queries.captured_queries
                if 'FROM "reporting_nationalreport"' in q["sql"])  # fmt: skip
    assert 'cycle_id" IN (' in read
