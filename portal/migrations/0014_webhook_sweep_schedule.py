"""The webhook sweep as a django-celery-beat row (editable in the admin): every minute it
queues due deliveries — retries, and first attempts a dead broker kept from being queued."""

import json

from django.db import migrations

NAME = "Deliver due webhooks"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "portal.webhooks.tasks.webhook_sweep", "interval": every_minute,
                  "crontab": None, "args": json.dumps([]), "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0013_api_tokens_and_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
