"""The trainers-of-trainers cascade: promotion (by a manager in scope, automatic, idempotent,
race-safe), who is credited with the training, lineage depth and reach counts, the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cohorts.attendance import register_save
from cohorts.cascade import (
    Reach,
    cascade_reach,
    cascade_tree,
    promotions_awaiting,
    trainer_of_record,
    trainer_promote,
)
from cohorts.models import Membership, MembershipState, TrainerPromotion
from cohorts.services import (
    cohort_create,
    cohort_member_evaluate,
    membership_add,
    membership_complete,
)
from lms.access import Role
from lms.models import ProgrammeManagerScope
from tests.cohorts.sessions_fixtures import fixed_session
from tests.factories import ManagerFactory, TrainerFactory, UserFactory
from tests.helpers import run_concurrently


def tot(*, trainers, name="Formation de formateurs", country="MA", members=(), complete=True,
        **fields):
    today = timezone.localdate()
    cohort = cohort_create(
        by=trainers[0], modules=fields.pop("modules", []), trainers=trainers, name=name,
        country=country,
        start_date=today - timedelta(days=20), end_date=today - timedelta(days=1),
        time_zone="UTC", is_training_of_trainers=fields.pop("is_training_of_trainers", True),
        **fields,
    )
    for person in members:
        membership = membership_add(cohort=cohort, user=person)
        if complete:
            membership_complete(membership=membership)
    return cohort


def is_trainer(user) -> bool:
    return user.groups.filter(name=Role.TRAINER).exists()


@pytest.fixture
def scoped_manager(db):
    manager = ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager, countries=["MA"])
    return manager


# --- promotion ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_in_scope_promotes_in_one_click(scoped_manager, client):
    lead, learner = TrainerFactory(), UserFactory(full_name="Karim Haddad")
    cohort = tot(trainers=[lead], members=[learner])
    membership = Membership.objects.get(cohort=cohort, user=learner)
    client.force_login(scoped_manager)
    page = client.get(reverse("cohorts:cascade_pending"))
    assert page.status_code == 200
    assert f'data-membership="{membership.pk}"'.encode() in page.content

    response = client.post(reverse("cohorts:cascade_promote", args=[membership.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:cascade_pending")
    promotion = TrainerPromotion.objects.get(user=learner)
    assert (promotion.cohort_id, promotion.trained_by_id, promotion.promoted_by_id) == (
        cohort.pk, lead.pk, scoped_manager.pk)
    assert is_trainer(learner)
    page = client.get(reverse("cohorts:cascade_pending"))
    assert f'data-membership="{membership.pk}"'.encode() not in page.content

    # A second click (another tab): nothing new.
    assert client.post(reverse("cohorts:cascade_promote", args=[membership.pk])).status_code == 302
    assert TrainerPromotion.objects.filter(user=learner).count() == 1


@pytest.mark.django_db
def test_promotion_is_refused_out_of_scope_and_to_other_roles(scoped_manager):
    lead, learner = TrainerFactory(country="TN"), UserFactory(country="TN")
    cohort = tot(trainers=[lead], members=[learner], country="TN")
    membership = Membership.objects.get(cohort=cohort, user=learner)
    with pytest.raises(Http404):
        trainer_promote(membership=membership, by=scoped_manager)  # Tunisia: not their scope
    for person in (lead, UserFactory(), learner):
        with pytest.raises(PermissionDenied):
            trainer_promote(membership=membership, by=person)
    assert not TrainerPromotion.objects.exists() and not is_trainer(learner)
    assert list(promotions_awaiting(user=scoped_manager)) == []
    assert list(promotions_awaiting(user=lead)) == []


@pytest.mark.django_db
def test_only_a_completed_training_of_trainers_promotes(scoped_manager, administrator):
    lead, unfinished, other = TrainerFactory(), UserFactory(), UserFactory()
    cohort = tot(trainers=[lead], members=[unfinished], complete=False)
    plain = tot(trainers=[lead], members=[other], name="Séminaire", is_training_of_trainers=False)
    with pytest.raises(ValidationError):
        trainer_promote(membership=Membership.objects.get(cohort=cohort), by=scoped_manager)
    with pytest.raises(ValidationError):
        trainer_promote(membership=Membership.objects.get(cohort=plain), by=administrator)
    assert not TrainerPromotion.objects.exists()


@pytest.mark.django_db
def test_trained_by_is_the_trainer_who_marked_most_sessions_else_the_first():
    first, second = TrainerFactory(full_name="Premier"), TrainerFactory(full_name="Second")
    cohort = tot(trainers=[first, second], members=[], complete=False)
    learner, unmarked = UserFactory(), UserFactory()
    for person in (learner, unmarked):
        membership_add(cohort=cohort, user=person)
    days = [timezone.localdate() - timedelta(days=n) for n in (4, 3, 2)]
    sessions = [fixed_session(cohort, day=day) for day in days]
    register_save(session=sessions[0], by=first, marks={learner.pk: ("present", "")})
    for session in sessions[1:]:
        register_save(session=session, by=second, marks={learner.pk: ("present", "")})
    assert trainer_of_record(cohort=cohort, user_id=learner.pk) == second.pk
    assert trainer_of_record(cohort=cohort, user_id=unmarked.pk) == first.pk
    # A trainer of the cohort who followed it is never their own trainer.
    assert trainer_of_record(cohort=cohort, user_id=first.pk) == second.pk


@pytest.mark.django_db
def test_auto_promotion_at_completion(celery_eager, django_capture_on_commit_callbacks):
    lead, learner = TrainerFactory(), UserFactory()
    cohort = tot(trainers=[lead], members=[], complete=False, auto_promote=True,
                 min_attendance_percent=50)
    membership = membership_add(cohort=cohort, user=learner)
    session = fixed_session(cohort, day=timezone.localdate() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        register_save(session=session, by=lead, marks={learner.pk: ("present", "")})
    membership.refresh_from_db()
    assert membership.state == MembershipState.COMPLETED
    promotion = TrainerPromotion.objects.get(user=learner)
    assert (promotion.cohort_id, promotion.trained_by_id, promotion.promoted_by_id) == (
        cohort.pk, lead.pk, None)
    assert is_trainer(learner)
    assert cohort_member_evaluate(membership=membership) is False  # nothing happens twice


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_promotions_give_one_row():
    manager = ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager, countries=["MA"])
    lead, learner = TrainerFactory(), UserFactory()
    cohort = tot(trainers=[lead], members=[learner])
    membership = Membership.objects.get(cohort=cohort, user=learner)
    outcome = run_concurrently(
        lambda: trainer_promote(membership=membership, by=manager)[1], 8)
    assert outcome.unexpected_errors() == []  # SQLite may refuse a writer: "locked"
    assert outcome.results.count(True) == 1
    if connection.vendor == "postgresql":
        assert sorted(outcome.results) == [False] * 7 + [True]
    assert TrainerPromotion.objects.filter(user=learner).count() == 1
    assert is_trainer(learner)


# --- lineage and reach -------------------------------------------------------------------------


@pytest.fixture
def lineage(db, scoped_manager):
    """A trains B (ToT 1, with X); B trains C (ToT 2, with D); C leads a cohort of L1, L2 and
    X again (counted once, as A's direct beneficiary)."""
    a, b, c = (TrainerFactory(full_name=name) for name in ("Alpha", "Bravo", "Charlie"))
    for person in (b, c):  # B and C start as learners
        person.groups.clear()
    x, d, l1, l2 = (UserFactory(full_name=name) for name in ("X-ray", "Delta", "Lima", "Mike"))
    tot1 = tot(trainers=[a], members=[b, x], name="ToT 1")
    trainer_promote(membership=Membership.objects.get(cohort=tot1, user=b), by=scoped_manager)
    tot2 = tot(trainers=[b], members=[c, d], name="ToT 2")
    trainer_promote(membership=Membership.objects.get(cohort=tot2, user=c), by=scoped_manager)
    tot(trainers=[c], members=[l1, l2, x], name="Atelier Charlie", complete=False,
        is_training_of_trainers=False)
    return {"a": a, "b": b, "c": c}


def test_lineage_depth_three_and_exact_reach(lineage, django_assert_num_queries):
    a, b, c = lineage["a"], lineage["b"], lineage["c"]
    assert TrainerPromotion.objects.get(user=b).trained_by_id == a.pk
    assert TrainerPromotion.objects.get(user=c).trained_by_id == b.pk
    # Three generations walked (the third finds nobody), then two counts.
    with django_assert_num_queries(5):
        reach = cascade_reach(root=a)
    assert reach == Reach(depth=3, trainers=2, direct=2, indirect=4)  # {B, X}; {C, D, L1, L2}
    assert cascade_reach(root=b) == Reach(depth=2, trainers=1, direct=2, indirect=3)
    assert cascade_reach(root=c) == Reach(depth=1, trainers=0, direct=3, indirect=0)
    assert cascade_reach(root=UserFactory()) == Reach(depth=1, trainers=0, direct=0, indirect=0)


def test_family_tree_nests_trainers_and_their_cohorts(lineage, client, django_assert_num_queries):
    a, b, c = lineage["a"], lineage["b"], lineage["c"]
    # Three generations, the cohorts of everyone in the tree with their counts, two counts.
    with django_assert_num_queries(6):
        tree, reach = cascade_tree(root=a)
    assert reach == cascade_reach(root=a)
    assert [n.user.pk for n in tree.children] == [b.pk]
    assert [n.user.pk for n in tree.children[0].children] == [c.pk]
    assert [(i.cohort.name, i.learners) for i in tree.cohorts] == [("ToT 1", 2)]
    assert [(i.cohort.name, i.learners) for i in tree.children[0].children[0].cohorts] == [
        ("Atelier Charlie", 3)]
    client.force_login(a)
    response = client.get(reverse("cohorts:cascade_tree"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-depth="3" data-trainers="2" data-direct="2" data-indirect="4"' in page
    # Nested lists: C's item comes inside B's, which comes inside A's.
    assert page.index(f'data-trainer="{a.pk}"') < page.index(f'data-trainer="{b.pk}"') \
        < page.index(f'data-trainer="{c.pk}"')
    assert page.count("<ul") == page.count("</ul>")
    # C sees their own tree (a promoted learner is a trainer now).
    client.force_login(c)
    assert client.get(reverse("cohorts:cascade_tree")).status_code == 200


def test_a_manager_opens_a_trainers_tree_in_scope_only(lineage, scoped_manager, client):
    client.force_login(scoped_manager)
    url = reverse("cohorts:cascade_tree_for", args=[lineage["a"].pk])
    assert client.get(url).status_code == 200
    elsewhere = TrainerFactory(country="TN")
    assert client.get(reverse("cohorts:cascade_tree_for", args=[elsewhere.pk])).status_code == 404
    page = client.get(reverse("cohorts:cascade_pending")).content.decode()
    assert reverse("cohorts:cascade_tree_for", args=[lineage["b"].pk]) in page


@pytest.mark.django_db
def test_the_cascade_page_costs_the_same_for_2_and_8_learners(scoped_manager, client):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    lead = TrainerFactory()
    client.force_login(scoped_manager)
    url = reverse("cohorts:cascade_pending")
    counts = []
    for size in (2, 8):
        tot(trainers=[lead], members=[UserFactory() for _ in range(size)], name=f"ToT {size}")
        client.get(url)  # warm the session and the navigation cache
        with CaptureQueriesContext(db) as queries:
            page = client.get(url)
        assert page.content.count(b"data-membership=") == (2 if size == 2 else 10)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14


@pytest.mark.django_db
def test_completing_the_last_module_online_completes_a_blended_training(site_tree):
    """The module completes after the workshops (enrolment_completed): the membership completes
    and the automatic promotion follows."""
    from courses.completion import enrolment_evaluate
    from courses.models import Enrolment
    from tests.factories import course_create

    module = course_create(site_tree, slug="formation-formateurs-en-ligne")
    lead, learner = TrainerFactory(), UserFactory()
    cohort = tot(trainers=[lead], members=[], complete=False, auto_promote=True,
                 modules=[module], min_attendance_percent=0)
    membership = membership_add(cohort=cohort, user=learner)
    assert enrolment_evaluate(enrolment=Enrolment.objects.get(user=learner, course=module))
    membership.refresh_from_db()
    assert membership.state == MembershipState.COMPLETED
    assert TrainerPromotion.objects.get(user=learner).cohort_id == cohort.pk
    assert is_trainer(learner)
