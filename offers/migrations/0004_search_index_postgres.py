"""A GIN index on the search vector — PostgreSQL only, so SQLite still migrates."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS offers_offer_search_vector_gin "
        "ON offers_offer USING gin (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS offers_offer_search_vector_gin")


class Migration(migrations.Migration):

    dependencies = [("offers", "0003_search_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
