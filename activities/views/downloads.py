from django.http import HttpResponse
from django.views.decorators.http import require_safe

from activities.exports import COLUMNS, HEADERS, csv_response, rows, xlsx_response
from activities.selectors import activities_for_display
from activities.views.activity import filtered_activities


def _filtered_rows(request):
    """(rows, None) for a valid query string, or (None, a 400 response saying why)."""
    filterset = filtered_activities(request, activities_for_display())
    if filterset.is_valid():
        return rows(filterset.qs), None
    problems = "; ".join(" ".join(errors) for errors in filterset.errors.values())
    refusal = HttpResponse(
        f"Cannot download: {problems}", status=400, content_type="text/plain; charset=utf-8"
    )
    return None, refusal


@require_safe
def download_csv(request):
    found, refusal = _filtered_rows(request)
    return refusal or csv_response("cami-activities.csv", HEADERS, found)


@require_safe
def download_xlsx(request):
    found, refusal = _filtered_rows(request)
    widths = [width for _name, width in COLUMNS]
    return refusal or xlsx_response("cami-activities.xlsx", "Activities", HEADERS, found, widths)
