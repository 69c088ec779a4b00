"""Content kept in every language the portal speaks: the English original in its own column, the
other languages in one `translations` column ({field: {language code: text}}), so that a language
is added by a settings line, a catalogue and a translations fixture, not by a migration."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ORIGINAL = "en"  # the programme is adopted in English; other languages translate it


def language_name(code: str) -> str:
    """A language as its own speakers name it (Русский), whatever the reader's language."""
    return dict(settings.LANGUAGES).get(code, code)


def language_choices() -> list[tuple[str, str]]:
    """For a field holding a language code: the languages settings.LANGUAGES lists now."""
    return list(settings.LANGUAGES)


def translation_languages() -> list[tuple[str, str]]:
    """The languages content is translated into: every one settings.LANGUAGES lists but English."""
    return [(code, name) for code, name in settings.LANGUAGES if code != ORIGINAL]


class Translatable(models.Model):
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_("The texts in the portal's other languages, by field and language code."),
    )  # fmt: skip

    translated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def translation(self, field: str, language: str) -> str:
        return self.translations.get(field, {}).get(language, "")

    def set_translation(self, field: str, language: str, text: str) -> None:
        texts = self.translations.setdefault(field, {})
        if text:
            texts[language] = text
        else:
            texts.pop(language, None)
        if not texts:
            del self.translations[field]


def _field_name(field: str, language: str) -> str:
    return f"{field}__{language}"


class TranslationsFormMixin:
    """A model form that edits each translated field in every other language, as fields of its
    own ("title__ru"), written back into `translations` on save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self._meta.model.translated_fields:
            for language, _name in translation_languages():
                self.initial.setdefault(
                    _field_name(field, language),
                    (self.instance.translations or {}).get(field, {}).get(language, ""),
                )

    def save(self, commit=True):
        instance = self.instance
        instance.translations = dict(instance.translations or {})
        for field in instance.translated_fields:
            for language, _name in translation_languages():
                name = _field_name(field, language)
                if name in self.cleaned_data:
                    instance.set_translation(field, language, self.cleaned_data[name].strip())
        return super().save(commit)


def translations_form(base: type[forms.ModelForm], model) -> type[forms.ModelForm]:
    """`base` with a field for each translated field in each language settings.LANGUAGES lists
    now (built per request, so a language added in settings needs no code)."""
    attrs = {}
    for field in model.translated_fields:
        original = model._meta.get_field(field)
        for language, name in translation_languages():
            long = isinstance(original, models.TextField)
            attrs[_field_name(field, language)] = forms.CharField(
                label=f"{original.verbose_name} ({name})",
                required=False,
                max_length=original.max_length,
                widget=forms.Textarea(attrs={"rows": 3, "lang": language}) if long
                else forms.TextInput(attrs={"size": 60, "lang": language}),
                help_text=_("Empty until translated: pages in this language show the English."),
            )  # fmt: skip
    return type(f"Translated{base.__name__}", (TranslationsFormMixin, base), attrs)


def translation_field_names(model) -> list[str]:
    return [
        _field_name(field, language)
        for field in model.translated_fields
        for language, _name in translation_languages()
    ]


def english_original(model, name: str):
    """An admin column showing a translated field's English original, marked as English (for
    screen readers, and for readers of other languages to know what they are looking at)."""

    def column(obj):
        return format_html('<span lang="{}">{}</span>', ORIGINAL, getattr(obj, name))

    column.short_description = model._meta.get_field(name).verbose_name
    column.admin_order_field = name
    column.__name__ = name
    return column


class LanguageListFilter(admin.ChoicesFieldListFilter):
    """A filter on a language field: each language by its own name, marked as that language."""

    def choices(self, changelist):
        choices = super().choices(changelist)
        yield next(choices)  # "All", in the reader's language
        for (code, _name), choice in zip(self.field.flatchoices, choices, strict=False):
            display = format_html('<span lang="{}">{}</span>', code, choice["display"])
            yield {**choice, "display": display}
        yield from choices


def _mark_originals(form, model) -> None:
    for name in model.translated_fields:
        if name in form.base_fields:
            form.base_fields[name].widget.attrs["lang"] = ORIGINAL


class TranslationsAdminMixin:
    """For a ModelAdmin: the translations, in their own fieldset, instead of the raw JSON; the
    English originals marked as English in forms and lists."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = translations_form(kwargs.get("form", self.form), self.model)
        form = super().get_form(request, obj, **kwargs)
        _mark_originals(form, self.model)
        return form

    def _originals(self) -> dict:
        return {name: english_original(self.model, name) for name in self.model.translated_fields}

    def get_list_display(self, request):
        originals = self._originals()
        return [originals.get(name, name) for name in super().get_list_display(request)]

    def get_list_display_links(self, request, list_display):
        names = [getattr(item, "__name__", item) for item in list_display]
        links = super().get_list_display_links(request, names)
        if not links:
            return links
        by_name = dict(zip(names, list_display, strict=True))
        return [by_name.get(name, name) for name in links]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), "translations"]

    def get_fieldsets(self, request, obj=None):
        names = translation_field_names(self.model)
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in names]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("Translations"), {"fields": names, "classes": ["collapse"]})]


class TranslationsInlineMixin:
    """For an inline: each row's translations beside its English."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = translations_form(kwargs.get("form", self.form), self.model)
        formset = super().get_formset(request, obj, **kwargs)
        _mark_originals(formset.form, self.model)
        return formset

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), "translations"]

    def get_fields(self, request, obj=None):
        names = translation_field_names(self.model)
        return [*(f for f in super().get_fields(request, obj) if f not in names), *names]
