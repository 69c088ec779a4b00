"""The Secretariat edits every translated field of the programme in the admin, one field per
language settings.LANGUAGES lists: a new language brings its fields without code."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, Section
from conservation_units.models import ScoringCriterion

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The change form as the browser would post it back (hidden fields, inlines included)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = (
            [v.pk for v in value]
            if hasattr(value, "__iter__") and not isinstance(value, str | dict | list)
            else value
        )
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management.initial.get(name, "")
        for inline in formset.formset.forms:
            for name, field in inline.fields.items():
                value = inline.initial.get(name, field.initial)
                if value is not None:
                    data[inline.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_a_section_s_russian_title_is_edited_and_kept_beside_the_english(admin_client):
    section = Section.objects.get(slug="legislation")
    url = reverse("admin:activities_section_change", args=[section.pk])
    page = admin_client.get(url)
    html = page.content.decode()
    assert 'name="title__ru"' in html and 'name="source_note__ru"' in html
    assert 'name="translations"' not in html  # the JSON itself is not for typing
    assert page.context["adminform"].form.initial["title__ru"] == "Законодательство"

    data = form_data(page)
    data["title__ru"] = "Законодательство и политика"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    section.refresh_from_db()
    assert section.translation("title", "ru") == "Законодательство и политика"
    assert section.title == "Legislation"  # the English original is untouched
    with translation.override("ru"):
        assert str(section).endswith("Законодательство и политика")


def test_emptying_a_translation_shows_the_english_again(admin_client):
    criterion = ScoringCriterion.objects.get(position=2)
    url = reverse("admin:conservation_units_scoringcriterion_change", args=[criterion.pk])
    data = form_data(admin_client.get(url))
    assert data["scale__ru"]
    data["scale__ru"] = "  "
    assert admin_client.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert "scale" not in criterion.translations
    assert criterion.translation("title", "ru")  # the other field keeps its translation


def test_indicators_are_translated_in_their_activity_s_page(admin_client):
    activity = Activity.objects.get(ref="16.1")
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="indicators-0-text__ru"' in html
    assert 'name="text__ru"' in html and 'name="responsible_text__ru"' in html


def test_a_language_added_in_settings_gets_its_fields(admin_client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "Français")]
    section = Section.objects.get(slug="legislation")
    url = reverse("admin:activities_section_change", args=[section.pk])
    data = form_data(admin_client.get(url))
    assert data["title__fr"] == ""
    data["title__fr"] = "Législation"
    assert admin_client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert section.translations["title"] == {"ru": "Законодательство", "fr": "Législation"}


def test_a_translation_too_long_for_its_field_is_refused_with_the_typed_text_kept(admin_client):
    criterion = ScoringCriterion.objects.get(position=2)
    url = reverse("admin:conservation_units_scoringcriterion_change", args=[criterion.pk])
    data = form_data(admin_client.get(url))
    data["scale__ru"] = "ш" * 201
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "ш" * 201 in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.translation("scale", "ru") != "ш" * 201


def test_lists_and_forms_mark_the_english_originals_as_english(admin_client):
    activity = Activity.objects.get(ref="1.1")
    listing = admin_client.get(reverse("admin:activities_section_changelist")).content.decode()
    section = Section.objects.get(slug="legislation")
    assert f'<span lang="en">{section.title}</span>' in listing
    assert f"/admin/activities/section/{section.pk}/change/" in listing  # still the link
    page = admin_client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    html = page.content.decode()
    assert re.search(r'<textarea name="text"[^>]*lang="en"', html)
    assert re.search(r'<textarea name="text__ru"[^>]*lang="ru"', html)
    assert re.search(r'<textarea name="indicators-0-text"[^>]*lang="en"', html)
    listing = admin_client.get(reverse("admin:activities_activity_changelist"), {"q": "1.1"})
    assert "?o=" in listing.content.decode()  # the marked columns still sort
