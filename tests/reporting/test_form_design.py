"""The Secretariat designs a cycle's reporting form on portal pages."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from reporting import form_design, services
from reporting.form_data import current_form
from tests.factories import CycleFactory
from tests.reporting.conftest import answer_all


@pytest.fixture
def secretariat(client, people):
    client.force_login(people["secretariat"])
    return client


def question_data(**fields) -> dict:
    data = {"code": "", "section": 0, "type": "text", "label_en": "", "label_ru": "",
            "help_en": "", "help_ru": "", "unit_en": "", "unit_ru": "", "choices": "",
            "show_if": "", "show_if_values": "", "breakdown": "",
            "only_activities": ""}  # fmt: skip
    return {**data, **fields}


def codes(cycle) -> list[str]:
    form = current_form(cycle)
    return list(
        form.questions.order_by("section__position", "position").values_list("code", flat=True)
    )


def test_the_secretariat_adds_a_report_section_and_questions_on_pages(secretariat, cycle):
    new_section = reverse("form-section-new", args=[cycle.slug])
    response = secretariat.post(new_section, {"scope": "report", "title_en": "Funding received",
                                              "title_ru": "Полученное финансирование",
                                              "intro_en": "", "intro_ru": ""})  # fmt: skip
    assert response.status_code == 302
    new_question = reverse("form-question-new", args=[cycle.slug])
    response = secretariat.post(new_question, question_data(
        code="funded", section=1, type="yes_no", label_en="Was the work funded?",
        label_ru="Было ли финансирование?", required="on"))  # fmt: skip
    assert response.status_code == 302
    response = secretariat.post(new_question, question_data(
        code="funders", section=1, type="multi_choice", label_en="By whom",
        choices="gov | Government | Правительство\ndonor | Donors | Доноры",
        show_if="funded", show_if_values="yes"))  # fmt: skip
    assert response.status_code == 302
    assert codes(cycle)[-2:] == ["funded", "funders"]
    funders = current_form(cycle).questions.get(code="funders")
    assert funders.choices[1] == {"value": "donor", "label": {"en": "Donors", "ru": "Доноры"}}
    page = secretariat.get(reverse("form-design", args=[cycle.slug])).content.decode()
    assert "Funding received" in page and "when <code>funded</code> is <code>yes</code>" in page


def test_a_contradictory_question_is_refused_on_the_page_naming_it(secretariat, cycle):
    before = codes(cycle)
    response = secretariat.post(reverse("form-question-new", args=[cycle.slug]), question_data(
        code="year_done", type="year", label_en="Year", show_if="challenges",
        show_if_values="x"))  # fmt: skip
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()  # challenges is not a list
    response = secretariat.post(reverse("form-question-new", args=[cycle.slug]), question_data(
        code="kind", type="choice", label_en="Kind"))  # fmt: skip
    assert response.status_code == 400
    assert "Question kind: a list question needs choices." in response.content.decode()
    assert codes(cycle) == before


def test_questions_move_and_go_but_the_status_stays(secretariat, cycle):
    url = reverse("form-design", args=[cycle.slug])
    secretariat.post(url, {"action": "move", "code": "challenges", "up": "1"})
    assert codes(cycle)[-2:] == ["challenges", "partners"]
    secretariat.post(url, {"action": "delete", "code": "partners"})
    assert "partners" not in codes(cycle)
    refused = secretariat.post(url, {"action": "delete", "code": "status"})
    assert refused.status_code == 400 and "status" in codes(cycle)
    assert "it cannot be removed" in refused.content.decode()


def test_sections_move(secretariat, cycle):
    secretariat.post(reverse("form-section-new", args=[cycle.slug]),
                     {"scope": "report", "title_en": "General", "title_ru": "", "intro_en": "",
                      "intro_ru": ""})  # fmt: skip
    secretariat.post(reverse("form-design", args=[cycle.slug]),
                     {"action": "move_section", "position": 1, "up": "1"})  # fmt: skip
    sections = current_form(cycle).sections.order_by("position")
    assert [s.title["en"] for s in sections] == ["General", "Progress on the indicator"]


def test_the_status_question_keeps_its_type_and_choices(secretariat, cycle):
    url = reverse("form-question", args=[cycle.slug, "status"])
    secretariat.post(url, question_data(code="status", type="text", label_en="State of work",
                                        label_ru="Состояние"))  # fmt: skip
    status = current_form(cycle).questions.get(code="status")
    assert status.type == "choice" and len(status.choices) == 6
    assert status.label == {"en": "State of work", "ru": "Состояние"} and status.required


def test_a_form_is_copied_from_another_cycle(secretariat, people, cycle):
    other = CycleFactory()
    secretariat.post(reverse("form-question-new", args=[cycle.slug]), question_data(
        code="budget_spent", type="number", label_en="Budget spent"))  # fmt: skip
    response = secretariat.post(reverse("form-design", args=[other.slug]),
                                {"action": "copy", "source": cycle.slug})  # fmt: skip
    assert response.status_code == 302
    assert codes(other) == codes(cycle)


def test_the_preview_shows_the_form_as_a_state_sees_it(secretariat, people, cycle):
    secretariat.post(reverse("form-question-new", args=[cycle.slug]), question_data(
        code="population", type="number", label_en="Population estimate",
        breakdown="species", only_kinds=["conservation_unit"]))  # fmt: skip
    url = reverse("form-preview", args=[cycle.slug])
    page = secretariat.get(url, {"state": "KAZ", "activity": "1.2"}).content.decode()
    assert "Implementation status" in page and "Population estimate" not in page
    page = secretariat.get(url, {"state": "KAZ", "activity": "12.2"}).content.decode()
    assert "Population estimate" in page and 'name="population__' in page


def test_a_form_in_use_says_a_change_makes_a_new_revision(secretariat, people, cycle, report):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    page = secretariat.get(reverse("form-design", args=[cycle.slug])).content.decode()
    assert "your next change makes a new revision" in page


@pytest.mark.parametrize("name", ["national_focal_point", "contributor", "no_role"])
def test_only_the_secretariat_designs_forms(client, people, cycle, name):
    client.force_login(people[name])
    for url in [reverse("form-list"), reverse("form-design", args=[cycle.slug]),
                reverse("form-question", args=[cycle.slug, "narrative"]),
                reverse("form-preview", args=[cycle.slug])]:  # fmt: skip
        assert client.get(url).status_code == 403
    response = client.post(reverse("form-design", args=[cycle.slug]),
                           {"action": "delete", "code": "narrative"})  # fmt: skip
    assert response.status_code == 403 and "narrative" in codes(cycle)


def test_odd_requests_to_the_design_pages_are_refused_with_a_sentence(secretariat, cycle):
    design = reverse("form-design", args=[cycle.slug])
    for data in [{"action": "move", "code": "nope", "up": "1"},
                 {"action": "delete_section", "position": "77"},
                 {"action": "move_section", "position": "-5", "up": "1"},
                 {"action": "move", "code": "status", "up": "1"},
                 {"action": "delete", "code": "nope"}, {"action": "move"}]:  # fmt: skip
        response = secretariat.post(design, data)
        assert response.status_code == 400, data
        assert 'class="notice error"' in response.content.decode()
    assert current_form(cycle).revision == 1
    new = reverse("form-question-new", args=[cycle.slug])
    assert secretariat.get(new, {"section": "abc"}).status_code == 200
    assert secretariat.get(new, {"section": "²"}).status_code == 200


@pytest.mark.parametrize(("revision", "status"), [("²", 400), ("abc", 400), ("", 400),
                                                  ("99999999999999999999", 400), ("7", 404),
                                                  ("1", 200)])  # fmt: skip
def test_the_published_form_takes_only_a_revision_number(client, cycle, revision, status):
    response = client.get(f"/api/v1/cycles/{cycle.slug}/form/", {"revision": revision})
    assert response.status_code == status
    if status == 404:
        assert response.json()["detail"] == "This cycle's form has no revision 7."


def test_the_forms_list_reads_every_cycle_at_once(secretariat, cycle,
                                                  django_assert_max_num_queries):  # fmt: skip
    for _ in range(4):
        CycleFactory()
    with django_assert_max_num_queries(4):
        page = secretariat.get(reverse("form-list")).content.decode()
    assert page.count("open to changes") == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_changes_to_a_form_in_use_make_one_new_revision(cycle, people, report):
    answer_all(report)
    services.submit_report(report=report, actor=people["national_focal_point"])
    start = threading.Barrier(2)
    outcomes = {}

    def change(code):
        try:
            start.wait()
            form_design.save_question(cycle=cycle, actor=people["secretariat"], code=None,
                                      section=0, data={"code": code, "type": "text",
                                                       "label": {"en": code}})  # fmt: skip
            outcomes[code] = "saved"
        except Exception as error:  # noqa: BLE001 (the outcome is what the test reads)
            outcomes[code] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(code,)) for code in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"first": "saved", "second": "saved"}
    assert list(cycle.forms.values_list("revision", flat=True)) == [1, 2]
    assert {"first", "second"} <= set(current_form(cycle).questions.values_list("code", flat=True))
