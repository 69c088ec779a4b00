"""The programme's API lists come from the cache until the programme changes, however it changes."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from activities.models import Activity, Indicator
from cami import revisions
from species.models import Species

LISTS = ["/api/v1/activities/?page_size=500", "/api/v1/sections/", "/api/v1/indicators/",
         "/api/v1/responsible-parties/", "/api/v1/species/", "/api/v1/instruments/",
         "/api/v1/range-states/", "/api/v1/conservation-units/"]  # fmt: skip
pytestmark = pytest.mark.django_db


def get(url, **headers):
    return Client().get(url, HTTP_ACCEPT="application/json", **headers)


@pytest.mark.parametrize("url", LISTS)
def test_a_repeat_is_the_same_answer_for_one_query(url, django_assert_num_queries):
    first = get(url)
    with django_assert_num_queries(1):  # the revision
        again = get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    for header in ["Content-Type", "ETag", "Content-Language"]:
        assert again[header] == first[header]
    assert set(again["Vary"].split(", ")) == set(first["Vary"].split(", "))
    assert get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_saved_activity_shows_at_once():
    before = get("/api/v1/activities/?page_size=500").json()["results"]
    activity = Activity.objects.get(ref=before[0]["ref"])
    activity.text = "Edited in the admin"
    activity.save()
    after = get("/api/v1/activities/?page_size=500").json()["results"]
    assert after[0]["text"] == "Edited in the admin"


def test_links_indicators_and_lower_apps_move_the_revision():
    url = "/api/v1/activities/?page_size=500"
    ref = get(url).json()["results"][0]["ref"]
    activity = Activity.objects.get(ref=ref)

    def first():
        return get(url).json()["results"][0]

    species = Species.objects.exclude(activities=activity).first()
    activity.species.add(species)
    assert species.slug in first()["species"]
    activity.species.remove(species)
    assert species.slug not in first()["species"]
    Indicator.objects.filter(activity=activity).delete()
    assert first()["indicators"] == []
    species.scientific_name = "Renamed in the admin"
    species.save()
    assert any(row["scientific_name"] == "Renamed in the admin"
               for row in get("/api/v1/species/").json()["results"])  # fmt: skip


def test_a_rolled_back_write_moves_nothing():
    before = revisions.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        activity = Activity.objects.first()
        activity.text = "never committed"
        activity.save()
        raise RuntimeError
    assert revisions.current() == before
    assert "never committed" not in get("/api/v1/activities/?page_size=500").content.decode()


def test_loading_the_programme_again_moves_the_revision():
    before = revisions.current()
    call_command("load_work_programme", verbosity=0)
    assert revisions.current() > before


def test_errors_and_the_browsable_api_are_not_kept(admin_client):
    assert get("/api/v1/activities/?page_size=0").status_code == 400
    assert get("/api/v1/activities/?page_size=0").status_code == 400
    user_menu = b'<li class="navbar-text">admin</li>'  # the browsable API names who is in
    page = admin_client.get("/api/v1/activities/?page_size=2", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and user_menu in page.content
    anonymous = Client().get("/api/v1/activities/?page_size=2", HTTP_ACCEPT="text/html")
    assert anonymous.status_code == 200 and user_menu not in anonymous.content


def test_absolute_links_follow_the_host_asked(settings):
    settings.ALLOWED_HOSTS = ["a.example.org", "b.example.org"]
    url = "/api/v1/activities/?page_size=10"
    a = get(url, HTTP_HOST="a.example.org").json()["next"]
    b = get(url, HTTP_HOST="b.example.org").json()["next"]
    assert a.startswith("http://a.example.org/") and b.startswith("http://b.example.org/")


def test_a_bulk_write_announced_moves_the_revision():
    from activities.signals import programme_written

    before = revisions.current()
    with transaction.atomic():
        Activity.objects.filter(pk=Activity.objects.first().pk).update(text="bulk")
        programme_written.send(sender=Activity)
    assert revisions.current() == before + 1


def test_a_migration_of_the_programme_moves_the_revision():
    """`migrate` announces what it applied; one in the programme's apps may have changed rows
    through historical models, which send no model signals."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import post_migrate

    graph = MigrationLoader(None).graph
    programme, other = (
        graph.nodes[graph.leaf_nodes(label)[0]] for label in ("activities", "reporting")
    )

    def migrated(*migrations):
        cami = apps.get_app_config("cami")
        post_migrate.send(sender=cami, app_config=cami, verbosity=0, interactive=False,
                          using="default", apps=apps,
                          plan=[(migration, False) for migration in migrations])  # fmt: skip

    before = revisions.current()
    migrated(other)
    assert revisions.current() == before
    migrated(other, programme)
    assert revisions.current() == before + 1
