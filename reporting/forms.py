from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.choices import EntryStatus
from reporting.models import ReportEntry
from reporting.models.entries import ANSWER_FIELDS


class EntryForm(forms.ModelForm):
    """One entry's answers; `revision` is the version the person started from."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(
        choices=[("", _("— not answered yet —")), *EntryStatus.choices],
        required=False,
        label=_("Implementation status"),
    )
    year_completed = forms.IntegerField(
        required=False, min_value=2000, max_value=2100, label=_("Year completed")
    )

    class Meta:
        model = ReportEntry
        fields = ANSWER_FIELDS
        widgets = {
            field: forms.Textarea(attrs={"rows": 3})
            for field in ["narrative", "partners", "challenges"]
        }

    def answers(self) -> dict:
        return {field: self.cleaned_data[field] for field in ANSWER_FIELDS}


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
