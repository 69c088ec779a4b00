from django.db.models import Count
from django.shortcuts import render

from activities.choices import Priority, SectionKind
from activities.models import Activity, Programme
from activities.selectors import sections_with_counts
from activities.views.charts import with_shares
from conservation_units.models import ConservationUnit, RangeState
from species.models import Species

# Each chart shows at most this many bars (the real programme has 11 thematic sections and 12
# units), and links to the full list for the rest: the page stays the same size however large
# the programme grows.
BARS = 15


def home(request):
    """The programme at a glance: vision, goal, counts, and where the activities are."""
    sections = with_shares(list(sections_with_counts()), "activity_count")  # one scale for all
    by_priority = dict(
        Activity.objects.order_by().values_list("priority").annotate(count=Count("pk"))
    )
    priorities = [
        {"value": choice.value, "label": choice.label, "count": by_priority.get(choice.value, 0)}
        for choice in Priority
    ]
    units = list(
        ConservationUnit.objects.select_related("score", "section").order_by(
            "score__priority", "position"
        )
    )
    scored = [unit for unit in units if hasattr(unit, "score")]
    for unit in scored:
        unit.total = unit.score.total
    thematic = [s for s in sections if s.kind == SectionKind.THEMATIC]
    unit_sections = [s for s in sections if s.kind == SectionKind.CONSERVATION_UNIT]
    context = {
        "programme": Programme.objects.first(),
        "counts": {
            "activities": sum(section.activity_count for section in sections),
            "thematic_sections": sum(s.kind == SectionKind.THEMATIC for s in sections),
            "conservation_units": len(units),
            "species": Species.objects.count(),
            "range_states": RangeState.objects.range_states().count(),
        },
        "thematic": thematic[:BARS],
        "unit_sections": unit_sections[:BARS],
        "more_sections": len(thematic) > BARS or len(unit_sections) > BARS,
        "priorities": with_shares(priorities, "count"),
        "scored_units": with_shares(scored, "total")[:BARS],
        "unscored_units": [unit for unit in units if not hasattr(unit, "score")][
            : max(0, BARS - len(scored))
        ],
        "more_units": len(units) > BARS,
    }
    return render(request, "activities/home.html", context)
