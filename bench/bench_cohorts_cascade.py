"""The trainers-of-trainers cascade: query counts of the reach and of the managers' page.

- ``cascade_reach_queries_depth_3_vs_6``: queries of ``cascade_reach(root=)`` for a chain of
  trainers 3 and 6 generations deep, each leading a cohort of 20 learners: one query per
  generation plus two counts, whatever the number of learners (report: 5 vs 8).
- ``cascade_reach_queries_20_vs_200``: the same reach (depth 3) with 20 and with 200 learners
  per cohort: target equal.
- ``cascade_page_queries_20_vs_200``: the managers' "Cascade" page with 20 and with 200
  learners awaiting promotion: target equal, ≤ 15.
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

    from cohorts.cascade import cascade_reach, trainer_promote
    from cohorts.models import Membership
    from cohorts.services import cohort_create, membership_add, membership_complete
    from lms.demo import demo_site_ensure
    from lms.models import ProgrammeManagerScope
    from tests.factories import ManagerFactory, TrainerFactory, UserFactory

    demo_site_ensure()
    manager = ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager, countries=["MA"])
    today = timezone.localdate()

    def cohort_of(trainer, size, *, tot=True, name="Bench cascade"):
        cohort = cohort_create(
            by=trainer, modules=[], name=name, country="MA",
            start_date=today - timedelta(days=10), end_date=today - timedelta(days=1),
            time_zone="Africa/Casablanca", is_training_of_trainers=tot)
        for _ in range(size):
            membership_complete(membership=membership_add(cohort=cohort, user=UserFactory()))
        return cohort

    def chain(depth, size):
        """A root trainer and ``depth - 1`` generations below, each leading one cohort."""
        root = trainer = TrainerFactory()
        for _ in range(depth - 1):
            cohort = cohort_of(trainer, size)
            membership = Membership.objects.filter(cohort=cohort).first()
            trainer_promote(membership=membership, by=manager)
            trainer = membership.user
        cohort_of(trainer, size, tot=False)
        return root

    def reach_queries(root) -> int:
        with CaptureQueriesContext(connection) as ctx:
            cascade_reach(root=root)
        return _count(ctx)

    by_depth = [reach_queries(chain(depth, 20)) for depth in (3, 6)]
    figure("cascade_reach_queries_depth_3_vs_6", f"{by_depth[0]} vs {by_depth[1]}", "report")
    by_size = [reach_queries(chain(3, size)) for size in (20, 200)]
    figure("cascade_reach_queries_20_vs_200", f"{by_size[0]} vs {by_size[1]}", "equal")

    client = Client()
    client.force_login(manager)
    url = reverse("cohorts:cascade_pending")
    pages = []
    lead = TrainerFactory()
    for size in (20, 200):
        Membership.objects.filter(state="completed").update(state="withdrawn")
        cohort_of(lead, size, name=f"Bench cascade page {size}")
        client.get(url)  # warm caches (navigation, templates)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b"data-membership=") == size
        pages.append(_count(ctx))
    figure("cascade_page_queries_20_vs_200", f"{pages[0]} vs {pages[1]}", "equal, ≤ 15")
