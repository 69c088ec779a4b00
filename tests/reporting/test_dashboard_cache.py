"""The public's dashboard is kept in the cache: it changes the moment the workflow changes what
is public, never shows what is not, and no audience, language, filter or page gets another's."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from conservation_units.models import RangeState
from reporting import dashboard, services

pytestmark = pytest.mark.django_db

URL = "/dashboard/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def reports(cycle, people):
    """Kazakhstan accepted (every entry completed); Uzbekistan submitted (every entry planned)."""
    built = {}
    for iso3, actor, status in [("KAZ", "national_focal_point", "completed"),
                                ("UZB", "other_state_focal_point", "planned")]:  # fmt: skip
        report = services.open_report(cycle=cycle, range_state=RangeState.objects.get(iso3=iso3),
                                      actor=people[actor])  # fmt: skip
        report.entries.update(status=status, complete=True)
        services.submit_report(report=report, actor=people[actor])
        built[iso3] = report
    services.accept_report(report=built["KAZ"], actor=people["secretariat"])
    return built


def page(client: Client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def body(html: str) -> str:
    """The page without what differs between two requests anyway (the form's CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def tracker(html: str, state: str) -> str:
    """The state's word in the submission tracker (its CSS class)."""
    row = rf">{state}</a></th>\s*<td>(?:<a [^>]*>)?<span class=\"status tracker-([\w-]+)"
    return re.search(row, html).group(1)


def by_state(html: str) -> dict[str, list[str]]:
    """The table 'By Range State': each state's row of numbers."""
    table = html[html.index('id="t-state"') : html.index('id="t-unit"')]
    return {
        name: re.findall(r"<td class=\"num[^\"]*\"[^>]*>(?:<strong>)?(\d+)", row)
        for name, row in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    }


def test_accepting_a_report_changes_the_public_dashboard_at_once(reports, people):
    before = page(Client())
    assert tracker(before, "Uzbekistan") == "not-accepted-yet"
    assert list(by_state(before)) == ["Kazakhstan"]
    cached = dict(cache._cache)  # what this process keeps; another process keeps its own copy
    assert cached

    services.accept_report(report=reports["UZB"], actor=people["secretariat"])

    after = page(Client())
    assert tracker(after, "Uzbekistan") == "accepted"
    entries = reports["UZB"].entries.count()
    planned = dashboard.STATUSES.index("planned")
    assert by_state(after)["Uzbekistan"][planned] == str(entries)
    assert by_state(after)["Uzbekistan"][-1] == str(entries)  # the total
    # Nothing was deleted: the old keys are simply no longer asked for, so a process that never
    # heard of the acceptance (its cache untouched) reads the new figures too.
    assert all(key in cache._cache for key in cached)


def test_reopening_an_accepted_report_takes_it_off_the_public_dashboard(reports, people):
    assert tracker(page(Client()), "Kazakhstan") == "accepted"
    services.recall_report(report=reports["KAZ"], actor=people["secretariat"], reason="A typo.")
    html = page(Client())
    assert tracker(html, "Kazakhstan") == "not-accepted-yet" and by_state(html) == {}


def test_a_draft_edit_leaves_the_public_dashboard_as_it_was(cycle, reports, people):
    uzbekistan = people["other_state_focal_point"]
    draft = services.withdraw_report(report=reports["UZB"], actor=uzbekistan)
    public_before = body(page(Client()))
    fingerprint = dashboard.public_fingerprint(cycle, None)
    reviewer = Client()
    reviewer.force_login(people["secretariat"])
    assert tracker(page(reviewer), "Uzbekistan") == "drafting"

    entry = draft.entries.order_by("pk").first()
    services.save_entry(entry=entry, actor=uzbekistan, expected_revision=entry.revision,
                        data={"status": "completed"})  # fmt: skip

    assert dashboard.public_fingerprint(cycle, None) == fingerprint  # still served from the cache
    assert body(page(Client())) == public_before
    # The Secretariat counts drafts: its page shows the edit at once.
    secretariat = reviewer.get(URL).context
    counted = next(row for row in secretariat["states"] if row.key == "UZB")
    assert counted.counts["completed"] == 1


def test_the_public_is_never_served_the_secretariats_figures_nor_the_other_way(reports, people):
    reviewer = Client()
    reviewer.force_login(people["secretariat"])
    uzbekistan_link = f'href="/reporting/{reports["UZB"].cycle.slug}/UZB/"'
    for first, second in [("secretariat", "public"), ("public", "secretariat")]:
        cache.clear()
        pages = {}
        for who in (first, second):
            pages[who] = page(reviewer if who == "secretariat" else Client())
        assert (
            uzbekistan_link in pages["secretariat"] and "tracker-submitted" in pages["secretariat"]
        )
        assert uzbekistan_link not in pages["public"] and "tracker-submitted" not in pages["public"]
        assert "Accepted reports only" in pages["public"]
        assert "Accepted reports only" not in pages["secretariat"]


def test_each_language_has_its_own_figures(reports):
    english, russian = Client(), Client(headers={"accept-language": "ru"})
    for client in (english, russian, english, russian):  # the second round from the cache
        html = page(client)
        if client is russian:
            assert "Ход представления отчётов" in html and "ещё не принят" in html
            assert "Submission tracker" not in html
        else:
            assert "Submission tracker" in html and "not accepted yet" in html


def test_filters_and_the_page_of_the_matrix_make_pages_of_their_own(reports):
    client = Client()
    everything = page(client)
    kopetdag = page(client, conservation_unit="kopetdag")
    second = page(client, page=2)
    assert everything != kopetdag and everything != second and kopetdag != second
    assert "Page 2 of" in second and "Page 1 of" in everything
    assert 'href="/activities/15.1/"' in kopetdag and 'href="/activities/1.1/"' not in kopetdag
    # Each again, now from the cache, is what it was; the filter stays in the pages' links.
    assert body(page(client, conservation_unit="kopetdag")) == body(kopetdag)
    assert body(page(client, page=2)) == body(second)
    assert body(page(client)) == body(everything)
    assert "cycle=" in everything and "?cycle=" in second
    low = page(client, priority="Low", unknown="x")
    assert "unknown" not in low[low.index('id="t-matrix"') :]


def test_a_filter_that_cannot_be_applied_is_refused_even_after_good_ones(reports):
    client = Client()
    page(client, species="snow-leopard")
    for _ in range(2):
        response = client.get(URL, {"species": "unicorn"})
        assert response.status_code == 400 and "Unknown species" in response.content.decode()


def test_the_public_counts_only_accepted_reports(reports):
    counted = by_state(page(Client()))
    assert list(counted) == ["Kazakhstan"]
    assert counted["Kazakhstan"][-1] == str(reports["KAZ"].entries.count())


# Cold, the map of report standings reads the programme's states once (report_maps.py).
@pytest.mark.parametrize(("who", "cold", "warm"), [("public", 22, 3), ("secretariat", 26, 7)])
def test_the_dashboard_reads_a_fixed_number_of_queries_cold_and_warm(
    client, scaled_programme, reports, people, who, cold, warm, django_assert_max_num_queries
):
    if who == "secretariat":
        client.force_login(people["secretariat"])
    with django_assert_max_num_queries(cold):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(warm):
        assert client.get(URL).status_code == 200


def test_a_programme_change_made_in_the_admin_shows_at_once(reports, people):
    from django.contrib.admin.models import CHANGE, LogEntry

    from activities.models import Section

    assert "Funding" in page(Client())
    section = Section.objects.filter(slug="funding")
    section.update(title="Money")
    # As the admin's change view does after saving (one line per change, in any process).
    LogEntry.objects.log_actions(people["administrator"].pk, section, CHANGE, single_object=True)
    html = page(Client())
    assert "Money" in html and ">Funding<" not in html


def test_a_programme_change_saved_anywhere_shows_at_once(reports):
    from activities.models import Section

    assert "Funding" in page(Client())
    section = Section.objects.get(slug="funding")
    section.title = "Money"
    section.save()  # moves the programme's revision (cami.revisions), in any process
    html = page(Client())
    assert "Money" in html and ">Funding<" not in html


def test_the_secretariats_figures_are_kept_until_a_report_or_its_form_changes(
    cycle, reports, people
):
    from reporting.models import Question

    reviewer = Client()
    reviewer.force_login(people["secretariat"])
    first = page(reviewer)
    assert reviewer.get(URL).context.get("states") is None  # served from the cache
    assert body(page(reviewer)) == body(first)
    kept = dashboard.secretariat_fingerprint(cycle, None)
    assert kept != dashboard.public_fingerprint(cycle, None)
    # A question of the reports' form changed (while a form is designed, completeness follows).
    question = Question.objects.filter(form=reports["UZB"].form).order_by("pk").first()
    question.label = {**question.label, "en": "Reworded"}
    question.save()
    assert dashboard.secretariat_fingerprint(cycle, None) != kept
    assert reviewer.get(URL).context["states"]  # made again
