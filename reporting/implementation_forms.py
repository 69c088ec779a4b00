from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models import ReportingCycle


class LanguageSelect(forms.Select):
    """Each language named in itself (settings.LANGUAGES), marked as that language, as the
    switcher names them."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["lang"] = value
        return option


class ImplementationReportForm(forms.Form):
    """What the Secretariat asks for: a cycle, as it stood on a day (the mid-term point, or
    today), in a language."""

    cycle = forms.ModelChoiceField(
        label=_("Reporting cycle"), queryset=ReportingCycle.objects.order_by("-opens_on"),
        empty_label=None,
    )  # fmt: skip
    as_of = forms.DateField(
        # A date input takes ISO dates only, whatever the page's language.
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Reports accepted on or before this day are counted: today, or the mid-term "
                    "point."),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES,
                                 widget=LanguageSelect)  # fmt: skip

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Choose today or a day before: reports not accepted yet cannot be counted.")
            )
        return day
