from django.db import migrations


def load(apps, schema_editor):
    # Nynorsk industry labels now translate the word parts inside compounds too
    # ("anleggsverksemd", "sosialtenester"); the loader upserts the labels by code.
    from portal.reference_data.loader import load_industries

    load_industries(apps.get_model("portal", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_join_requests")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
