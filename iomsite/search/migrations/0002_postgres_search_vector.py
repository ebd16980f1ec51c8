"""PostgreSQL only: a generated, weighted tsvector per entry, in the entry's language, and a GIN index."""

from django.db import migrations


def vector(config):
    return (
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(summary, '')), 'B') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(body, '')), 'C')"
    )


FORWARD = f"""
ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    CASE language
        WHEN 'fr' THEN {vector("french")}
        WHEN 'es' THEN {vector("spanish")}
        ELSE {vector("english")}
    END
) STORED;
CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS search_entry_vector;
ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
