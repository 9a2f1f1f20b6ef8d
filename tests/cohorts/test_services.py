"""Cohorts, memberships and invitations: the services."""
# ruff: noqa: F811  (fixtures imported from core_fixtures)

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cohorts.models import Invitation, Membership, MembershipState
from cohorts.services import (
    InvitationUsed,
    cohort_update,
    invitation_accept,
    invitation_create,
    membership_add,
    membership_complete,
    membership_withdraw,
)
from courses.models import Enrolment, EnrolmentStatus
from tests.cohorts.core_fixtures import cohort, cohort_build, cohort_module, member  # noqa: F401

pytestmark = pytest.mark.django_db


def test_cohort_create_by_a_trainer_makes_them_a_trainer(trainer, cohort_module):
    c = cohort_build(by=trainer, modules=[cohort_module])
    assert list(c.trainers.all()) == [trainer]
    assert list(c.modules.all()) == [cohort_module]
    assert c.created_by == trainer


def test_cohort_create_by_a_manager_for_another_trainer(manager, trainer):
    c = cohort_build(by=manager, trainers=[trainer])
    assert list(c.trainers.all()) == [trainer]


def test_cohort_create_refuses_a_learner_and_bad_dates(learner, trainer):
    with pytest.raises(PermissionDenied):
        cohort_build(by=learner)
    with pytest.raises(ValidationError):
        cohort_build(by=trainer, start_date=date(2026, 5, 2), end_date=date(2026, 5, 1))


def test_cohort_create_refuses_a_translated_module(trainer, course_page, translation):
    with pytest.raises(ValidationError):
        cohort_build(by=trainer, modules=[translation("en", course_page)])


def test_membership_add_enrols_in_modules_and_is_idempotent(cohort, learner, cohort_module):
    first = membership_add(cohort=cohort, user=learner)
    again = membership_add(cohort=cohort, user=learner)
    assert first.pk == again.pk and again.state == MembershipState.ACTIVE
    assert Membership.objects.filter(cohort=cohort, user=learner).count() == 1
    enrolment = Enrolment.objects.get(user=learner, course=cohort_module)
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_membership_add_reactivates_a_withdrawn_member(cohort, member):
    membership = Membership.objects.get(cohort=cohort, user=member)
    membership_withdraw(membership=membership)
    assert Membership.objects.get(pk=membership.pk).state == MembershipState.WITHDRAWN
    again = membership_add(cohort=cohort, user=member)
    assert again.state == MembershipState.ACTIVE
    assert Membership.objects.get(pk=membership.pk).left_at is None


def test_membership_complete_once(cohort, member):
    membership = Membership.objects.get(cohort=cohort, user=member)
    assert membership_complete(membership=membership) is True
    assert membership_complete(membership=Membership.objects.get(pk=membership.pk)) is False
    # A completed member stays completed when added again.
    assert membership_add(cohort=cohort, user=member).state == MembershipState.COMPLETED


def test_cohort_update_enrols_members_in_a_new_module(trainer, member, cohort, course_page):
    cohort_update(cohort=cohort, by=trainer, modules=[*cohort.modules.all(), course_page],
                  name="Renamed")
    assert Enrolment.objects.filter(user=member, course=course_page).exists()
    cohort.refresh_from_db()
    assert cohort.name == "Renamed"


def test_invitation_again_reuses_the_open_one_in_the_new_language(cohort, trainer):
    first = invitation_create(cohort=cohort, email="new@example.org", language="en", by=trainer)
    again = invitation_create(cohort=cohort, email="new@example.org", language="fr", by=trainer)
    assert first.pk == again.pk and again.language == "fr"
    assert Invitation.objects.filter(cohort=cohort, email="new@example.org").count() == 1


def test_invitation_mail_after_commit(cohort, trainer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(cohort=cohort, email="new@example.org", language="en",
                                       by=trainer)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert f"/en/cohorts/join/{invitation.token}/" in message.body
    assert "invites you to join" in message.body
    assert cohort.name in message.subject


def test_invitation_accept_once(cohort, trainer, learner, user_factory, cohort_module):
    invitation = invitation_create(cohort=cohort, email=learner.email, by=trainer)
    membership = invitation_accept(invitation=invitation, user=learner)
    assert membership.state == MembershipState.ACTIVE
    assert Enrolment.objects.filter(user=learner, course=cohort_module).exists()
    # The same person again: their membership; anyone else: refused.
    assert invitation_accept(invitation=invitation, user=learner).pk == membership.pk
    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=Invitation.objects.get(pk=invitation.pk),
                          user=user_factory())
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == learner


def test_withdraw_keeps_enrolment_progress(cohort, member, cohort_module):
    membership_withdraw(membership=Membership.objects.get(cohort=cohort, user=member))
    assert Enrolment.objects.filter(user=member, course=cohort_module).exists()


def test_past_cohort_dates(trainer):
    c = cohort_build(by=trainer, start_date=timezone.localdate() - timedelta(days=40),
                     end_date=timezone.localdate() - timedelta(days=10))
    assert c.pk
