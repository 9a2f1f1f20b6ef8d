"""The Celery application, and the one way the code enqueues a task. Tasks live in each app's
``tasks.py``; the beat schedule is ``CELERY_BEAT_SCHEDULE`` in the settings."""

import logging
import os

from celery import Celery
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def delay_on_commit(task, *args, **kwargs) -> None:
    """Enqueue ``task(*args, **kwargs)`` once the current transaction commits (at once outside one).

    A worker never sees rows that are not committed yet, and a rolled-back transaction enqueues
    nothing. A broker that is down is logged, not raised: the request or task that asked still
    succeeds, and the periodic sweeps (see the README's data flow) catch up on what was missed.
    """

    def send() -> None:
        try:
            task.delay(*args, **kwargs)
        except Exception:
            logger.exception("task %s%r not queued; the periodic sweep catches up", task.name, args)

    transaction.on_commit(send)
