"""load_work_programme: current fixture, idempotent, all or nothing, errors that name the line."""

import copy
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from activities.importer.fixture import build_fixture, render
from activities.importer.loader import load_programme
from activities.models import Activity, Indicator, Section
from conservation_units.models import ConservationUnit, ConservationUnitScore

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Every programme row's values, to show that a step changed nothing."""
    return {
        "activities": list(Activity.objects.order_by("ref").values()),
        "indicators": list(Indicator.objects.order_by("activity__ref").values()),
        "sections": list(Section.objects.order_by("slug").values()),
        "units": list(ConservationUnit.objects.order_by("slug").values()),
        "scores": list(ConservationUnitScore.objects.order_by("pk").values()),
        "activity_links": sorted(
            Activity.objects.values_list("ref", "responsible_parties__slug", "species__slug")
        ),
    }


@pytest.fixture
def source_text() -> str:
    return Path(settings.WORK_PROGRAMME_SOURCE).read_text(encoding="utf-8")


@pytest.fixture
def fixture_data() -> dict:
    return json.loads(Path(settings.WORK_PROGRAMME_FIXTURE).read_text(encoding="utf-8"))


def test_committed_fixture_is_what_the_parser_produces(source_text):
    committed = Path(settings.WORK_PROGRAMME_FIXTURE).read_text(encoding="utf-8")
    assert render(build_fixture(source_text)) == committed


def test_parse_command_check_fails_on_a_stale_fixture(tmp_path):
    stale = tmp_path / "work_programme.json"
    stale.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="is not what"):
        call_command("parse_work_programme", "--check", "--output", str(stale))


def test_loading_twice_changes_nothing(fixture_data):
    before = snapshot()
    result = load_programme(fixture_data)
    assert result.created == 0
    assert snapshot() == before
    call_command("load_work_programme", "--from-source", verbosity=0)
    assert snapshot() == before


def test_loading_restores_a_hand_edit_and_a_dropped_link(fixture_data):
    activity = Activity.objects.get(ref="1.2")
    original = activity.text
    Activity.objects.filter(ref="1.2").update(text="edited")
    activity.responsible_parties.clear()
    load_programme(fixture_data)
    activity.refresh_from_db()
    assert activity.text == original
    assert activity.responsible_parties.count() == 2


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [
        ("reporting forms distributed by the CMS Secretariat\tHigh",
         "reporting forms distributed by the CMS Secretariat\tUrgent",
         r"line \d+: activity 1\.2: priority 'Urgent' is not one of High, Medium, Low"),
        ("<b>Kopetdag</b>\t7\t3\t3\t3\t3\t2\t21", "<b>Kopetdag</b>\t7\t3\t3\t3\t3\t2\t24",
         r"line \d+: score of 'Kopetdag': criteria add up to 21, not 24"),
        ("the reporting forms provided by the CMS Secretariat.\tGOs, NGOs",
         "the reporting forms provided by the CMS Secretariat.\tGOs, Rangers Guild",
         r"line \d+: responsible party 'Rangers Guild'"),
        ("<b>3. Legislation</b>", "<b>3. Legislation</b>\nA stray line in the table",
         r"line \d+: line not understood in the activity table: 'A stray line in the table"),
        ("<b>Species: Argali, Lynx, Snow Leopard</b>", "<b>Species: Argali, Unicorn</b>",
         r"line \d+: unknown species 'Unicorn'"),
    ],
)  # fmt: skip
def test_malformed_document_names_the_line_and_changes_nothing(
    source_text, tmp_path, find, replace, message
):
    assert find in source_text
    bad = tmp_path / "bad.txt"
    bad.write_text(source_text.replace(find, replace), encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match=message) as error:
        call_command("load_work_programme", "--from-source", str(bad), verbosity=0)
    assert "Nothing was changed" in str(error.value)
    assert snapshot() == before


def test_error_line_number_points_at_the_bad_row(source_text, tmp_path):
    lines = source_text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("9.7\t"))
    lines[index] = lines[index].rsplit("\t", 1)[0] + "\tSoon"
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match=rf"line {index + 1}: activity 9\.7"):
        call_command("load_work_programme", "--from-source", str(bad), verbosity=0)


def test_a_failing_row_rolls_back_every_earlier_row(fixture_data, tmp_path):
    data = copy.deepcopy(fixture_data)
    data["activities"][0]["text"] = "This change must not survive."
    data["activities"][-1]["priority"] = "Urgent"
    path = tmp_path / "bad-fixture.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot()
    with pytest.raises(
        CommandError,
        match=r"activity 22\.4: priority: Value 'Urgent' is not a valid choice\. Nothing",
    ):
        call_command("load_work_programme", "--fixture", str(path), verbosity=0)
    assert snapshot() == before


def test_database_refuses_a_score_whose_total_is_not_the_sum():
    score = ConservationUnitScore.objects.get(conservation_unit__slug="kopetdag")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConservationUnitScore.objects.filter(pk=score.pk).update(total=score.total + 1)


def test_an_unknown_name_among_the_translations_rolls_the_whole_load_back(settings, tmp_path):
    (tmp_path / "ru.json").write_text(
        json.dumps({"species": {"unicorn": {"common_name": "Единорог"}}}), encoding="utf-8"
    )
    settings.WORK_PROGRAMME_TRANSLATIONS = tmp_path
    Activity.objects.filter(ref="1.2").update(text="corrected by hand")
    with pytest.raises(CommandError, match="unicorn"):
        call_command("load_work_programme", verbosity=0)
    assert Activity.objects.get(ref="1.2").text == "corrected by hand"  # the reload was undone
