"""Revision numbers of the data that cached answers are built from.

The programme (species, Conservation Units, activities and everything hanging from them) changes
rarely; its API lists are kept in the cache under its revision. Every write through the ORM moves
the revision in the same transaction, so no one sees new rows under an old number, and a rolled
back write moves nothing; bulk writes announce themselves with
`activities.signals.programme_written`.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, signals

from cami.models import DataRevision

PROGRAMME = "programme"
PROGRAMME_APPS = ("species", "conservation_units", "activities")


def current(name: str = PROGRAMME) -> int:
    """One query: the revision now (0 before the first write)."""
    return DataRevision.objects.filter(name=name).values_list("number", flat=True).first() or 0


def programme_changed(sender=None, using=None, action=None, **kwargs) -> None:
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed announces each change twice
    rows = DataRevision.objects.using(using or DEFAULT_DB_ALIAS)
    if not rows.filter(name=PROGRAMME).update(number=F("number") + 1):
        rows.get_or_create(name=PROGRAMME, defaults={"number": 1})


def _after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """A migration of the programme's apps may have changed its rows (historical models send no
    model signals)."""
    if any(migration.app_label in PROGRAMME_APPS for migration, _backwards in plan or []) and (
        DataRevision._meta.db_table in connections[using].introspection.table_names()
    ):
        programme_changed(using=using)


def watch_programme() -> None:
    from activities.signals import programme_written  # the project listens; the apps never ask

    for label in PROGRAMME_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model.__name__.startswith("Historical"):
                continue  # simple-history's copy of a row saved just before
            uid = f"programme-revision-{model._meta.label}"
            signals.post_save.connect(programme_changed, sender=model, dispatch_uid=uid)
            signals.post_delete.connect(programme_changed, sender=model, dispatch_uid=uid)
            signals.m2m_changed.connect(programme_changed, sender=model, dispatch_uid=uid)
    programme_written.connect(programme_changed, dispatch_uid="programme-revision-bulk")
    signals.post_migrate.connect(_after_migrate, sender=apps.get_app_config("cami"),
                                 dispatch_uid="programme-revision-migrate")  # fmt: skip
