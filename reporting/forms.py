from django import forms
from django.utils.translation import gettext_lazy as _

from cami.content import in_language
from reporting.definition import Definition, Rows
from reporting.questions import choice_label, field_for, initial


class AnswersForm(forms.Form):
    """The questions of a form (an entry's, or the report's own) as page fields, built from the
    definition; `revision` is the version the person started from. Each field is the question's
    own (the validation the API and the Excel upload run too); `answers()` is what a save
    stores."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, definition: Definition, questions: list, rows: Rows,
                 current: dict, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.definition, self.questions, self.rows = definition, questions, rows
        self.layout = []  # (question, [bound fields]) in the order asked
        for question in questions:
            names = []
            if question.breakdown:
                stored = current.get(question.code) or {}
                for row in rows.of(question):
                    name = f"{question.code}__{row.key}"
                    self.fields[name] = field_for(question, label=row.label)
                    self.fields[name].initial = initial(question, stored.get(row.key))
                    names.append(name)
            else:
                self.fields[question.code] = field_for(question)
                self.fields[question.code].initial = initial(question, current.get(question.code))
                names.append(question.code)
            self.layout.append((question, names))

    @classmethod
    def for_entry(cls, entry, definition: Definition, rows: Rows, data=None,
                  current: dict | None = None, **kwargs) -> "AnswersForm":  # fmt: skip
        """The questions asked about `entry`, filled with `current` (its stored answers)."""
        return cls(
            data, definition=definition, questions=definition.questions_for(entry.activity),
            rows=rows.at(entry.activity),
            current=entry.answer_values() if current is None else current,
            initial={"revision": entry.revision}, **kwargs,
        )  # fmt: skip

    def groups(self):
        """Each question with its label, help, condition and bound fields, for the template;
        the first of each form section carries the section (titled where there are several, or
        where the questions are asked once per report)."""
        sections = {question.section_id for question, _names in self.layout}
        previous = None
        for question, names in self.layout:
            section = question.section
            titled = len(sections) > 1 or section.scope == "report"
            starts = section if titled and section.pk != previous else None
            previous = section.pk
            yield {
                "section": starts, "section_title": starts and in_language(starts.title),
                "section_intro": starts and in_language(starts.intro),
                "question": question, "label": in_language(question.label),
                "help": in_language(question.help), "fields": [self[n] for n in names],
                "unit": in_language(question.unit),
                "shown_if": question.show_if,
                "values": "|".join(str(v) for v in question.show_if_values),
                "condition": self._condition(question),
            }  # fmt: skip

    def _condition(self, question) -> str:
        if not question.show_if:
            return ""
        target = self.definition.by_code.get(question.show_if)
        if target is None:
            return ""
        words = [choice_label(target, v) if target.choices else str(v)
                 for v in question.show_if_values]  # fmt: skip
        return _("Asked when “%(question)s” is %(answers)s.") % {
            "question": in_language(target.label), "answers": " / ".join(words),
        }  # fmt: skip

    def clean(self):
        data = super().clean()
        incoming = {}
        for question, names in self.layout:
            if question.breakdown:
                keys = [n.split("__", 1)[1] for n in names]
                incoming[question.code] = {
                    key: data.get(name)
                    for key, name in zip(keys, names, strict=True)
                    if data.get(name) not in (None, "", [])
                } or None
            else:
                incoming[question.code] = data.get(question.code)
        self.incoming = incoming
        return data

    def answers(self) -> dict:
        """Every question's answer as sent (None where empty), for services to check and save."""
        return self.incoming


class EvidenceForm(forms.Form):
    title = forms.CharField(required=False, label=_("Title (optional)"), max_length=200)
    url = forms.URLField(required=False, label=_("Link"), max_length=500, assume_scheme="https")
    file = forms.FileField(required=False, label=_("File (PDF, image or office document)"))

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a link or a file."))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.xlsx)"))
    overwrite = forms.BooleanField(
        required=False,
        label=_(
            "Overwrite the entries changed on the portal since my download with my file's values"
        ),
    )
