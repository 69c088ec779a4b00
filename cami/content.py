"""The programme's texts in the reader's language, falling back to English (as printed).

A translated field sits beside its English original with the language as suffix (`title_ru`);
it works for model instances and for rows read with `.values()` alike.
"""

from django.utils.translation import get_language


def other_language() -> str | None:
    """The reader's language when it is not English, else None."""
    language = (get_language() or "en")[:2]
    return None if language == "en" else language


def _get(obj, name: str):
    return obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")


def _translation(obj, field: str, language: str) -> str:
    """A field's translation: a column of its own (`title_ru`), or the entry for the language
    in the object's `translations` ({field: {language code: text}}), which takes any language
    settings.LANGUAGES lists without a change to the model."""
    return _get(obj, f"{field}_{language}") or (
        (_get(obj, "translations") or {}).get(field, {}).get(language, "")
    )


def translated_field(obj, field: str) -> str:
    """`field` of `obj` in the reader's language, or in English where there is no translation."""
    language = other_language()
    return (language and _translation(obj, field, language)) or _get(obj, field)


def has_translation(obj, field: str) -> bool:
    language = other_language()
    return bool(language and _translation(obj, field, language))


def in_language(texts: dict) -> str:
    """A text kept as {language code: text} in the reader's language, else English, else any."""
    if not texts:
        return ""
    language = (get_language() or "en")[:2]
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")
