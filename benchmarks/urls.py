"""The portal's URLs plus two baselines served by the same process: a trivial view and raw SQL."""

import json

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

# The activity columns the API serves, read with one query and dumped with the json module.
RAW_ACTIVITIES = """
SELECT a.ref, a.code, a.position, a.text, a.body, a.priority, a.responsible_text, a.source_note,
       s.slug, s.number, s.title, s.kind, u.slug, i.id, i.text, i.target_year
FROM activities_activity a
JOIN activities_section s ON s.id = a.section_id
LEFT JOIN conservation_units_conservationunit u ON u.id = s.conservation_unit_id
LEFT JOIN activities_indicator i ON i.activity_id = a.id AND i.position = 1
ORDER BY a.position LIMIT 500
"""
FIELDS = ["ref", "code", "position", "text", "body", "priority", "responsible_text",
          "source_note", "section_slug", "section_number", "section_title", "section_kind",
          "conservation_unit", "indicator_id", "indicator_text", "target_year"]  # fmt: skip


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def raw_activities(request):
    with connection.cursor() as cursor:
        cursor.execute(RAW_ACTIVITIES)
        rows = [dict(zip(FIELDS, row, strict=True)) for row in cursor.fetchall()]
    return HttpResponse(json.dumps({"count": len(rows), "results": rows}), "application/json")


urlpatterns = [
    path("bench/trivial", trivial),
    path("bench/raw-activities", raw_activities),
    path("", include("cami.urls")),
]
