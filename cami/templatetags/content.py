"""The programme's texts in the reader's language: `{{ unit|tr:"name" }}`.

Where the translation is still empty, the English text is shown; pages say so (`untranslated`),
and the admin is where the Secretariat fills the gap.
"""

from django import template
from django.utils.translation import gettext

from cami.content import (
    UNOFFICIAL_TRANSLATION,
    has_translation,
    in_language,
    other_language,
    translated_field,
)

register = template.Library()


@register.simple_tag
def unofficial_translation() -> str:
    return gettext(UNOFFICIAL_TRANSLATION)


@register.filter
def tr(obj, field: str) -> str:
    return translated_field(obj, field) if obj is not None else ""


@register.filter
def translated(obj, field: str) -> bool:
    """True where the reader's language is not English and `field` has a translation."""
    return has_translation(obj, field)


@register.filter
def untranslated(obj, field: str) -> bool:
    """True where the reader's language is not English and `field` has no translation yet."""
    return bool(other_language()) and not has_translation(obj, field)


@register.filter(name="in_language")
def in_language_filter(texts: dict) -> str:
    """A text kept as {language code: text}, in the reader's language (else English)."""
    return in_language(texts)


@register.filter
def unreviewed_translation(activity) -> bool:
    """The reader sees the team's translation of this activity, which the Secretariat has not
    reviewed as it reads now."""
    language = other_language()
    return bool(language) and activity.unreviewed_translation(language)


@register.filter
def translation_review(activity):
    """The Secretariat's review of the translation the reader sees, if it reviewed it as is."""
    language = other_language()
    return activity.translation_review(language) if language else None
