"""The baseline for the API's activity list: a bare WSGI app, raw SQL, the same bytes.

    gunicorn benchmarks.raw_api:application

No Django request handling, no DRF: five SQL statements (the count, one page of activities with
their section and unit, then their parties, species, Range States and indicators) and one
`json.dumps`, producing byte for byte what `/api/v1/activities/?page=&page_size=` answers in
English (benchmarks/throughput.py checks that before it measures).
"""

import json
import os
from collections import defaultdict
from datetime import date
from urllib.parse import parse_qs, urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cami.settings")
django.setup()

from django.db import connection  # noqa: E402  (after setup)

PATH = "/api/v1/activities/"
PAGE = """
SELECT a.id, a.ref, a.code, s.slug, s.number, s.title, s.kind, a.position, a.text, a.body,
       a.priority, a.responsible_text, u.slug, a.source_note
FROM activities_activity a
JOIN activities_section s ON s.id = a.section_id
LEFT JOIN conservation_units_conservationunit u ON u.id = s.conservation_unit_id
ORDER BY a.position LIMIT %s OFFSET %s
"""
RELATED = {  # name: (statement over a page's activity ids, how a row becomes a value)
    "parties": (
        "SELECT l.activity_id, p.slug, p.name FROM activities_activity_responsible_parties l "
        "JOIN activities_responsibleparty p ON p.id = l.responsibleparty_id "
        "WHERE l.activity_id IN ({}) ORDER BY p.name",
        lambda row: {"slug": row[1], "name": row[2]},
    ),
    "species": (
        "SELECT l.activity_id, s.slug FROM activities_activity_species l "
        "JOIN species_species s ON s.id = l.species_id "
        "WHERE l.activity_id IN ({}) ORDER BY s.position",
        lambda row: row[1],
    ),
    "states": (
        "SELECT l.activity_id, r.iso3 FROM activities_activity_range_states l "
        "JOIN conservation_units_rangestate r ON r.id = l.rangestate_id "
        "WHERE l.activity_id IN ({}) ORDER BY r.position",
        lambda row: row[1],
    ),
    "indicators": (
        "SELECT activity_id, id, text, target_year, target_date, target_count, recurrence "
        "FROM activities_indicator WHERE activity_id IN ({}) ORDER BY position",
        lambda row: {
            "id": row[1], "text": row[2], "target_year": row[3],
            "target_date": _iso_date(row[4]), "target_count": row[5], "recurrence": row[6],
        },
    ),
}  # fmt: skip


def _iso_date(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite keeps JSON as text


def _link(environ, page: int, size: int) -> str | None:
    if page is None:
        return None
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    query.update(page=[str(page)], page_size=[str(size)])
    if page == 1:
        del query["page"]  # as DRF writes the first page's link
    base = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}{PATH}"
    return f"{base}?{urlencode(sorted(query.items()), doseq=True)}"


def page_body(environ) -> bytes:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    size = int(query.get("page_size", ["50"])[0])
    page = int(query.get("page", ["1"])[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM activities_activity")
        count = cursor.fetchone()[0]
        cursor.execute(PAGE, [size, (page - 1) * size])
        rows = cursor.fetchall()
        related = {}
        ids = ",".join(str(row[0]) for row in rows) or "NULL"
        for name, (statement, value) in RELATED.items():
            related[name] = linked = defaultdict(list)
            cursor.execute(statement.format(ids))
            for row in cursor.fetchall():
                linked[row[0]].append(value(row))
    results = [
        {
            "ref": row[1], "code": row[2],
            "section": {"slug": row[3], "number": row[4], "title": row[5], "kind": row[6]},
            "position": row[7], "text": row[8], "body": _json(row[9]), "priority": row[10],
            "responsible_text": row[11], "responsible_parties": related["parties"][row[0]],
            "indicators": related["indicators"][row[0]], "conservation_unit": row[12],
            "species": related["species"][row[0]], "range_states": related["states"][row[0]],
            "source_note": row[13],
        }
        for row in rows
    ]  # fmt: skip
    last = max(1, -(-count // size))
    envelope = {
        "count": count,
        "next": _link(environ, page + 1 if page < last else None, size),
        "previous": _link(environ, page - 1 if page > 1 else None, size),
        "results": results,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def application(environ, start_response):
    if environ["PATH_INFO"] != PATH:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = page_body(environ)
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])  # fmt: skip
    return [body]
