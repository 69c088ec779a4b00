"""The reporting form is data: one definition drives the page, the API, completeness, versions,
history and the carry-over to the next cycle."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from reporting import form_design, services
from reporting.default_form import default_form
from reporting.definition import check_definition
from reporting.form_data import current_form
from reporting.models import ReportEntry
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all
from tests.reporting.excel import as_upload, download, fill, rows_by_ref, upload

BUDGET = {"code": "budget_spent", "type": "number", "label": {"en": "Budget spent",
          "ru": "Израсходованный бюджет"}, "unit": {"en": "USD", "ru": "долл. США"},
          "min_value": 0, "max_value": 1_000_000, "required": True}  # fmt: skip


def add(cycle, people, section=0, **question):
    return form_design.save_question(cycle=cycle, actor=people["secretariat"], code=None,
                                     section=section, data=question)  # fmt: skip


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def entry_of(report, ref="1.2") -> ReportEntry:
    return report.entries.select_related("activity__section").get(activity__ref=ref)


def test_the_default_form_asks_the_six_questions_asked_before_forms_were_data(cycle):
    form = current_form(cycle)
    assert list(form.questions.order_by("position").values_list("code", flat=True)) == [
        "status", "narrative", "achieved_value", "year_completed", "partners", "challenges"
    ]  # fmt: skip
    assert check_definition(default_form()) == []
    assert form.questions.get(code="status").label == {
        "en": "Implementation status", "ru": "Статус выполнения"
    }  # fmt: skip


def test_a_question_added_as_data_is_asked_on_the_page_and_the_api(client, cycle, people,
                                                                    report):  # fmt: skip
    add(cycle, people, **BUDGET)
    entry = entry_of(report)
    client.force_login(people["contributor"])
    url = reverse("entry-edit", args=[cycle.slug, "KAZ", entry.pk])
    page = client.get(url).content.decode()
    assert 'name="budget_spent"' in page and "Budget spent" in page and "USD" in page
    response = client.post(url, {"revision": 0, "status": "in_progress", "budget_spent": "1500"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answer_values() == {"status": "in_progress", "budget_spent": 1500}
    assert entry.complete  # both required questions are answered
    body = api(people["contributor"]).get(f"/api/v1/entries/{entry.pk}/").json()
    assert body["answers"] == {"status": "in_progress", "budget_spent": 1500}
    published = api(people["contributor"]).get(f"/api/v1/cycles/{cycle.slug}/form/").json()
    codes = [q["code"] for s in published["sections"] for q in s["questions"]]
    assert codes[-1] == "budget_spent"
    assert published["sections"][0]["questions"][-1]["label"]["ru"] == "Израсходованный бюджет"


def test_a_required_question_left_empty_keeps_the_entry_incomplete_and_the_report_unsubmitted(
    cycle, people, report
):
    add(cycle, people, **BUDGET)
    answer_all(report)  # statuses only: the new required question is still empty
    form_design.refresh_completeness(report.form)
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report=report, actor=people["national_focal_point"])
    assert "required answers are still missing" in refused.value.messages[0]
    entry = entry_of(report)
    services.save_entry(entry=entry, actor=people["contributor"], expected_revision=0,
                        data={"budget_spent": "2,5"})  # fmt: skip
    entry.refresh_from_db()
    assert entry.answers["budget_spent"] == 2.5 and entry.complete


@pytest.mark.parametrize(
    ("value", "message"),
    [("-3", "Budget spent: Ensure this value is greater than or equal to 0."),
     ("2000000", "Budget spent: Ensure this value is less than or equal to 1000000."),
     ("lots", "Budget spent: Enter a number."), (True, "Budget spent: Enter a number."),
     ([1], "Budget spent: Enter a number.")],
)  # fmt: skip
def test_an_answer_of_the_wrong_kind_is_a_400_naming_the_question(cycle, people, report, value,
                                                                   message):  # fmt: skip
    add(cycle, people, **BUDGET)
    entry = entry_of(report)
    response = api(people["contributor"]).patch(
        f"/api/v1/entries/{entry.pk}/", {"revision": 0, "answers": {"budget_spent": value}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"answers": {"budget_spent": [message]}}
    assert ReportEntry.objects.get(pk=entry.pk).revision == 0


def test_an_unknown_question_code_is_refused_by_name(people, report):
    entry = entry_of(report)
    response = api(people["contributor"]).patch(
        f"/api/v1/entries/{entry.pk}/", {"revision": 0, "answers": {"budget": 1}}, format="json"
    )
    assert response.status_code == 400
    assert "budget" in response.json()["answers"]["answers"][0]


def test_a_conditional_question_is_asked_and_kept_only_when_shown(cycle, people, report):
    add(cycle, people, code="why_not", type="long_text", label={"en": "Why not started"},
        show_if="status", show_if_values=["not_started", "planned"], required=True)  # fmt: skip
    entry = entry_of(report)
    services.save_entry(entry=entry, actor=people["contributor"], expected_revision=0,
                        data={"status": "planned", "why_not": "No funding yet."})  # fmt: skip
    entry.refresh_from_db()
    assert entry.answers == {"why_not": "No funding yet."} and entry.complete
    services.save_entry(entry=entry, actor=people["contributor"], expected_revision=1,
                        data={"status": "completed"})  # fmt: skip
    entry.refresh_from_db()
    assert entry.answer_values() == {"status": "completed"} and entry.complete
    other = entry_of(report, "1.10")
    services.save_entry(entry=other, actor=people["contributor"], expected_revision=0,
                        data={"status": "not_started"})  # fmt: skip
    other.refresh_from_db()
    assert not other.complete  # shown and required, so missing
    page = APIClient()
    page.force_login(people["contributor"])
    html = page.get(reverse("entry-edit", args=[cycle.slug, "KAZ", other.pk])).content.decode()
    assert 'data-show-if="status" data-show-values="not_started|planned"' in html
    assert "Asked when “Implementation status” is Not started / Planned." in html


def test_a_breakdown_asks_for_the_species_the_activity_concerns(cycle, people, report):
    add(cycle, people, code="population", type="number", label={"en": "Population estimate"},
        breakdown="species", only_kinds=["conservation_unit"])  # fmt: skip
    entry = report.entries.filter(activity__section__kind="conservation_unit").select_related(
        "activity__section").first()  # fmt: skip
    species = list(entry.activity.species.values_list("slug", flat=True)) or list(
        entry.activity.section.conservation_unit.species.values_list("slug", flat=True)
    )
    client = api(people["contributor"])
    url = f"/api/v1/entries/{entry.pk}/"
    ok = client.patch(url, {"revision": 0, "answers": {"population": {species[0]: 1200}}},
                      format="json")  # fmt: skip
    assert ok.status_code == 200, ok.json()
    assert ok.json()["answers"]["population"] == {species[0]: 1200}
    wrong = client.patch(url, {"revision": 1, "answers": {"population": {"dodo": 3}}},
                         format="json")  # fmt: skip
    assert wrong.status_code == 400
    assert "“dodo” is not one of its rows" in wrong.json()["answers"]["population"][0]
    thematic = entry_of(report, "1.2")
    refused = client.patch(f"/api/v1/entries/{thematic.pk}/",
                           {"revision": 0, "answers": {"population": {species[0]: 1}}},
                           format="json")  # fmt: skip
    assert refused.status_code == 400  # not asked about thematic activities


def test_report_level_questions_are_answered_once_and_required_before_submitting(
    cycle, people, report
):
    form_design.save_section(
        cycle=cycle,
        actor=people["secretariat"],
        position=None,
        data={"scope": "report", "title": {"en": "General information"}},
    )
    add(cycle, people, section=1, code="institution", type="text",
        label={"en": "Reporting institution"}, required=True)  # fmt: skip
    page = APIClient()
    page.force_login(people["contributor"])
    html = page.get(reverse("report-answers", args=[cycle.slug, "KAZ"])).content.decode()
    assert '<h2 class="form-section">General information</h2>' in html
    assert 'name="institution"' in html and 'name="status"' not in html
    answer_all(report)
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report=report, actor=people["national_focal_point"])
    assert "General information: Reporting institution" in refused.value.messages[0]
    client = api(people["contributor"])
    stale = client.patch(
        f"/api/v1/reports/{report.pk}/answers/",
        {"revision": 3, "answers": {"institution": "x"}},
        format="json",
    )
    assert stale.status_code == 409
    saved = client.patch(f"/api/v1/reports/{report.pk}/answers/",
                         {"revision": 0, "answers": {"institution": "Ministry of Ecology"}},
                         format="json")  # fmt: skip
    assert saved.status_code == 200 and saved.json()["answers"] == {
        "institution": "Ministry of Ecology"
    }
    submitted = services.submit_report(report=report, actor=people["national_focal_point"])
    assert submitted.versions.get().answers == {"institution": "Ministry of Ecology"}


def test_a_form_in_use_is_frozen_and_a_change_makes_a_new_revision(cycle, people, report,
                                                                   kazakhstan):  # fmt: skip
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    add(cycle, people, **BUDGET)
    report.refresh_from_db()
    assert report.form.revision == 1 and not report.form.questions.filter(code="budget_spent")
    new = current_form(cycle)
    assert new.revision == 2 and new.questions.filter(code="budget_spent").exists()
    uzbekistan = kazakhstan.__class__.objects.get(iso3="UZB")
    other = services.open_report(cycle=cycle, range_state=uzbekistan, actor=people["secretariat"])
    assert other.form == new


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"code": "when", "type": "year", "label": {"en": "When"}, "show_if": "later"},
      "Question when: it is shown depending on later, which is not an earlier question"),
     ({"code": "narrative", "type": "text", "label": {"en": "Again"}},
      "Question narrative: the code is used twice."),
     ({"code": "kind", "type": "choice", "label": {"en": "Kind"}, "choices": []},
      "Question kind: a list question needs choices."),
     ({"code": "size", "type": "number", "label": {"en": "Size"}, "min_value": 5,
       "max_value": 1}, "Question size: the minimum is above the maximum."),
     ({"code": "cond", "type": "text", "label": {"en": "C"}, "show_if": "narrative",
       "show_if_values": ["x"]}, "Question cond: a condition can only depend on a list")],
)  # fmt: skip
def test_a_contradictory_form_is_refused_naming_the_question(cycle, people, change, problem):
    before = list(current_form(cycle).questions.values_list("code", flat=True))
    with pytest.raises(ValidationError) as refused:
        add(cycle, people, **change)
    assert any(problem in message for message in refused.value.messages), refused.value.messages
    assert list(current_form(cycle).questions.values_list("code", flat=True)) == before


def test_answers_carry_over_to_the_next_cycle_by_question_code(cycle, people, report,
                                                               kazakhstan):  # fmt: skip
    entry = entry_of(report)
    services.save_entry(
        entry=entry,
        actor=people["contributor"],
        expected_revision=0,
        data={"status": "completed", "narrative": "Done.", "partners": "WWF"},
    )
    answer_all(report, "in_progress")
    ReportEntry.objects.filter(pk=entry.pk).update(status="completed")
    services.submit_report(report=report, actor=people["national_focal_point"])
    services.accept_report(report=report, actor=people["secretariat"])
    later = CycleFactory(
        opens_on=cycle.opens_on.replace(year=cycle.opens_on.year + 3),
        due_on=cycle.due_on.replace(year=cycle.due_on.year + 3),
        closes_on=cycle.closes_on.replace(year=cycle.closes_on.year + 3),
    )
    form_design.delete_question(cycle=later, actor=people["secretariat"], code="partners")
    add(later, people, code="narrative_2", type="long_text", label={"en": "New"})
    carried = services.open_report(cycle=later, range_state=kazakhstan, actor=people["secretariat"])
    again = carried.entries.get(activity__ref="1.2")
    assert again.answer_values() == {"status": "completed", "narrative": "Done."}
    assert again.prefilled_from == cycle


TYPES = ["text", "long_text", "number", "year", "date", "yes_no", "url"]


@pytest.fixture
def thirty_questions(scaled_programme, cycle, people):
    """The default six, a report section and 24 more: every type, a condition, a breakdown."""
    form_design.save_section(
        cycle=cycle,
        actor=people["secretariat"],
        position=None,
        data={"scope": "report", "title": {"en": "General"}},
    )
    for number in range(20):
        add(cycle, people, code=f"q{number}", type=TYPES[number % len(TYPES)],
            label={"en": f"Question {number}"})  # fmt: skip
    add(
        cycle,
        people,
        code="kind",
        type="choice",
        label={"en": "Kind"},
        choices=[{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}],
    )
    add(cycle, people, code="if_a", type="text", label={"en": "If A"}, show_if="kind",
        show_if_values=["a"])  # fmt: skip
    add(cycle, people, code="population", type="number", label={"en": "Population"},
        breakdown="species")  # fmt: skip
    add(cycle, people, section=1, code="institution", type="text", label={"en": "Institution"})
    assert current_form(cycle).questions.count() == 30
    return scaled_programme


@pytest.mark.parametrize(("url", "most"), [("report", 12), ("entry", 11), ("answers", 6),
                                           ("api", 6)])  # fmt: skip
def test_pages_and_the_api_run_the_same_queries_whatever_the_questions_and_entries(
    client, thirty_questions, cycle, kazakhstan, people, url, most, django_assert_max_num_queries
):
    report = services.open_report(cycle=cycle, range_state=kazakhstan,
                                  actor=people["national_focal_point"])  # fmt: skip
    answers = {f"q{n}": "x" for n in range(0, 20, 7)} | {"kind": "a", "if_a": "yes"}
    report.entries.update(answers=answers, status="in_progress")
    assert report.entries.count() >= 92 * thirty_questions
    entry = report.entries.filter(activity__section__kind="conservation_unit").first()
    client.force_login(people["contributor"])
    target = {
        "report": reverse("report-detail", args=[cycle.slug, "KAZ"]),
        "entry": reverse("entry-edit", args=[cycle.slug, "KAZ", entry.pk]),
        "answers": reverse("report-answers", args=[cycle.slug, "KAZ"]),
        "api": f"/api/v1/entries/?report={report.pk}&page_size=500",
    }[url]
    with django_assert_max_num_queries(most):
        response = client.get(target)
    assert response.status_code == 200
    assert "Question 7" in response.content.decode() or url in {"report", "answers", "api"}


def test_the_old_answer_fields_still_work_and_say_when_they_end(people, report):
    entry = entry_of(report)
    client = api(people["contributor"])
    response = client.patch(f"/api/v1/entries/{entry.pk}/",
                            {"revision": 0, "status": "planned", "achieved_value": "12.50"},
                            format="json")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["answers"] == {"status": "planned", "achieved_value": 12.5}
    assert response.json()["achieved_value"] == "12.5"
    assert response["Sunset"].endswith("2027 23:59:59 GMT") and response["Deprecation"] == "true"
    current = client.patch(
        f"/api/v1/entries/{entry.pk}/",
        {"revision": 1, "answers": {"narrative": "New shape."}},
        format="json",
    )
    assert current.status_code == 200 and "Sunset" not in current
    assert current.json()["narrative"] == "New shape."


def test_budget_spent_added_on_the_design_page_reaches_every_channel(
    client, cycle, people, report, kazakhstan
):
    """The change trace "add a field 'budget spent' to every entry": data entry, no code."""
    client.force_login(people["secretariat"])
    response = client.post(reverse("form-question-new", args=[cycle.slug]), {
        "code": "budget_spent", "section": 0, "type": "number", "label_en": "Budget spent",
        "label_ru": "Израсходованный бюджет", "unit_en": "USD", "min_value": "0",
    })  # fmt: skip
    assert response.status_code == 302
    client.force_login(people["contributor"])
    entry = entry_of(report)
    page = client.get(reverse("entry-edit", args=[cycle.slug, "KAZ", entry.pk])).content.decode()
    assert 'name="budget_spent"' in page  # the page
    saved = api(people["contributor"]).patch(
        f"/api/v1/entries/{entry.pk}/", {"revision": 0, "answers": {"budget_spent": 100}},
        format="json",
    )  # fmt: skip
    assert saved.json()["answers"]["budget_spent"] == 100  # the API
    book = download(client, report)
    assert rows_by_ref(book)["1.2"]["Budget spent"] == 100  # the template
    fill(book, "1.10", **{"Budget spent": 250})
    assert upload(client, report, as_upload(book)).status_code == 200  # the upload
    assert entry_of(report, "1.10").answers["budget_spent"] == 250
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    version = client.get(reverse("report-version", args=[cycle.slug, "KAZ", 1])).content.decode()
    assert "Budget spent" in version and "250 USD" in version  # the submitted version
    client.force_login(people["secretariat"])
    workbook = client.get(reverse("review-workbook", args=[cycle.slug]))
    cells = {str(c) for sheet in load_workbook(io.BytesIO(workbook.getvalue()))
             for row in sheet.iter_rows(values_only=True) for c in row}  # fmt: skip
    assert "Budget spent" in cells and "250" in cells  # the review workbook
    services.accept_report(report=report, actor=people["secretariat"])
    later = CycleFactory(
        opens_on=cycle.opens_on.replace(year=cycle.opens_on.year + 3),
        due_on=cycle.due_on.replace(year=cycle.due_on.year + 3),
        closes_on=cycle.closes_on.replace(year=cycle.closes_on.year + 3),
    )
    carried = services.open_report(cycle=later, range_state=kazakhstan, actor=people["secretariat"])
    assert carried.entries.get(activity__ref="1.10").answers["budget_spent"] == 250  # carried over


@pytest.mark.parametrize("value", [20260101, True, [1], {"k": 1}, 1.5])
def test_a_date_of_the_wrong_json_type_is_a_400(cycle, people, report, value):
    add(cycle, people, code="signed_on", type="date", label={"en": "Signed on"})
    entry = entry_of(report)
    response = api(people["contributor"]).patch(
        f"/api/v1/entries/{entry.pk}/", {"revision": 0, "answers": {"signed_on": value}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["answers"]["signed_on"] == ["Signed on: Enter a valid date."]


@pytest.mark.parametrize("value", ["maybe", 2, [1], {"k": 1}])
def test_a_yes_or_no_answer_that_is_neither_is_refused_and_keeps_the_stored_one(
    cycle, people, report, value
):
    add(cycle, people, code="funded", type="yes_no", label={"en": "Funded"})
    entry = entry_of(report)
    client = api(people["contributor"])
    url = f"/api/v1/entries/{entry.pk}/"
    assert client.patch(url, {"revision": 0, "answers": {"funded": "да"}},
                        format="json").json()["answers"] == {"funded": True}  # fmt: skip
    refused = client.patch(url, {"revision": 1, "answers": {"funded": value}}, format="json")
    assert refused.status_code == 400
    assert refused.json()["answers"]["funded"] == ["Funded: Answer yes or no."]
    assert ReportEntry.objects.get(pk=entry.pk).answers == {"funded": True}


@pytest.mark.parametrize(("language", "typed", "stored"),
                         [("ru", "1,234", 1.234), ("en", "1,234", 1234), ("ru", "1 234,5", 1234.5),
                          ("en", "2,5", 2.5)])  # fmt: skip
def test_a_typed_number_is_read_as_the_readers_language_writes_it(
    cycle, people, report, language, typed, stored
):
    entry = entry_of(report)
    client = api(people["contributor"])
    response = client.patch(f"/api/v1/entries/{entry.pk}/",
                            {"revision": 0, "answers": {"achieved_value": typed}}, format="json",
                            headers={"Accept-Language": language})  # fmt: skip
    assert response.json()["answers"]["achieved_value"] == stored


def test_a_stale_save_of_the_reports_own_answers_shows_what_was_typed(client, cycle, people,
                                                                     report):  # fmt: skip
    form_design.save_section(
        cycle=cycle,
        actor=people["secretariat"],
        position=None,
        data={"scope": "report", "title": {"en": "General"}},
    )
    add(cycle, people, section=1, code="signed_on", type="date", label={"en": "Signed on"})
    add(cycle, people, section=1, code="institution", type="text", label={"en": "Institution"})
    client.force_login(people["contributor"])
    url = reverse("report-answers", args=[cycle.slug, "KAZ"])
    first = {"revision": 0, "signed_on": "2026-01-05", "institution": "Ministry"}
    assert client.post(url, first).status_code == 302
    stale = client.post(url, {**first, "institution": "Committee for Forestry"})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Committee for Forestry" in page and "Someone else saved these answers first" in page
    report.refresh_from_db()
    assert report.answers == {"signed_on": "2026-01-05", "institution": "Ministry"}


def test_an_answered_questions_meaning_stays_but_its_words_may_change(cycle, people, report):
    entry = entry_of(report)
    services.save_entry(entry=entry, actor=people["contributor"], expected_revision=0,
                        data={"achieved_value": 5, "challenges": "keep me"})  # fmt: skip
    change = form_design.save_question
    for data in [{"type": "text"}, {"breakdown": "species"}, {"code": "obstacles"}]:
        with pytest.raises(ValidationError) as refused:
            change(cycle=cycle, actor=people["secretariat"], code="achieved_value" if
                   "code" not in data else "challenges", section=0, data=data)  # fmt: skip
        assert "has answers already" in refused.value.messages[0]
    change(cycle=cycle, actor=people["secretariat"], code="challenges", section=0,
           data={"label": {"en": "Obstacles", "ru": "Препятствия"}})  # fmt: skip
    assert entry_of(report).answers == {"achieved_value": 5, "challenges": "keep me"}


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"code": "a__b", "type": "text", "label": {"en": "A"}}, "single _"),
     ({"code": "when", "type": "year", "label": {"en": "When"}, "min_value": 3000},
      "Question when: a year is between 1900 and 2100."),
     ({"code": "where", "type": "text", "label": {"en": "W"}, "only_activities": ["99.9"]},
      "Question where: there is no activity 99.9."),
     ({"code": "after", "type": "text", "label": {"en": "A"}, "show_if": "seen",
       "show_if_values": ["yes"]}, "a condition can only depend on a list or yes-or-no")],
)  # fmt: skip
def test_more_contradictions_are_refused_naming_the_question(cycle, people, change, problem):
    add(cycle, people, code="seen", type="yes_no", label={"en": "Seen"}, breakdown="species")
    with pytest.raises(ValidationError) as refused:
        add(cycle, people, **change)
    assert any(problem in message for message in refused.value.messages), refused.value.messages
