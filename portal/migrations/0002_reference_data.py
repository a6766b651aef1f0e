from django.db import migrations


def load(apps, schema_editor):
    from portal.reference_data.loader import load_all

    load_all(apps)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
