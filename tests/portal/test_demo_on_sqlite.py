"""`make run` is the newcomer's first command: migrations and demo data on SQLite, served with
tasks run in-process. The rest of CI runs on PostgreSQL, where SQL that SQLite lacks or reads
differently goes unnoticed, so this builds the demo as `make run` does and walks it as each
kind of user, in each language, following the links the pages show (`tests/demo_walk.py`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.celery_worker import ROOT

# What `make run` has on a bare machine: none of CI's services.
NOT_ON_A_BARE_MACHINE = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL",
                         "CELERY_RESULT_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_demo_of_make_run_answers_every_linked_page_on_sqlite(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in NOT_ON_A_BARE_MACHINE}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "portal.settings"}
    for step in (["manage.py", "migrate", "--noinput"], ["manage.py", "seed_demo"]):
        done = _manage(*step, env=env)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    walked = _manage("-m", "tests.demo_walk", env=env)
    assert walked.returncode == 0, walked.stderr[-3000:]
    report = json.loads(walked.stdout.strip().splitlines()[-1])
    assert report["problems"] == []
    # The walk got past the front page: every role reached its own pages, in every language.
    assert all(count >= 15 for count in report["visited"].values()), report["visited"]
