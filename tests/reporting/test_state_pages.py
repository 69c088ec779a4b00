"""A Range State's public page: each cycle's report as the public may know it, the statuses of
its latest accepted report only, the focal point contacts the Secretariat has published only, and
its activities grouped by section in a fixed number of queries."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from activities.filtersets import ActivityFilterSet
from activities.models import Activity
from conservation_units.models import RangeState
from reporting import services
from reporting.choices import EntryStatus, ReportStatus, Role
from reporting.models import NationalReport, ReportingRole, ReportVersion
from reporting.synthetic import add_reports
from tests.factories import CycleFactory, RoleFactory
from tests.reporting.conftest import answer_all

pytestmark = pytest.mark.django_db

PAGE = "/range-states/KAZ/"
# Each status set on the activities in turn, so that every one of them is on the page once public.
PATTERN = [
    EntryStatus.COMPLETED, EntryStatus.IN_PROGRESS, EntryStatus.PLANNED, EntryStatus.NOT_STARTED,
    EntryStatus.NO_INFORMATION, EntryStatus.NOT_APPLICABLE,
]  # fmt: skip


def statuses_set(report) -> dict[str, str]:
    """Every entry of the report gets a status from PATTERN; {activity ref: status}."""
    answer_all(report)
    set_to = {}
    for index, entry in enumerate(report.entries.select_related("activity").order_by("pk")):
        entry.status = PATTERN[index % len(PATTERN)]
        entry.save(update_fields=["status"])
        set_to[entry.activity.ref] = entry.status
    return set_to


def submitted(report, people):
    return services.submit_report(report=report, actor=people["national_focal_point"])


def shown_statuses(page: str) -> dict[str, list[str]]:
    """{activity ref: the status codes its row shows}, read from the page's rows."""
    row = r'<li><span class="code">[^<]*</span><a href="/activities/([^/]+)/">(.*?)</li>'
    rows = re.findall(row, page, re.S)
    return {ref: re.findall(r'class="swatch s-([a-z_]+)"', row) for ref, row in rows}


def public_page(url=PAGE) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_submitted_or_returned_reports_statuses_never_reach_the_public(report, people):
    statuses_set(report)
    for moment in ("draft", "submitted", "returned"):
        if moment == "submitted":
            submitted(report, people)
        if moment == "returned":
            services.return_report(report=report, actor=people["secretariat"], comment="Fix")
        page = public_page()
        assert shown_statuses(page) and all(codes == [] for codes in shown_statuses(page).values())
        assert "swatch" not in page, moment  # no bar, legend or tally either
        assert "Not yet published" in page and "No accepted national report yet." in page
        assert "/versions/" not in page


def test_the_accepted_reports_statuses_are_shown_per_activity_with_a_mark_and_a_word(
    report, people
):
    set_to = statuses_set(report)
    submitted(report, people)
    services.accept_report(report=NationalReport.objects.get(pk=report.pk),
                           actor=people["secretariat"])  # fmt: skip
    page = public_page()
    shown = shown_statuses(page)
    assert shown and all(shown[ref] == [set_to[ref]] for ref in shown)
    row = re.search(r'href="/activities/1\.2/">.*?</li>', page, re.S).group()
    label = dict(EntryStatus.choices)[set_to["1.2"]]
    assert f"</span></span> {label}</span></li>" in row  # a mark and a word, not colour alone
    assert "Accepted and published" in page
    version = reverse("report-version", args=[report.cycle.slug, "KAZ", 1])
    assert f'href="{version}"' in page and Client().get(version).status_code == 200


def test_a_reopened_report_keeps_its_accepted_version_linked_but_shows_no_statuses(report, people):
    statuses_set(report)
    submitted(report, people)
    services.accept_report(report=NationalReport.objects.get(pk=report.pk),
                           actor=people["secretariat"])  # fmt: skip
    services.recall_report(report=NationalReport.objects.get(pk=report.pk),
                           actor=people["secretariat"], reason="A correction")  # fmt: skip
    page = public_page()
    assert "a revision is not yet published" in page
    assert reverse("report-version", args=[report.cycle.slug, "KAZ", 1]) in page
    assert "swatch" not in page


def test_statuses_come_from_the_latest_accepted_report_and_say_which(report, people):
    """A later cycle's report under way does not replace the accepted one, nor leak."""
    set_to = statuses_set(report)
    submitted(report, people)
    services.accept_report(report=NationalReport.objects.get(pk=report.pk),
                           actor=people["secretariat"])  # fmt: skip
    later = CycleFactory(opens_on=report.cycle.opens_on + datetime.timedelta(days=20))
    newer = services.open_report(cycle=later, range_state=report.range_state,
                                 actor=people["national_focal_point"])  # fmt: skip
    answer_all(newer, status=EntryStatus.NOT_STARTED)
    submitted(newer, people)
    page = public_page()
    shown = shown_statuses(page)
    assert all(shown[ref] == [set_to[ref]] for ref in shown)
    assert f"accepted report for {report.cycle.title}" in page
    cycles = page.index(later.title), page.index(report.cycle.title)
    assert cycles[0] < cycles[1]  # newest cycle first
    assert "Not yet published" in page


def test_activities_are_grouped_by_section_collapsed_with_their_counts(client):
    page = client.get(PAGE).content.decode()
    applicable = ActivityFilterSet({"range_state": "KAZ"}, queryset=Activity.objects.all()).qs
    sections = {}
    for slug in applicable.values_list("section__slug", flat=True):
        sections[slug] = sections.get(slug, 0) + 1
    groups = re.findall(r'<details class="state-section" id="section-([^"]+)">(.*?)</details>',
                        page, re.S)  # fmt: skip
    assert [slug for slug, _body in groups] == list(sections)  # in the programme's order
    for slug, body in groups:
        count = sections[slug]
        assert f"{count} activit" in body.split("</summary>")[0]
        assert body.count('<li><span class="code">') == count  # the real programme: all of them
    assert "<details open" not in page and 'state-section" open' not in page


def test_no_published_contact_shows_nothing_of_the_focal_points(client, people):
    role = ReportingRole.objects.get(user=people["national_focal_point"])
    people["national_focal_point"].email = "login.kaz@example.org"
    people["national_focal_point"].first_name = "Aigerim"
    people["national_focal_point"].save()
    ReportingRole.objects.filter(pk=role.pk).update(
        public_name="Dr Aigerim K.", public_email="cami@eco.example.kz", public_phone="+7 7172 00"
    )
    for url in [PAGE, "/api/v1/range-states/KAZ/", "/api/v1/range-states/", "/"]:
        content = client.get(url).content.decode()
        for private in ["login.kaz@example.org", "Aigerim", "cami@eco.example.kz", "+7 7172"]:
            assert private not in content, (url, private)
    assert "No contact published by the Secretariat yet." in client.get(PAGE).content.decode()


def test_a_published_contact_shows_its_public_fields_only(client, people):
    user = people["national_focal_point"]
    user.email, user.first_name = "login.kaz@example.org", "Aigerim"
    user.save()
    role = ReportingRole.objects.get(user=user)
    services_contact(
        role,
        people,
        public_name="Dr Aigerim K.",
        public_email="cami@eco.example.kz",
        public_phone="+7 7172 00",
        public_organisation="Committee of Forestry",
    )
    page = client.get(PAGE).content.decode()
    assert "Dr Aigerim K." in page and "Committee of Forestry" in page
    assert 'href="mailto:cami@eco.example.kz"' in page and 'href="tel:+7717200"' in page
    assert "login.kaz@example.org" not in page
    assert "National focal point" in page
    api = client.get("/api/v1/range-states/KAZ/").content.decode()
    assert "login.kaz@example.org" not in api
    assert "Dr Aigerim K." not in client.get("/range-states/UZB/").content.decode()


def services_contact(role, people, **fields):
    from reporting import contacts

    return contacts.set_public_contact(actor=people["secretariat"], role=role,
                                       contact_published=True, **fields)  # fmt: skip


def test_only_focal_points_and_alternates_can_have_a_public_contact(client, people):
    from django.core.exceptions import ValidationError

    contributor = ReportingRole.objects.get(user=people["contributor"])
    with pytest.raises(ValidationError):
        services_contact(contributor, people, public_name="A contributor")
    # Even set behind the service's back, a contributor's contact is not shown.
    ReportingRole.objects.filter(pk=contributor.pk).update(contact_published=True,
                                                           public_name="A contributor")  # fmt: skip
    assert "A contributor" not in client.get(PAGE).content.decode()
    nameless = ReportingRole.objects.get(user=people["alternate"])
    with pytest.raises(ValidationError):
        services_contact(nameless, people)  # no name to show


def test_a_withdrawn_account_is_never_shown(client, people):
    role = ReportingRole.objects.get(user=people["alternate"])
    services_contact(role, people, public_name="Alternate Person")
    assert "Alternate Person" in client.get(PAGE).content.decode()
    people["alternate"].is_active = False
    people["alternate"].save()
    assert "Alternate Person" not in client.get(PAGE).content.decode()


def test_the_secretariat_publishes_and_withdraws_a_contact_on_the_people_page(client, people):
    role = ReportingRole.objects.get(user=people["national_focal_point"])
    prefix = f"contact-{role.pk}"
    client.force_login(people["secretariat"])
    people_page = client.get(reverse("people")).content.decode()
    assert f'name="{prefix}-contact_published"' in people_page
    contributor = ReportingRole.objects.get(user=people["contributor"])
    assert f'name="contact-{contributor.pk}-contact_published"' not in people_page
    response = client.post(reverse("people"), {
        "action": "contact", "role": role.pk, f"{prefix}-contact_published": "on",
        f"{prefix}-public_name": "Dr Aigerim K.", f"{prefix}-public_email": "cami@eco.example.kz",
    })  # fmt: skip
    assert response.status_code == 302
    assert "Dr Aigerim K." in Client().get(PAGE).content.decode()
    assert LogEntry.objects.filter(object_id=str(role.pk), change_message="Contact published.")
    assert "contact published" in client.get(reverse("people")).content.decode()
    response = client.post(reverse("people"), {
        "action": "contact", "role": role.pk, f"{prefix}-public_name": "Dr Aigerim K.",
    })  # fmt: skip
    assert response.status_code == 302
    assert "Dr Aigerim K." not in Client().get(PAGE).content.decode()


def test_a_contact_that_cannot_be_published_is_sent_back_with_the_reason(client, people):
    role = ReportingRole.objects.get(user=people["alternate"])  # no name on the account
    client.force_login(people["secretariat"])
    prefix = f"contact-{role.pk}"
    response = client.post(reverse("people"), {
        "action": "contact", "role": role.pk, f"{prefix}-contact_published": "on",
        f"{prefix}-public_email": "not an address",
    })  # fmt: skip
    assert response.status_code == 400
    content = response.content.decode()
    assert "Give the name to publish." in content and "Enter a valid email address." in content
    assert not ReportingRole.objects.get(pk=role.pk).contact_published


@pytest.mark.parametrize("who", ["national_focal_point", "contributor", None])
def test_only_the_secretariat_publishes_contacts(client, people, who):
    role = ReportingRole.objects.get(user=people["national_focal_point"])
    if who:
        client.force_login(people[who])
    prefix = f"contact-{role.pk}"
    response = client.post(reverse("people"), {
        "action": "contact", "role": role.pk, f"{prefix}-contact_published": "on",
        f"{prefix}-public_name": "Myself",
    })  # fmt: skip
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    assert not ReportingRole.objects.get(pk=role.pk).contact_published


def test_the_admin_edits_the_public_contact(client, people):
    client.force_login(people["administrator"])
    role = ReportingRole.objects.get(user=people["national_focal_point"])
    page = client.get(reverse("admin:reporting_reportingrole_change", args=[role.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Public contact" in content and 'name="contact_published"' in content


def test_the_page_runs_a_fixed_number_of_queries(client, scaled_programme, people,
                                                 django_assert_max_num_queries):  # fmt: skip
    """Reports as `generate_synthetic_data` makes them at this scale (every status, `scale`
    cycles), Kazakhstan's accepted with a version, and published contacts in every state."""
    cycle = add_reports(factor=scaled_programme, actor=people["secretariat"])
    report = NationalReport.objects.get(cycle=cycle, range_state__iso3="KAZ")
    NationalReport.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)
    when = report.created_at
    ReportVersion.objects.create(report=report, number=1, submitted_at=when, form=report.form,
                                 entries=[], accepted_at=when)  # fmt: skip
    states = RangeState.objects.range_states()
    for state in [states.get(iso3="KAZ"), *states.exclude(iso3="KAZ")[: 2 * scaled_programme]]:
        RoleFactory(role=Role.NATIONAL_FOCAL_POINT, range_state=state, contact_published=True,
                    public_name=f"Focal point of {state.iso3}")  # fmt: skip
    with django_assert_max_num_queries(14):  # the map reads the programme's states once
        response = client.get(PAGE)
    content = response.content.decode()
    assert response.status_code == 200 and "Focal point of KAZ" in content
    assert shown_statuses(content) and all(shown_statuses(content).values())
