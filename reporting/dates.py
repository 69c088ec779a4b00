"""Dates in words for e-mails and workbooks, in the active language."""

from django.utils.dateformat import format as format_date
from django.utils.translation import pgettext


def long_date(day) -> str:
    """24 November 2026 (with a zero before a one-digit day, as Python's %d %B %Y writes it)."""
    # Translators: a Django date format (see the `date` template filter) for dates in e-mails and
    # workbooks. Russian needs the month in the genitive: "j E Y".
    return format_date(day, pgettext("long date format", "d F Y"))
