from django.db import migrations


def load(apps, schema_editor):
    # The loader upserts: the areas receive the abbreviations of working life (IK-Mat, HMS,
    # FSE, ADR, HLR, …) as synonyms.
    from portal.reference_data.loader import load_taxonomy

    load_taxonomy(apps.get_model("portal", "CompetenceArea"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_spreadsheet_upload")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
