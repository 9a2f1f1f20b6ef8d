"""Permission rows of the cascade pages (``cohorts/urls_cascade.py``), read by
``test_permissions.URLS``: managers and administrators promote; a manager out of the cohort's
scope gets 404; trainers and learners have no promotion page (403). A trainer's own family tree
is for trainers (and administrators); another person's tree for a manager in scope or an
administrator (404 for anyone else)."""

from __future__ import annotations


def _tot(w):
    # A training of trainers in the cohort's country (MA: the in-scope manager's), with a
    # learner who completed it (made on first use).
    if "tot_membership" not in w:
        from cohorts.services import membership_add, membership_complete
        from tests.cohorts.core_fixtures import cohort_build
        from tests.factories import UserFactory

        cohort = cohort_build(by=w["users"]["trainer"], name="ToT Casablanca", country="MA",
                              is_training_of_trainers=True)
        membership = membership_add(cohort=cohort, user=UserFactory(country="SN"))
        membership_complete(membership=membership)
        w["tot_membership"] = membership
    return w["tot_membership"]


def rows():
    from tests.cohorts.test_permissions import row

    return [
        ("get", "cohorts:cascade_pending", lambda w: {},
         row(302, 403, 403, 403, 403, 200, 200, 200), None),
        ("post", "cohorts:cascade_promote", lambda w: {"membership_pk": _tot(w).pk},
         row(302, 403, 403, 403, 403, 302, 404, 302), {}),
        ("get", "cohorts:cascade_tree", lambda w: {},
         row(302, 403, 403, 200, 200, 403, 403, 200), None),
        ("get", "cohorts:cascade_tree_for", lambda w: {"user_pk": w["users"]["trainer"].pk},
         row(302, 404, 404, 404, 200, 200, 404, 200), None),
    ]
