"""The dashboard's map colours each Range State by where its report of the cycle stands: the
public sees accepted, not accepted yet or not started; the Secretariat every step. It costs a
warm dashboard no query."""

import re

import pytest
from django.template import Context, Template
from django.test import Client

from conservation_units.models import RangeState
from reporting import dashboard, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(cycle, people):
    """Kazakhstan accepted; Uzbekistan submitted."""
    built = {}
    for iso3, actor in [("KAZ", "national_focal_point"), ("UZB", "other_state_focal_point")]:
        report = services.open_report(cycle=cycle, range_state=RangeState.objects.get(iso3=iso3),
                                      actor=people[actor])  # fmt: skip
        report.entries.update(status="completed", complete=True)
        services.submit_report(report=report, actor=people[actor])
        built[iso3] = report
    services.accept_report(report=built["KAZ"], actor=people["secretariat"])
    return built


def status_map(cycle, everything=False, figures="figures", **context) -> str:
    template = Template("{% load report_maps %}{% report_status_map %}")
    return template.render(Context({"cycle": cycle, "everything": everything,
                                    "figures": figures, **context}))  # fmt: skip


def category(html: str, iso3: str) -> str:
    classes = re.search(rf'<a href="/range-states/{iso3}/" class="([^"]+)"', html).group(1)
    found = re.search(r"map-cat-(\w+)", classes)
    return found.group(1) if found else ""


def test_the_public_sees_accepted_not_accepted_yet_and_not_started(cycle, reports):
    html = status_map(cycle)
    assert category(html, "KAZ") == "accepted"
    assert category(html, "UZB") == "not_accepted_yet"
    assert category(html, "TJK") == "not_started"
    assert "submitted" not in html.lower()  # what is not public is not even named
    assert re.search(r'aria-label="Uzbekistan, Not accepted yet"', html)
    listed = html[html.index('<div class="state-map-list">') :]
    accepted = r'Accepted \(1\)</p>\s*<ul[^>]*><li><a [^>]*href="/range-states/KAZ/">'
    assert re.search(accepted, listed)


def test_the_secretariat_sees_every_step(cycle, reports, people):
    services.start_review(report=reports["UZB"], actor=people["secretariat"])
    html = status_map(cycle, everything=True)
    assert category(html, "KAZ") == "accepted"
    assert category(html, "UZB") == "under_review"


def test_participating_states_have_no_report_category(cycle, reports):
    html = status_map(cycle)
    assert re.search(r'<g class="map-state map-participant" role="img" aria-label="Georgia, '
                     r'participating state">', html)  # fmt: skip


def test_each_category_has_a_pattern_or_a_look_of_its_own_in_the_legend(cycle, reports):
    html = status_map(cycle, everything=True)
    legend = html[html.index('<ul class="state-map-legend">') : html.index("</ul>")]
    keys = re.findall(r'<rect class="map-cat-(\w+)"[^>]*/>(<rect[^>]*fill="url\(#[\w-]+-(\w+)\)")?',
                      legend)  # fmt: skip
    looks = [(key, pattern) for key, _, pattern in keys]
    assert len(looks) == 6 and len({pattern for _, pattern in looks}) == 4


def test_a_warm_map_reads_no_query_and_a_new_standing_shows_at_once(
    cycle, reports, people, django_assert_num_queries
):
    first = status_map(cycle, figures="v1")
    with django_assert_num_queries(0):
        assert status_map(cycle, figures="v1") == first
    services.accept_report(report=reports["UZB"], actor=people["secretariat"])
    # The dashboard's figures hold the tracker: a new standing makes new figures.
    assert category(status_map(cycle, figures="v2"), "UZB") == "accepted"


def test_with_the_tracker_just_computed_it_reads_only_the_states(
    cycle, reports, django_assert_num_queries
):
    tracker = dashboard.tracker(cycle, everything=False)
    with django_assert_num_queries(1):
        html = status_map(cycle, figures="fresh", tracker=tracker)
    assert category(html, "UZB") == "not_accepted_yet"


def test_the_dashboard_page_shows_the_map(cycle, reports):
    html = Client().get("/dashboard/", {"cycle": cycle.slug}).content.decode()
    assert category(html, "KAZ") == "accepted"
    assert category(html, "UZB") == "not_accepted_yet"
