"""PostgreSQL only: a generated tsvector per PDF page, stemmed in the document's language.

Pages are only ever searched within the few documents of a results page, so there is
no index on the vector: the filter on the documents comes first.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE publications_documentpage ADD COLUMN vector tsvector GENERATED ALWAYS AS (
    CASE language
        WHEN 'fr' THEN to_tsvector('french'::regconfig, text)
        WHEN 'es' THEN to_tsvector('spanish'::regconfig, text)
        ELSE to_tsvector('english'::regconfig, text)
    END
) STORED;
"""

BACKWARD = "ALTER TABLE publications_documentpage DROP COLUMN IF EXISTS vector;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("publications", "0004_pdf_text")]

    operations = [migrations.RunPython(forward, backward)]
