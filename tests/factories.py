"""Factories for the objects tests build around the loaded programme."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from reporting.models import ReportingCycle, ReportingRole

PASSWORD = "a-long-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingRole

    user = factory.SubFactory(UserFactory)


class CycleFactory(factory.django.DjangoModelFactory):
    """An open cycle by default: opened a month ago, due in two months, closing in three."""

    class Meta:
        model = ReportingCycle

    title = factory.Sequence(lambda n: f"Test cycle {n}")
    slug = factory.Sequence(lambda n: f"test-cycle-{n}")
    period_start = 2026
    period_end = 2028
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
