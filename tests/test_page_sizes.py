"""Every HTML page stays within 300 KB at any scale, and a page that lists programme content is
barely larger at 10x data than at 1x: pages group, collapse or paginate what grows."""

import pytest
from django.test import Client

from activities.models import Activity, Section
from conservation_units.models import ConservationUnit, RangeState
from reporting import services
from reporting.choices import ReportStatus, Role
from reporting.models import NationalReport, ReportingCycle
from reporting.synthetic import add_reports
from species.models import Species
from tests.factories import CycleFactory, RoleFactory, UserFactory
from tests.scaling import multiply_programme

BOUND = 300 * 1024
# How much larger a programme page may be at 10x than at 1x: a page filled up (50 rows of the
# activities' table where the real programme has fewer) and longer filter menus, never a list
# that grows with the data.
GROWTH = 64 * 1024


def programme_urls() -> list[str]:
    """The public pages: every list and detail page type of the programme."""
    section = Section.objects.filter(number="1").order_by("position").first()
    return [
        "/", "/activities/", f"/activities/?range_state=KAZ&section={section.slug}",
        f"/activities/{Activity.objects.order_by('position').first().ref}/", "/sections/",
        f"/sections/{section.slug}/", "/conservation-units/",
        f"/conservation-units/{ConservationUnit.objects.order_by('position').first().slug}/",
        "/species/", f"/species/{Species.objects.order_by('position').first().slug}/",
        "/range-states/", "/range-states/KAZ/",
    ]  # fmt: skip


def report_urls(report, *, editor: bool = False, reviewer: bool = False) -> list[str]:
    """A report, its sections (the first, the largest, the whole), its first entry, and what
    its state allows: submitting, a version, the review."""
    base = f"/reporting/{report.cycle.slug}/{report.range_state.iso3}/"
    sections = report.entries.values_list("activity__section__slug", flat=True)
    largest = max(set(sections), key=list(sections).count)
    first = report.entries.order_by("activity__position").first()
    urls = [base, f"{base}?unanswered=1", f"{base}sections/{first.activity.section.slug}/",
            f"{base}sections/{largest}/", f"{base}sections/all/", f"{base}entries/{first.pk}/",
            f"{base}answers/"]  # fmt: skip
    if editor and report.status == ReportStatus.DRAFT:
        urls += [f"{base}submit/", f"{base}upload/"]
    if report.version:
        urls.append(f"{base}versions/{report.version}/")
    if reviewer and report.version:
        urls += [f"{base}review/", f"{base}review/?changed=1"]
    return urls


def build(scale: int) -> dict[str, list[str]]:
    """Reports as `generate_synthetic_data` makes them at this scale, and Kazakhstan's report of
    another cycle submitted as version 1; the URLs each kind of person can reach."""
    secretariat = RoleFactory(user__username="secretariat", role=Role.SECRETARIAT).user
    kazakhstan = RangeState.objects.get(iso3="KAZ")
    focal = RoleFactory(user__username="kaz-focal", role=Role.NATIONAL_FOCAL_POINT,
                        range_state=kazakhstan).user  # fmt: skip
    cycle = add_reports(factor=scale, actor=secretariat)
    draft = NationalReport.objects.get(cycle=cycle, range_state=kazakhstan)
    NationalReport.objects.filter(pk=draft.pk).update(status=ReportStatus.DRAFT)
    draft.refresh_from_db()
    submitted = services.open_report(cycle=CycleFactory(), range_state=kazakhstan, actor=focal)
    submitted.entries.update(status="in_progress", complete=True)
    submitted = services.submit_report(report=submitted, actor=focal)
    accepted = NationalReport.objects.filter(cycle=cycle, status=ReportStatus.ACCEPTED).first()
    public = [*programme_urls(), f"/dashboard/?cycle={cycle.slug}", "/national-reports/",
              f"/national-reports/{cycle.slug}/", *report_urls(accepted)[:5]]  # fmt: skip
    reviewed = [*report_urls(draft), *report_urls(submitted, reviewer=True)]
    edited = [*report_urls(draft, editor=True), *report_urls(submitted)]
    return {
        "public": public,
        "secretariat": [*public, "/reporting/", "/review/", "/review/forms/",
                        f"/review/forms/{cycle.slug}/", "/review/people/",
                        "/review/implementation-reports/", *reviewed],
        "kaz-focal": [*public, "/reporting/", *edited],
        "users": {"secretariat": secretariat, "kaz-focal": focal},
    }  # fmt: skip


def sizes(pages: dict) -> dict[tuple[str, str], int]:
    """Bytes of every HTML page each person can reach, keyed by who and a URL with the data's
    own slugs and ids replaced by their role (so that 1x and 10x compare)."""
    measured = {}
    for who in ("public", "secretariat", "kaz-focal"):
        client = Client()
        if who != "public":
            client.force_login(pages["users"][who])
        for position, url in enumerate(pages[who]):
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            assert response["Content-Type"].startswith("text/html"), (who, url)
            measured[(who, position, url)] = len(response.content)
    return measured


def too_large(measured: dict) -> list:
    return [(key, size) for key, size in measured.items() if size > BOUND and not _review(key)]


def _review(key) -> bool:
    """The review page (reporting/review_views.py) still shows every entry of a submission: not
    yet bounded, asserted apart below so that it is not forgotten."""
    return "/review/" in key[2] and key[2].startswith("/reporting/")


@pytest.mark.django_db
def test_every_page_stays_within_300_kb(scaled_programme):
    pages = build(scaled_programme)
    measured = sizes(pages)
    assert len(measured) > 80
    assert too_large(measured) == []


@pytest.mark.django_db
def test_pages_that_list_the_programme_barely_grow_from_1x_to_10x():
    """The same people and pages at 1x, then with the programme multiplied tenfold and reports
    opened on it: no page grows by more than a few kilobytes."""
    before = sizes(build(1))
    NationalReport.objects.all().delete()
    ReportingCycle.objects.all().delete()
    UserFactory._meta.model.objects.all().delete()
    multiply_programme(10)
    after = sizes(build(10))
    assert too_large(after) == []
    listing = len(programme_urls())  # each person's first pages: home, lists and details
    grown = {
        after_key: (before_size, after[after_key])
        for (before_key, before_size), after_key in zip(before.items(), after, strict=True)
        if after_key[1] < listing and after[after_key] > before_size + GROWTH
    }
    assert grown == {}


@pytest.mark.django_db
def test_the_review_page_stays_within_300_kb_at_10x():
    multiply_programme(10)
    measured = sizes(build(10))
    assert [size for key, size in measured.items() if _review(key) and size > BOUND] == []
