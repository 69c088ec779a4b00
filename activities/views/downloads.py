from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities.exports import HEADERS, csv_response, rows
from activities.selectors import activities_for_display
from activities.views.activity import filtered_activities
from activities.workbook import programme_workbook


def _filtered(request):
    """(activities, None) for a valid query string, or (None, a 400 response saying why)."""
    filterset = filtered_activities(request, activities_for_display())
    if filterset.is_valid():
        return filterset.qs, None
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
    return refusal or csv_response("cami-activities.csv", HEADERS, rows(found))


@require_safe
def download_xlsx(request):
    """The programme workbook: the filtered activities, and every CU, species and Range State."""
    found, refusal = _filtered(request)
    if refusal:
        return refusal
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    return programme_workbook(found, filters).response("cami-activities.xlsx")
