"""The needs import keeps its uploads in the shared upload model (portal.SpreadsheetUpload):
existing rows are copied there (the round becomes an option) before the old table goes."""

from django.db import migrations


def copy_to_shared_uploads(apps, schema_editor):
    old = apps.get_model("needs", "NeedImport")
    shared = apps.get_model("portal", "SpreadsheetUpload")
    for row in old.objects.all().iterator():
        copy = shared.objects.create(
            kind="needs", file=row.file.name, filename=row.filename,
            options={"round_id": row.round_id} if row.round_id else {},
            status=row.status, summary=row.summary, uploaded_by_id=row.uploaded_by_id,
            imported_at=row.imported_at,
        )
        # auto_now_add set today's date; keep when it was really uploaded.
        shared.objects.filter(pk=copy.pk).update(created_at=row.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ('needs', '0003_import_and_language'),
        ('portal', '0007_spreadsheet_upload'),
    ]

    operations = [
        migrations.RunPython(copy_to_shared_uploads, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='NeedImport',
        ),
        migrations.CreateModel(
            name='NeedImport',
            fields=[
            ],
            options={
                'verbose_name': 'need import',
                'verbose_name_plural': 'need imports',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('portal.spreadsheetupload',),
        ),
    ]
