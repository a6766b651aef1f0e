"""A task executed by a real worker process over the real Redis broker."""

import os

import pytest

from portal.tasks import ping
from tests.celery_worker import running_worker


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_task_runs_in_a_real_worker(redis_url, postgres_only):
    with running_worker(redis_url):
        result = ping.delay().get(timeout=30)
    assert result["pong"] is True
    assert result["pid"] != os.getpid()  # it ran in the worker, not in the test process


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process():
    assert ping.delay().get()["pid"] == os.getpid()
