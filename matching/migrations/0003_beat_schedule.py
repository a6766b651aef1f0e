"""The periodic work, as django-celery-beat rows (editable in the admin): a nightly full
re-match (its chord ends by rebuilding cohorts) and a sweep every ten minutes for anything a
dead broker made us miss."""

import json

from django.db import migrations

SCHEDULE = [
    ("Nightly re-match and cohorts", "matching.tasks.rematch_all"),
    ("Sweep unmatched needs and offers", "matching.tasks.sweep_unmatched"),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/Oslo")
    every_ten, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SCHEDULE[0][0],
        defaults={"task": SCHEDULE[0][1], "crontab": nightly, "interval": None,
                  "args": json.dumps([]), "enabled": True})
    PeriodicTask.objects.update_or_create(
        name=SCHEDULE[1][0],
        defaults={"task": SCHEDULE[1][1], "interval": every_ten, "crontab": None,
                  "args": json.dumps([]), "enabled": True})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_engine_state"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
