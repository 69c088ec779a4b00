"""The programme's texts in the reader's language: `{{ unit|tr:"name" }}`.

Where the Russian translation is still empty, the English text is shown; pages say so (see
`untranslated`), and the admin is where the Secretariat fills the gap.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()


def translated_field(obj, field: str) -> str:
    """`field` of `obj` in the active language, or in English where there is no translation."""
    language = _other_language()
    return (language and getattr(obj, f"{field}_{language}", "")) or getattr(obj, field)


@register.filter
def tr(obj, field: str) -> str:
    return translated_field(obj, field) if obj is not None else ""


def _other_language() -> str | None:
    language = (get_language() or "en")[:2]
    return None if language == "en" else language


@register.filter
def translated(obj, field: str) -> bool:
    """True where the reader's language is not English and `field` has a translation."""
    language = _other_language()
    return bool(language and getattr(obj, f"{field}_{language}", ""))


@register.filter
def untranslated(obj, field: str) -> bool:
    """True where the reader's language is not English and `field` has no translation yet."""
    language = _other_language()
    return bool(language and not getattr(obj, f"{field}_{language}", ""))
