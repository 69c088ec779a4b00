"""Django's tasks framework, wherever the portal runs: built into Django 6, and the same API from
its backport (django-tasks) on Django 5.2."""

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

__all__ = ["task"]
