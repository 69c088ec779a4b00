import csv
import io

from django.http import HttpResponse
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from activities.exports import COLUMNS, HEADERS, defused, rows
from activities.selectors import activities_for_display
from activities.views.activity import filtered_activities

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _invalid(filterset) -> HttpResponse:
    problems = "; ".join(" ".join(errors) for errors in filterset.errors.values())
    return HttpResponse(
        f"Cannot download: {problems}", status=400, content_type="text/plain; charset=utf-8"
    )


@require_safe
def download_csv(request):
    filterset = filtered_activities(request, activities_for_display())
    if not filterset.is_valid():
        return _invalid(filterset)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cami-activities.csv"'
    response.write("\ufeff")  # lets Excel read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    for row in rows(filterset.qs):
        writer.writerow([defused(cell) for cell in row])
    return response


@require_safe
def download_xlsx(request):
    filterset = filtered_activities(request, activities_for_display())
    if not filterset.is_valid():
        return _invalid(filterset)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activities"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows(filterset.qs):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Stored as text: a value beginning with "=" stays a string, never a formula.
                cell.data_type = "s"
            cell.alignment = wrap
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="cami-activities.xlsx"'
    return response
