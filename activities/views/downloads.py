from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities.exports import HEADERS, csv_response, rows
from activities.selectors import activities_for_display
from activities.views.activity import filtered_activities
from activities.workbook import programme_workbook


def _filtered(request):
    """(filterset, None) for a valid query string, or (None, a 400 response saying why)."""
    filterset = filtered_activities(request, activities_for_display())
    if filterset.is_valid():
        return filterset, None
    problems = "; ".join(" ".join(errors) for errors in filterset.errors.values())
    refusal = HttpResponse(
        _("Cannot download: %(problems)s") % {"problems": problems},
        status=400,
        content_type="text/plain; charset=utf-8",
    )
    return None, refusal


@require_safe
def download_csv(request):
    found, refusal = _filtered(request)
    return refusal or csv_response("cami-activities.csv", HEADERS, rows(found.qs))


@require_safe
def download_xlsx(request):
    """The programme workbook: the filtered activities, and every CU, species and Range State."""
    found, refusal = _filtered(request)
    if refusal:
        return refusal
    return programme_workbook(found.qs, _chosen(found.form)).response("cami-activities.xlsx")


def _chosen(form) -> dict[str, str]:
    """The filters in use as the page names them: each field's label and the value's name, in
    the reader's language."""
    chosen = {}
    for name, value in form.cleaned_data.items():
        if value in (None, "", []):
            continue
        field = form.fields[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)
        chosen[str(field.label)] = str(value)
    return chosen
