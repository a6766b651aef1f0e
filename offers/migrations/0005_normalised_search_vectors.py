"""Rebuild the stored search vectors from normalised text (nynorsk forms and compound parts,
portal/language), so existing offers are found the way new ones are."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from offers.search import search_vectors_write

    Offer = apps.get_model("offers", "Offer")
    search_vectors_write(Offer.objects.order_by("pk").values_list(
        "pk", "title", "description", "search_areas").iterator(chunk_size=2000))


class Migration(migrations.Migration):

    dependencies = [("offers", "0004_search_index_postgres")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
