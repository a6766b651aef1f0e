"""The daily digest of notifications as a django-celery-beat row (editable in the admin)."""

import json

from django.db import migrations

NAME = "Daily notification digest"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/Oslo")
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": "portal.tasks.notification_digest_task", "crontab": morning,
                             "interval": None, "args": json.dumps([]), "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
