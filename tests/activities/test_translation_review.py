"""The team's Russian of the 133 activities and their indicators: loaded beside the English
(which stays as printed), marked as an unofficial translation until the Secretariat reviews it,
and unreviewed again when its words change."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from activities.models import Activity, Indicator, TranslationReview

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
UNOFFICIAL = "Неофициальный перевод"  # the start of the note, as the Russian catalogue has it


def russian_page(ref: str) -> str:
    return Client(headers={"accept-language": "ru"}).get(f"/activities/{ref}/").content.decode()


def test_every_activity_and_indicator_has_its_russian_beside_the_english_as_printed():
    programme = json.loads((FIXTURES / "work_programme.json").read_text())
    printed = {a["ref"]: a["text"] for a in programme["activities"]}
    assert Activity.objects.count() == len(printed) == 133
    assert all(a.translation("text", "ru") for a in Activity.objects.all())
    assert all(i.translation("text", "ru") for i in Indicator.objects.all())
    assert {a.ref: a.text for a in Activity.objects.all()} == printed


def test_the_russian_page_says_the_translation_is_unofficial_and_the_english_does_not():
    page = russian_page("16.1")
    assert Activity.objects.get(ref="16.1").translation("text", "ru").splitlines()[0] in page
    assert UNOFFICIAL in page
    english = Client().get("/activities/16.1/").content.decode()
    assert "Unofficial translation" not in english


def test_the_secretariat_reviews_a_translation_and_a_later_change_unreviews_it(admin_client):
    activity = Activity.objects.get(ref="16.1")
    response = admin_client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "mark_translations_reviewed", "_selected_action": [activity.pk]},
        follow=True,
    )
    assert "1 translation marked reviewed" in response.content.decode()
    review = TranslationReview.objects.get(activity=activity, language="ru")
    assert review.reviewed_by == get_user_model().objects.get(username="admin")
    assert review.reviewed_at is not None
    page = russian_page("16.1")
    assert UNOFFICIAL not in page and "Перевод проверен Секретариатом КМВ" in page

    Indicator.objects.filter(activity=activity).update(
        translations={"text": {"ru": "Изменённый показатель."}}
    )
    page = russian_page("16.1")
    assert UNOFFICIAL in page and "Перевод проверен" not in page


def test_loading_again_keeps_a_translation_the_secretariat_typed():
    Activity.objects.filter(ref="1.2").update(translations={"text": {"ru": "Текст Секретариата."}})
    call_command("load_work_programme", verbosity=0)
    typed = Activity.objects.get(ref="1.2")
    assert typed.translation("text", "ru") == "Текст Секретариата."
    assert typed.translation("responsible_text", "ru")  # an empty field is still filled
    assert Activity.objects.get(ref="1.3").translation("text", "ru")  # the team's translation
