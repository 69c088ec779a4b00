"""Signals the programme's apps send for writes that Django's model signals do not see."""

from django.dispatch import Signal

# Sent after rows of the programme were written in bulk (`QuerySet.update`, `bulk_create`).
programme_written = Signal()
