"""Full-text search indexes, on PostgreSQL only (activities/search.py reads them).

Each activity keeps its search document (text weighted A, responsible text weighted C) in a
column the database fills by trigger on every insert and update, however the row is written
(admin, importer, bulk_create, raw SQL), so no application code has to remember it. A trigger
rather than a generated column: PostgreSQL refuses to change the type of a column a generated
column reads, which would break a later `max_length` change of `responsible_text`. The column is
not a model field: Django would otherwise load every activity's vector with every activity.
Indicators are only matched, never ranked, so an index on the expression is enough. Both
indexes take each row as it is written (`fastupdate = off`): otherwise rows bulk-created since the
last vacuum wait in a pending list that every search reads through, a cost that grows with the
import until autovacuum runs; the programme is written rarely and read often.

On SQLite nothing is created and search falls back to matching each word.
"""

from django.db import migrations

DOCUMENT = """(setweight(to_tsvector('english'::regconfig, COALESCE({row}text, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE({row}responsible_text, '')), 'C'))"""

CREATE = [
    "ALTER TABLE activities_activity ADD COLUMN search_document tsvector",
    f"""CREATE FUNCTION activities_activity_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := {DOCUMENT.format(row="NEW.")};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER activities_activity_search_document
    BEFORE INSERT OR UPDATE ON activities_activity
    FOR EACH ROW EXECUTE FUNCTION activities_activity_search_document()""",
    f"UPDATE activities_activity SET search_document = {DOCUMENT.format(row='')}",
    """CREATE INDEX activities_activity_search_document ON activities_activity
    USING gin (search_document) WITH (fastupdate = off)""",
    # Exactly the expression SearchVector("text", config="english") compiles to, or no index scan.
    """CREATE INDEX activities_indicator_search_text ON activities_indicator
    USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''))) WITH (fastupdate = off)""",
]

DROP = [
    "DROP INDEX activities_indicator_search_text",
    "DROP TRIGGER activities_activity_search_document ON activities_activity",
    "DROP FUNCTION activities_activity_search_document()",
    "ALTER TABLE activities_activity DROP COLUMN search_document",  # drops its index too
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_russian_content")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
