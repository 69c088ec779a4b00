"""A status's swatch (its colour with its mark) wherever a page names an entry's status."""

from django import template

from reporting.choices import UNANSWERED
from reporting.dashboard import swatch

register = template.Library()


@register.simple_tag
def status_swatch(code: str) -> str:
    return swatch(code or UNANSWERED)
