from django.db import migrations


def load(apps, schema_editor):
    # The loader upserts, so databases migrated before the taxonomy and SN2007 lists grew
    # receive the new sub-areas and divisions without touching rows users may have edited.
    from portal.reference_data.loader import load_all

    load_all(apps)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
