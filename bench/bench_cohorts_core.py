"""Cohort progress table: queries with 20 and with 200 learners.

- ``cohort_progress_queries_20_vs_200``: queries of ``cohorts.selectors.cohort_progress_table``
  (members, modules, enrolments with progress, the attendance requirement, pre-tests, last
  activity, attendance) for a cohort of 20 and of 200 learners following the sample
  cohort-only module with 4 sessions: target equal, ≤ 15.
"""

from __future__ import annotations

from bench import figure, setup_django


def _cohort(*, trainer, module, learners: int, name: str):
    from datetime import time, timedelta

    from django.utils import timezone

    from cohorts.models import Attendance, Session
    from cohorts.services import cohort_create, membership_add
    from tests.factories import UserFactory

    today = timezone.localdate()
    cohort = cohort_create(
        by=trainer, modules=[module], name=name, start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=10), time_zone="Africa/Dakar",
    )
    sessions = [
        Session.objects.create(cohort=cohort, topic=f"S{i}", date=today - timedelta(days=i),
                               start_time=time(9), end_time=time(11))
        for i in range(4)
    ]
    for _ in range(learners):
        person = UserFactory()
        membership_add(cohort=cohort, user=person)
        Attendance.objects.bulk_create(
            [Attendance(session=s, user=person, status="present") for s in sessions[:3]]
        )
    return cohort


def run() -> None:
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cohorts.models import Cohort
    from cohorts.selectors import cohort_progress_table
    from courses import demo
    from lms.demo import demo_site_ensure
    from tests.courses.sample_module import COHORT_MODULE, SAMPLE_MODULE
    from tests.factories import TrainerFactory

    demo_site_ensure()
    _open, module = demo.load(modules=[SAMPLE_MODULE, COHORT_MODULE])
    trainer = TrainerFactory()
    counts = []
    for size in (20, 200):
        cohort = _cohort(trainer=trainer, module=module, learners=size, name=f"Bench {size}")
        fresh = Cohort.objects.get(pk=cohort.pk)
        cohort_progress_table(cohort=fresh)  # warm content caches
        with CaptureQueriesContext(connection) as ctx:
            table = cohort_progress_table(cohort=Cohort.objects.get(pk=cohort.pk))
        assert len(table["rows"]) == size
        counts.append(len(ctx.captured_queries) - 1)  # less the Cohort.get
    figure("cohort_progress_queries_20_vs_200", f"{counts[0]} vs {counts[1]}", "equal, ≤ 15")
