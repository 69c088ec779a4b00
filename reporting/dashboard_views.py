"""The implementation dashboard and the downloads of its numbers.

The public's figures stay the same until the workflow accepts (or reopens) a report or the
programme changes, so they are rendered once and kept in the cache under a key that holds
`dashboard.public_fingerprint`, read from the database at each request: every process and
machine, whatever its cache, sees a change at its next request, and nothing need be deleted.
The Secretariat's figures count drafts: their key holds `dashboard.secretariat_fingerprint`,
which moves with every answer saved. A filter that cannot be applied and the pages of a list
asked for by a number it does not have are rendered each time.
"""

import hashlib
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities.exports import csv_response, xlsx_response
from activities.filtersets import ActivityFilterSet
from activities.selectors import activities_for_listing
from cami import filter_widgets
from reporting import choices, dashboard
from reporting.models import ReportingCycle
from reporting.permissions import can
from reporting.views import authorize

MATRIX_ROWS = 60
FILTERS = list(ActivityFilterSet.base_filters)
# A net for writes no fingerprint sees: a programme reloaded over itself, SQL typed by hand.
CACHE_SECONDS = 600
FRAGMENTS = ["reporting/dashboard_figures.html", "reporting/dashboard_matrix.html",
             "reporting/_status_table.html", "reporting/_dashboard_filters.html"]  # fmt: skip


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
    legend = dashboard.legend(dashboard.STATUSES)
    context = {"cycle": cycle, "cycles": cycles, "everything": everything, "legend": legend}
    if cycle is None:
        return render(request, "reporting/dashboard.html", context)
    previous = dashboard.previous_cycle(cycle, cycles)
    # Only the filters the matrix knows, so that no other parameter makes a page of its own.
    filters = [(name, value) for name in FILTERS for value in request.GET.getlist(name)]
    wanted_page = request.GET.get("page", "")
    marks = dashboard.programme_marks()
    keys = _cache_keys(cycle, previous, marks, filters, wanted_page, everything)
    cached = cache.get_many(keys.values())
    fresh = {}
    matrix = cached.get(keys.get("matrix"))
    if matrix is None:
        filterset = ActivityFilterSet(request.GET, queryset=activities_for_listing())
        if not filterset.is_valid():
            context["filter"] = filterset
            return render(request, "reporting/dashboard.html", context, status=400)
        parts = _matrix(cycle, everything, filterset, filters, wanted_page)
        parts["filter_fields"] = _filter_fields(filterset, marks, filters)
        matrix = render_to_string("reporting/dashboard_matrix.html", parts)
        context.update(parts)
        if wanted_page in ("", str(parts["page"].number)):
            fresh[keys["matrix"]] = matrix
    figures = cached.get(keys.get("figures"))
    if figures is None:
        parts = _figures(cycle, previous, everything, legend)
        figures = render_to_string("reporting/dashboard_figures.html", parts)
        context.update(parts)
        fresh[keys["figures"]] = figures
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    context.update(figures=figures, matrix=matrix)
    return render(request, "reporting/dashboard.html", context)


def _matrix(cycle, everything: bool, filterset, filters: list, wanted_page: str) -> dict:
    """One page of the activity x Range State matrix, with its filter form."""
    entries = dashboard.entries_in_scope(cycle, everything)
    page = Paginator(filterset.qs, MATRIX_ROWS).get_page(wanted_page)
    states, rows = dashboard.matrix(page.object_list, entries)
    return {"cycle": cycle, "filter": filterset, "page": page, "matrix_states": states,
            "matrix_rows": rows, "matrix_markup": dashboard.matrix_cells(rows),
            "matrix_legend": dashboard.legend(dashboard.MATRIX_LEGEND),
            "page_query": urlencode([("cycle", cycle.slug), *filters]),
            "filtering": any(value for _name, value in filters)}  # fmt: skip


def _figures(cycle, previous, everything: bool, legend: list) -> dict:
    """The tracker, the four status tables, the change since the cycle before, the overdue list."""
    entries = dashboard.entries_in_scope(cycle, everything)
    bars = {
        "sections": dashboard.by_section(entries),
        "units": dashboard.by_unit(entries),
        "species": dashboard.by_species(entries),
        "states": dashboard.by_range_state(entries),
    }
    return {
        "cycle": cycle, "everything": everything, "legend": legend,
        "tracker": dashboard.tracker(cycle, everything), **bars,
        **{f"{name}_bars": dashboard.bar_cells(rows) for name, rows in bars.items()},
        "overdue": list(dashboard.overdue(entries)),
        "change": dashboard.change_since_previous(cycle, previous, everything),
    }  # fmt: skip


def _filter_fields(filterset, marks: tuple, filters: list) -> str:
    """The matrix's filter form, the same for every audience: its choices are the programme's
    sections, units, species, states and parties, which change only with the programme."""
    key = "dashboard:filters:" + _digest([repr(marks), get_language(), urlencode(filters),
                                          _templates_digest()])  # fmt: skip
    fields = cache.get(key)
    if fields is None:
        fields = render_to_string("reporting/_dashboard_filters.html", {"filter": filterset})
        cache.set(key, fields, CACHE_SECONDS)
    return fields


def _cache_keys(cycle, previous, marks: tuple, filters: list, wanted_page: str,
                everything: bool) -> dict[str, str]:  # fmt: skip
    """What the figures are made of (for the public, or counting drafts for the Secretariat:
    the two fingerprints never meet), the day (days to the due date, what is overdue), the
    language, the templates; and for the matrix its filters and page."""
    fingerprint = dashboard.secretariat_fingerprint if everything else dashboard.public_fingerprint
    made_of = [fingerprint(cycle, previous, marks),
               timezone.localdate().isoformat(),
               get_language(), _templates_digest()]  # fmt: skip
    figures = _digest(made_of)
    matrix = _digest([*made_of, urlencode(filters), wanted_page])
    return {"figures": f"dashboard:figures:{figures}", "matrix": f"dashboard:matrix:{matrix}"}


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


_templates = {}


def _templates_digest() -> str:
    """What makes the fragments' markup as this process has it: their templates, the modules
    that write cells and fields in Python, and the translations, so that a cache shared across a
    deploy (Redis) never serves markup of the release before it."""
    if not _templates:
        sources = [get_template(name).template.source for name in FRAGMENTS]
        made_by = [dashboard, choices, filter_widgets]
        catalogues = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.mo"))
        sources += [hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in
                    [*(module.__file__ for module in made_by), *catalogues]]  # fmt: skip
        _templates["digest"] = _digest(sources)
    return _templates["digest"]


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
