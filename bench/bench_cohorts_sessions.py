"""Attendance register and QR check-in: query counts.

- ``register_queries_20_vs_200``: queries of a GET and a POST (every row marked) of the
  attendance register for a session of a cohort of 20 and of 200 learners: target equal, ≤ 15
  (each; the POST's completion re-evaluation is a task enqueued after commit).
- ``checkin_queries``: queries of one QR check-in POST (session, login session, user,
  membership, the attendance row and its audit, the login session's update): target ≤ 8.
  BEGIN/COMMIT are not counted.
"""

from __future__ import annotations

from bench import figure, setup_django


def _count(ctx) -> int:
    return len([q for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")])


def run() -> None:
    setup_django()
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from cohorts import checkin
    from cohorts.models import Attendance, Membership
    from cohorts.services import cohort_create, membership_add
    from lms.demo import demo_site_ensure
    from tests.cohorts.sessions_fixtures import session_build
    from tests.factories import TrainerFactory, UserFactory

    demo_site_ensure()
    trainer = TrainerFactory()
    client = Client()
    client.force_login(trainer)
    today = timezone.localdate()
    gets, posts = [], []
    for size in (20, 200):
        cohort = cohort_create(by=trainer, modules=[], name=f"Bench sessions {size}",
                               start_date=today - timedelta(days=1),
                               end_date=today + timedelta(days=10), time_zone="Africa/Dakar")
        for _ in range(size):
            membership_add(cohort=cohort, user=UserFactory())
        session = session_build(cohort=cohort)
        url = reverse("cohorts:sessions_register", args=[cohort.pk, session.pk])
        client.get(url)  # warm caches (navigation, templates)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        gets.append(_count(ctx))
        users = Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True)
        form = {f"row-{u}": "1" for u in users} | {f"status-{u}": "present" for u in users}
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(url, form).status_code == 302
        posts.append(_count(ctx))
        assert Attendance.objects.filter(session=session).count() == size
    figure("register_queries_20_vs_200",
           f"GET {gets[0]} vs {gets[1]}, POST {posts[0]} vs {posts[1]}", "equal, ≤ 15")

    learner = UserFactory()
    membership_add(cohort=cohort, user=learner)
    learner_client = Client()
    learner_client.force_login(learner)
    url = reverse("cohorts:sessions_checkin", kwargs={
        "session_pk": session.pk, "code": checkin.code_for(session=session, now=timezone.now())})
    with CaptureQueriesContext(connection) as ctx:
        assert learner_client.post(url).status_code == 302
    figure("checkin_queries", _count(ctx), "≤ 8")
