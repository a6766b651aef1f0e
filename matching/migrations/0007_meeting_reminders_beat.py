"""The meeting reminders, as a django-celery-beat row (editable in the admin): every hour from
07:00 to 20:00 Oslo time, meetings that start before the end of tomorrow are reminded once."""

import json

from django.db import migrations

NAME = "Meeting reminders the day before"
TASK = "matching.meetings.tasks.send_meeting_reminders"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7-20", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Europe/Oslo")
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": hourly, "interval": None,
                             "args": json.dumps([]), "enabled": True})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_meetings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
