"""The admin lists the whole programme for staff, in a bounded number of queries."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from activities.models import Activity

pytestmark = pytest.mark.django_db

PROGRAMME_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in
    {"species", "conservation_units", "activities"}
]  # fmt: skip


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "x" * 16)
    client.force_login(user)
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", PROGRAMME_MODELS, ids=lambda m: m._meta.label)
def test_every_programme_model_has_a_searchable_changelist(
    staff_client, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = staff_client.get(changelist(model), {"q": "a"})
    assert response.status_code == 200


def test_all_models_are_registered():
    labels = {model._meta.label for model in PROGRAMME_MODELS}
    assert labels == {
        "species.Species", "species.Instrument", "conservation_units.RangeState",
        "conservation_units.ConservationUnit", "conservation_units.ConservationUnitScore",
        "conservation_units.ScoringCriterion", "conservation_units.ConservationUnitSpecies",
        "conservation_units.ConservationUnitInstrument", "activities.Programme",
        "activities.Section", "activities.ResponsibleParty", "activities.ResponsiblePartyAlias",
        "activities.Activity", "activities.Indicator", "activities.TranslationReview",
    }  # fmt: skip


def test_activity_changelist_filters_flagged_quirks(staff_client):
    response = staff_client.get(changelist(Activity), {"quirk": "yes"})
    content = response.content.decode()
    assert "3.3-a" in content and "10.4" in content and "20.3" in content
    assert ">1.2</a>" not in content and ">11.2-a</a>" in content


def test_activity_change_page_shows_the_indicator(staff_client):
    activity = Activity.objects.get(ref="18.8")
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Request submitted by 15 September 2026" in response.content.decode()


def test_admin_is_closed_to_anonymous_and_non_staff(client):
    assert client.get("/admin/activities/activity/").status_code == 302
    user = get_user_model().objects.create_user("public", password="x" * 16)
    client.force_login(user)
    response = client.get("/admin/activities/activity/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
