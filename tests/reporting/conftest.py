import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conservation_units.models import RangeState
from reporting import services
from reporting.choices import Role
from tests.factories import CycleFactory, RoleFactory, UserFactory

# Who acts, in the permission table's words.
PEOPLE = {
    "national_focal_point": (Role.NATIONAL_FOCAL_POINT, "KAZ"),
    "alternate": (Role.ALTERNATE, "KAZ"),
    "contributor": (Role.CONTRIBUTOR, "KAZ"),
    "other_state_focal_point": (Role.NATIONAL_FOCAL_POINT, "UZB"),
    "secretariat": (Role.SECRETARIAT, None),
}


@pytest.fixture
def programme(db):
    """The programme, loaded again if a transactional test emptied the database before."""
    if not RangeState.objects.exists():
        call_command("load_work_programme", verbosity=0)


@pytest.fixture
def cycle(db):
    return CycleFactory()


@pytest.fixture
def closed_cycle(db):
    today = timezone.localdate()
    return CycleFactory(
        opens_on=today - datetime.timedelta(days=400),
        due_on=today - datetime.timedelta(days=100),
        closes_on=today - datetime.timedelta(days=10),
    )


@pytest.fixture
def people(programme) -> dict:
    """One user per role (KAZ is 'own' state), a superuser, and a user with no role."""
    users = {}
    for name, (role, iso3) in PEOPLE.items():
        state = RangeState.objects.get(iso3=iso3) if iso3 else None
        users[name] = RoleFactory(user__username=name, role=role, range_state=state).user
    users["administrator"] = UserFactory(username="administrator", is_superuser=True, is_staff=True)
    users["no_role"] = UserFactory(username="no_role")
    return users


@pytest.fixture
def kazakhstan(programme):
    return RangeState.objects.get(iso3="KAZ")


@pytest.fixture
def report(cycle, kazakhstan, people):
    return services.open_report(
        cycle=cycle, range_state=kazakhstan, actor=people["national_focal_point"]
    )


def answer_all(report, status="in_progress"):
    report.entries.update(status=status, complete=bool(status))


@pytest.fixture
def migrate():
    """Migrates to the targets and gives their models; later tests run on the latest
    migrations again, whatever the test left (or failed at)."""

    def to(targets):
        MigrationExecutor(connection).migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
