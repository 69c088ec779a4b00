"""The programme's texts in the reader's language, falling back to English (as printed).

The English original sits in its own column; its translations in the object's `translations`
({field: {language code: text}}, see cami.translatable). Works for model instances and for rows
read with `.values()` alike.
"""

from django.utils.translation import get_language, gettext_noop

# Said wherever the programme's texts are shown in a language other than English (gettext it).
UNOFFICIAL_TRANSLATION = gettext_noop(
    "The texts of the activities and their indicators in this language are the portal team's "
    "unofficial translation, not reviewed by the CMS Secretariat unless an activity's page says "
    "so; the English text as printed is the programme. Texts not translated yet are shown in "
    "English."
)


def other_language() -> str | None:
    """The reader's language when it is not English, else None."""
    language = (get_language() or "en")[:2]
    return None if language == "en" else language


def _get(obj, name: str):
    return obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")


def translation(obj, field: str, language: str) -> str:
    """A row read with `.values("section__title", "section__translations")` keeps the
    translations of "section__title" under "section__translations"."""
    prefix, _sep, name = field.rpartition("__")
    translations = _get(obj, f"{prefix}__translations" if prefix else "translations") or {}
    return (translations.get(name) or {}).get(language, "")


def translated_field(obj, field: str) -> str:
    """`field` of `obj` in the reader's language, or in English where there is no translation."""
    language = other_language()
    return (language and translation(obj, field, language)) or _get(obj, field)


def in_reader_language(english: str, translations: dict | None, field: str) -> str:
    """A text read as a bare value (`values_list`), beside its row's `translations`."""
    return translated_field({field: english, "translations": translations}, field)


def has_translation(obj, field: str) -> bool:
    language = other_language()
    return bool(language and translation(obj, field, language))


def in_language(texts: dict) -> str:
    """A text kept as {language code: text} in the reader's language, else English, else any."""
    if not texts:
        return ""
    language = (get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")
