"""Page forms the Secretariat designs a reporting form with: one field per portal language for
every text, choices typed one per line."""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.choices import SectionKind
from activities.models import Section
from cami.content import in_language
from reporting.definition import CONDITIONAL_TYPES
from reporting.models.forms import CODE, Breakdown, QuestionType, Scope

CHOICE_HELP = _("One per line: code | label in English | label in Russian, e.g. "
                "<code>yes_partly | Partly | Частично</code>.")  # fmt: skip


def _languages():
    return settings.LANGUAGES


def _texts(form, name: str) -> dict:
    return {code: form.cleaned_data[f"{name}_{code}"].strip() for code, _l in _languages()
            if form.cleaned_data.get(f"{name}_{code}", "").strip()}  # fmt: skip


def _text_fields(form, name: str, label, required_english: bool, widget=None, initial=None):
    for code, language in _languages():
        form.fields[f"{name}_{code}"] = forms.CharField(
            # The language named in itself, as the switcher names it (and marked so).
            label=format_html('{} (<span lang="{}">{}</span>)', label, code, language),
            required=required_english and code == "en",
            widget=widget, initial=(initial or {}).get(code, ""), max_length=2000,
        )  # fmt: skip


class SectionForm(forms.Form):
    scope = forms.ChoiceField(label=_("Asked"), choices=Scope.choices)

    def __init__(self, *args, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        if section is not None:
            self.fields["scope"].initial = section.scope
        _text_fields(self, "title", _("Title"), True, initial=section and section.title)
        _text_fields(self, "intro", _("Introduction"), False, forms.Textarea(attrs={"rows": 2}),
                     initial=section and section.intro)  # fmt: skip

    def values(self) -> dict:
        return {"scope": self.cleaned_data["scope"], "title": _texts(self, "title"),
                "intro": _texts(self, "intro")}  # fmt: skip


class QuestionForm(forms.Form):
    """A question as the Secretariat edits it; `values()` are the Question's fields."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        validators=[CODE],
        help_text=_("Stable: used by the API and the Excel template."),
    )
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    required = forms.BooleanField(label=_("Required before submitting"), required=False)
    min_value = forms.DecimalField(label=_("Minimum"), required=False, max_digits=14,
                                   decimal_places=2)  # fmt: skip
    max_value = forms.DecimalField(label=_("Maximum"), required=False, max_digits=14,
                                   decimal_places=2)  # fmt: skip
    choices = forms.CharField(label=_("Choices"), required=False, help_text=CHOICE_HELP,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    show_if = forms.ChoiceField(label=_("Ask only when question"), required=False)
    show_if_values = forms.CharField(
        label=_("has one of the answers"), required=False, max_length=500,
        help_text=_("Choice codes separated by commas (<code>yes</code> or <code>no</code> for a "
                    "yes-or-no question)."),
    )  # fmt: skip
    breakdown = forms.ChoiceField(label=_("Answers"), choices=Breakdown.choices, required=False)
    only_kinds = forms.MultipleChoiceField(
        label=_("Only for"), choices=SectionKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every activity."),
    )  # fmt: skip
    only_sections = forms.MultipleChoiceField(
        label=_("Only for the programme sections"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text=_("None chosen: all."),
    )  # fmt: skip
    only_activities = forms.CharField(
        label=_("Only for the activities"), required=False, max_length=2000,
        help_text=_("Activity refs separated by commas, e.g. 1.2, 3.3-b; empty: all."),
    )  # fmt: skip

    def __init__(self, *args, definition, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [
            (s.position, f"{s} ({s.get_scope_display()})") for s in definition.sections
        ]
        conditional = [q for q in definition.report_questions + definition.entry_questions
                       if q.type in CONDITIONAL_TYPES and not q.breakdown
                       and q != question]  # fmt: skip
        self.fields["show_if"].choices = [("", _("— always —"))] + [
            (q.code, in_language(q.label) or q.code) for q in conditional
        ]
        self.fields["only_sections"].choices = [
            (s.slug, str(s)) for s in Section.objects.order_by("position")
        ]
        _text_fields(self, "label", _("Label"), True, initial=question and question.label)
        _text_fields(self, "help", _("Help"), False, forms.Textarea(attrs={"rows": 2}),
                     initial=question and question.help)  # fmt: skip
        _text_fields(self, "unit", pgettext_lazy("measurement", "Unit"), False,
                     initial=question and question.unit)  # fmt: skip
        languages = [code for code, _l in _languages()]
        self.order_fields(["code", "section", "type", *(f"label_{c}" for c in languages),
                           *(f"help_{c}" for c in languages), "required",
                           *(f"unit_{c}" for c in languages)])  # fmt: skip
        if question is not None:
            self.initial.update({
                "code": question.code, "section": question.section.position,
                "type": question.type, "required": question.required,
                "min_value": question.min_value, "max_value": question.max_value,
                "choices": "\n".join(
                    " | ".join([c["value"], *(c["label"].get(code, "")
                                              for code, _l in _languages())])
                    for c in question.choices),
                "show_if": question.show_if,
                "show_if_values": ", ".join(question.show_if_values),
                "breakdown": question.breakdown, "only_kinds": question.only_kinds,
                "only_sections": question.only_sections,
                "only_activities": ", ".join(question.only_activities),
            })  # fmt: skip

    def clean_choices(self):
        choices = []
        for number, line in enumerate(self.cleaned_data["choices"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if not parts[0] or len(parts) < 2:
                raise forms.ValidationError(
                    _("Line %(number)s: give a code and an English label, separated by |.")
                    % {"number": number}
                )
            labels = {code: text for (code, _l), text in zip(_languages(), parts[1:],
                                                             strict=False) if text}  # fmt: skip
            choices.append({"value": parts[0], "label": labels})
        return choices

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"], "type": data["type"], "required": data["required"],
            "label": _texts(self, "label"), "help": _texts(self, "help"),
            "unit": _texts(self, "unit"), "min_value": data["min_value"],
            "max_value": data["max_value"], "choices": data["choices"],
            "show_if": data["show_if"],
            "show_if_values": [v.strip() for v in data["show_if_values"].split(",") if v.strip()],
            "breakdown": data["breakdown"] or "", "only_kinds": data["only_kinds"],
            "only_sections": data["only_sections"],
            "only_activities": [v.strip() for v in data["only_activities"].split(",")
                                if v.strip()],
        }  # fmt: skip
