"""The API in the language asked for: the views take `?lang=` (InLanguageAsked), and the
programme's texts are given in that language, or in English where a text has no translation into
it (TranslatedField, by cami.content's rule). The schema documents both: `lang` on every
operation, `x-translated: true` on every field given so."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import get_attribute

from cami.content import other_language, translated_field

PARAMETER = "lang"

IN_LANGUAGE_ASKED = gettext_lazy(
    "In the language asked for (`?lang=`, else the Accept-Language header), in English where "
    "there is no translation into it."
)


def _followed_by_rule(help_text) -> str:
    text = str(help_text).rstrip()
    return f"{text}{'' if text.endswith(('.', ')')) else '.'} {IN_LANGUAGE_ASKED}"


class LanguageSchema(AutoSchema):
    """Every operation of a view that takes `?lang=` documents it, with the codes it accepts."""

    def get_override_parameters(self):
        description = gettext_lazy(
            "The language of the programme's texts (titles, names, activities, indicators, "
            "notes) and of the messages; without it the Accept-Language header decides, else "
            "English. A text with no translation into the language is given in English."
        )
        codes = [code for code, _name in settings.LANGUAGES]
        lang = OpenApiParameter(PARAMETER, str, enum=codes, description=description)
        return [*super().get_override_parameters(), lang]


class InLanguageAsked:
    """For every API view: `?lang=` chooses the language of the answer before anything else is
    decided, so that its errors speak it too. Without it LocaleMiddleware's choice stands (the
    site's language cookie, else Accept-Language, else English), as on the pages."""

    schema = LanguageSchema()

    def initial(self, request, *args, **kwargs):
        asked = request.query_params.get(PARAMETER, "")
        if asked:  # empty is "not given", as for the filters
            languages = dict(settings.LANGUAGES)
            if asked not in languages:
                choices = ", ".join(f"{code} ({name})" for code, name in languages.items())
                message = _("Unknown language '%(value)s': ask for one of %(choices)s.")
                raise ValidationError({PARAMETER: [message % {"value": asked, "choices": choices}]})
            # As LocaleMiddleware would have: it then names the language in Content-Language,
            # and the cached lists key on LANGUAGE_CODE.
            translation.activate(asked)
            request._request.LANGUAGE_CODE = asked
        super().initial(request, *args, **kwargs)


class TranslatedField(serializers.Field):
    """A text of the programme (a title, a name, an activity's text...) in the reader's language.

    Reads the object that holds the field, since its translations are kept beside the English:
    `TranslatedField()` for the serializer's own field, `source="section.title"` for a related
    object's. Works on model instances and on rows read as dicts."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        # A declared field loses the model field's help text; the schema keeps it.
        known = self.help_text or self._model_help_text(parent)
        self.help_text = lazy(_followed_by_rule, str)(known) if known else IN_LANGUAGE_ASKED

    def _model_help_text(self, parent) -> str:
        model = getattr(getattr(parent, "Meta", None), "model", None)
        if model is None or len(self.source_attrs) != 1:
            return ""
        try:
            return model._meta.get_field(self.source_attrs[0]).help_text
        except FieldDoesNotExist:  # a property, such as a Range State's name
            return ""

    def in_english(self) -> bool:
        # Asked once per answer, not per field: finding the active language is what costs.
        context = self.context
        if "other_language" not in context:
            context["other_language"] = other_language()
        return context["other_language"] is None

    def get_attribute(self, instance):
        *path, name = self.source_attrs
        holder = get_attribute(instance, path)
        if holder is None:
            return None
        if self.in_english():
            return get_attribute(holder, [name])  # the original, as translated_field would
        return translated_field(holder, name)

    def to_representation(self, value):
        return value


class TranslatedFieldSchema(OpenApiSerializerFieldExtension):
    """A string (or the shape a subclass gives as `shape`) marked `x-translated: true`."""

    target_class = TranslatedField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        shape = getattr(self.target, "shape", None)
        if shape is None:
            schema = build_basic_type(OpenApiTypes.STR)
        else:
            schema = auto_schema._map_serializer_field(shape, direction)
        return {**schema, "x-translated": True}
