"""The implementation dashboard and the downloads of its numbers."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities.exports import csv_response, xlsx_response
from activities.filtersets import ActivityFilterSet
from activities.selectors import activities_for_listing
from reporting import dashboard
from reporting.models import ReportingCycle
from reporting.permissions import can
from reporting.views import authorize

MATRIX_ROWS = 60


def _cycle(request):
    cycles = list(ReportingCycle.objects.order_by("opens_on"))
    wanted = request.GET.get("cycle")
    if wanted:
        cycle = next((c for c in cycles if c.slug == wanted), None)
        if cycle is None:
            raise Http404(_("No reporting cycle %(cycle)r") % {"cycle": wanted})
        return cycle, cycles
    started = [c for c in cycles if c.has_opened()]
    return (started[-1] if started else (cycles[0] if cycles else None)), cycles


@require_safe
def dashboard_page(request):
    authorize(request)
    cycle, cycles = _cycle(request)
    everything = can(request.user, "review")
    context = {"cycle": cycle, "cycles": cycles, "everything": everything,
               "legend": [(s, dashboard.LABELS[s]) for s in dashboard.STATUSES]}  # fmt: skip
    filterset = ActivityFilterSet(request.GET, queryset=activities_for_listing())
    context["filter"] = filterset
    if cycle is None:
        return render(request, "reporting/dashboard.html", context)
    if not filterset.is_valid():
        return render(request, "reporting/dashboard.html", context, status=400)
    entries = dashboard.entries_in_scope(cycle, everything)
    page = Paginator(filterset.qs, MATRIX_ROWS).get_page(request.GET.get("page"))
    states, rows = dashboard.matrix(page.object_list, entries)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        tracker=dashboard.tracker(cycle, everything),
        sections=dashboard.by_section(entries), units=dashboard.by_unit(entries),
        species=dashboard.by_species(entries), states=dashboard.by_range_state(entries),
        overdue=list(dashboard.overdue(entries)),
        change=dashboard.change_since_previous(cycle, everything),
        matrix_states=states, matrix_rows=rows, page=page, page_query=query.urlencode(),
    )  # fmt: skip
    return render(request, "reporting/dashboard.html", context)


@require_safe
def dashboard_download(request, table: str, extension: str):
    if extension not in {"csv", "xlsx"}:
        raise Http404(_("Downloads are CSV or XLSX"))
    authorize(request)
    cycle, _cycles = _cycle(request)
    if cycle is None:
        raise Http404(_("No reporting cycle yet"))
    try:
        headers, rows = dashboard.table(table, cycle, can(request.user, "review"))
    except KeyError as error:
        raise Http404(_("No table %(table)r") % {"table": table}) from error
    name = f"cami-{cycle.slug}-{table}.{extension}"
    if extension == "csv":
        return csv_response(name, headers, rows)
    return xlsx_response(name, str(dashboard.TABLE_TITLES[table]), headers, rows)
