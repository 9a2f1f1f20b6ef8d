"""Open cohorts: requests, capacity, the waiting list in arrival order, cancellation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cohorts.models import Membership, MembershipState
from cohorts.services import (
    MembershipNotAllowed,
    membership_cancel,
    membership_request,
    waitlist_position,
)
from tests.cohorts.core_fixtures import cohort_build
from tests.helpers import run_concurrently


@pytest.fixture
def open_cohort(trainer):
    return cohort_build(by=trainer, is_open=True, capacity=1,
                        registration_deadline=timezone.localdate() + timedelta(days=5))


@pytest.mark.django_db
def test_request_takes_a_free_seat_then_waits(open_cohort, user_factory):
    first, second, third = user_factory(), user_factory(), user_factory()
    assert membership_request(cohort=open_cohort, user=first).state == MembershipState.ACTIVE
    waiting = membership_request(cohort=open_cohort, user=second)
    assert waiting.state == MembershipState.REQUESTED
    assert membership_request(cohort=open_cohort, user=third).state == MembershipState.REQUESTED
    assert waitlist_position(membership=waiting) == 2 - 1
    # Asking again changes nothing.
    assert membership_request(cohort=open_cohort, user=second).pk == waiting.pk


@pytest.mark.django_db
def test_cancel_promotes_the_first_waiting_with_an_email(
    open_cohort, user_factory, django_capture_on_commit_callbacks
):
    first, second, third = user_factory(), user_factory(), user_factory()
    for person in (first, second, third):
        membership_request(cohort=open_cohort, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        membership_cancel(cohort=open_cohort, user=first)
    states = dict(Membership.objects.filter(cohort=open_cohort).values_list("user_id", "state"))
    assert states == {first.pk: MembershipState.WITHDRAWN, second.pk: MembershipState.ACTIVE,
                      third.pk: MembershipState.REQUESTED}
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert open_cohort.name in mail.outbox[0].subject


@pytest.mark.django_db
def test_cancel_from_the_waiting_list_promotes_nobody(open_cohort, user_factory):
    first, second = user_factory(), user_factory()
    membership_request(cohort=open_cohort, user=first)
    membership_request(cohort=open_cohort, user=second)
    membership_cancel(cohort=open_cohort, user=second)
    assert Membership.objects.get(user=first).state == MembershipState.ACTIVE
    assert Membership.objects.get(user=second).state == MembershipState.WITHDRAWN


@pytest.mark.django_db
def test_requests_refused_after_the_deadline_or_when_closed(trainer, learner):
    past = cohort_build(by=trainer, is_open=True, capacity=3,
                        registration_deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(MembershipNotAllowed):
        membership_request(cohort=past, user=learner)
    closed = cohort_build(by=trainer, is_open=False)
    with pytest.raises(MembershipNotAllowed):
        membership_request(cohort=closed, user=learner)


@pytest.mark.django_db
def test_a_request_after_withdrawal_queues_at_the_end(open_cohort, user_factory):
    first, second, third = user_factory(), user_factory(), user_factory()
    for person in (first, second, third):
        membership_request(cohort=open_cohort, user=person)
    membership_cancel(cohort=open_cohort, user=second)
    again = membership_request(cohort=open_cohort, user=second)
    assert again.state == MembershipState.REQUESTED
    assert waitlist_position(membership=again) == 2
    assert waitlist_position(membership=Membership.objects.get(user=third)) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_for_one_seat(trainer, user_factory):
    cohort = cohort_build(by=trainer, is_open=True, capacity=1)
    people = [user_factory() for _ in range(20)]
    queue = list(people)
    import threading

    lock = threading.Lock()

    def request():
        with lock:
            person = queue.pop()
        return membership_request(cohort=cohort, user=person)

    outcome = run_concurrently(request, 20)
    assert outcome.unexpected_errors() == []
    rows = list(Membership.objects.filter(cohort=cohort).order_by("requested_at", "pk"))
    assert len(rows) == 20
    assert sum(1 for m in rows if m.state == MembershipState.ACTIVE) == 1
    waiting = [m for m in rows if m.state == MembershipState.REQUESTED]
    assert len(waiting) == 19
    # Arrival order is the order the lock served them: the active one came first, and each
    # waiting person's position follows their request time.
    assert rows[0].state == MembershipState.ACTIVE
    assert [waitlist_position(membership=m) for m in waiting] == list(range(1, 20))
    times = [m.requested_at for m in waiting]
    assert times == sorted(times) and len(set(times)) == 19
