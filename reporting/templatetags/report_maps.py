"""The dashboard's map: each Range State coloured (and patterned) by where its national report of
the chosen cycle stands, in the tracker's words: `{% load report_maps %}{% report_status_map %}`.

The public sees what the tracker shows it: accepted, not accepted yet, or not started; the
Secretariat sees every step. The map is kept in the cache under a digest of the dashboard's own
figures (which hold the tracker, so they change whenever a report's standing does), the cycle,
the audience and the language: a warm dashboard reads no query for it, a cold one at most two.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conservation_units import maps
from conservation_units.templatetags.maps import programme_states
from reporting import workflow
from reporting.dashboard import NOT_ACCEPTED_YET, NOT_STARTED, TRACKER_LABELS
from reporting.models import NationalReport

register = template.Library()
CACHE_SECONDS = 600

# Tracker word -> (class suffix, pattern drawn over the colour): no two look alike in colour
# alone; the public meets the first three only.
CATEGORIES = {
    "accepted": ("accepted", ""),
    NOT_ACCEPTED_YET: ("not_accepted_yet", "dots"),
    NOT_STARTED: ("not_started", ""),
    "drafting": ("drafting", "dots"),
    "returned": ("returned", "cross"),
    "submitted": ("submitted", "lines"),
    "under review": ("under_review", "cross"),
}
PUBLIC_ORDER = ["accepted", NOT_ACCEPTED_YET, NOT_STARTED]
SECRETARIAT_ORDER = ["accepted", "under review", "submitted", "returned", "drafting", NOT_STARTED]


def standing(cycle, everything: bool, reports=None) -> dict[int, str]:
    """Range State id -> the tracker's word for its report of the cycle, as `dashboard.tracker`
    decides it (one query, unless the reports are given)."""
    if reports is None:
        reports = NationalReport.objects.filter(cycle=cycle).values_list("range_state", "status")
    words = {}
    for state_id, status in reports:
        if everything or workflow.is_public(status):
            words[state_id] = workflow.STATUSES[status].tracker
        else:
            words[state_id] = NOT_ACCEPTED_YET
    return words


@register.simple_tag(takes_context=True)
def report_status_map(context) -> str:
    cycle, everything = context.get("cycle"), bool(context.get("everything"))
    if cycle is None:
        return ""
    if not context.get("figures"):  # nothing to key it by (a filter that cannot be applied)
        return render_to_string(maps.TEMPLATE, _map(context, cycle, everything))
    key = "report-map:" + hashlib.sha256("\x1f".join([
        str(context["figures"]), cycle.slug, str(everything), get_language() or "",
        maps.code_digest(),
    ]).encode()).hexdigest()  # fmt: skip
    markup = cache.get(key)
    if markup is None:
        markup = render_to_string(maps.TEMPLATE, _map(context, cycle, everything))
        cache.set(key, markup, CACHE_SECONDS)
    return markup


def _map(context, cycle, everything: bool) -> dict:
    tracker = context.get("tracker")  # present when the figures were just computed
    if tracker is not None:
        words = {row["state"].pk: row["status"] for row in tracker}
    else:
        words = standing(cycle, everything)
    states = programme_states()
    order = SECRETARIAT_ORDER if everything else PUBLIC_ORDER
    categories = {
        state.iso3: CATEGORIES[words.get(state.pk, NOT_STARTED)][0]
        for state in states
        if state.role == maps.RANGE_STATE
    }
    return maps.build(
        states,
        categories=categories,
        category_labels={CATEGORIES[word][0]: TRACKER_LABELS[word].capitalize()
                         for word in order},
        category_patterns=dict(CATEGORIES.values()),
        title=_("Map of the Range States by their report for %(cycle)s")
        % {"cycle": cycle.translated_title},
        caption=_("Each Range State by where its national report for %(cycle)s stands.")
        % {"cycle": cycle.translated_title}
        + (" " + str(_("Only accepted reports are public; the others show as not accepted yet."))
           if not everything else ""),
        map_id="map-reports",
    )  # fmt: skip
