import pytest
from django.contrib.auth.models import AnonymousUser

from lms.access import (
    Role,
    is_administrator,
    is_content_editor,
    is_programme_manager,
    is_trainer,
    manages_member,
)
from lms.models import ProgrammeManagerScope
from lms.selectors import organisations_visible_to, users_visible_to
from lms.services import role_grant
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_are_groups_created_at_migrate():
    from django.contrib.auth.models import Group

    assert set(Group.objects.filter(name__in=Role.ALL).values_list("name", flat=True)) == set(
        Role.ALL
    )


def test_role_predicates(learner, trainer, manager, editor, administrator):
    assert not any(p(learner) for p in (is_trainer, is_programme_manager, is_content_editor))
    assert is_trainer(trainer) and not is_programme_manager(trainer)
    assert is_programme_manager(manager) and not is_trainer(manager)
    assert is_content_editor(editor)
    assert is_administrator(administrator) and not is_administrator(manager)
    assert not is_trainer(AnonymousUser())


def test_content_editor_can_open_the_wagtail_admin(editor, learner):
    role_grant(user=editor, role=Role.EDITOR)
    assert editor.has_perm("wagtailadmin.access_admin")
    assert not learner.has_perm("wagtailadmin.access_admin")


def test_mfa_is_offered_to_staff_roles_only(learner, trainer, manager):
    assert not learner.has_perm("lms.offer_mfa")
    assert trainer.has_perm("lms.offer_mfa")
    assert manager.has_perm("lms.offer_mfa")


@pytest.fixture
def scoped_manager(manager):
    union = OrganisationFactory(name="UMT", country="MA")
    scope = ProgrammeManagerScope.objects.create(user=manager, countries=["TN"])
    scope.organisations.add(union)
    manager.union = union
    return manager


def test_manager_sees_members_of_scoped_organisations_and_countries(scoped_manager, administrator):
    in_org = UserFactory(organisation=scoped_manager.union, country="MA")
    in_country = UserFactory(country="TN")
    outside = UserFactory(country="SN")
    visible = set(users_visible_to(user=scoped_manager))
    assert {in_org, in_country, scoped_manager} <= visible
    assert outside not in visible
    assert manages_member(scoped_manager, in_country)
    assert not manages_member(scoped_manager, outside)
    assert outside.has_perm("lms.view_profile", outside)
    assert not outside.has_perm("lms.view_profile", in_org)
    assert scoped_manager.has_perm("lms.view_profile", in_org)
    assert administrator.has_perm("lms.view_profile", outside)
    assert set(users_visible_to(user=administrator)) >= {in_org, in_country, outside}


def test_organisations_visible_to(scoped_manager, learner, administrator):
    tunisian = OrganisationFactory(country="TN")
    senegalese = OrganisationFactory(country="SN")
    assert set(organisations_visible_to(user=scoped_manager)) == {scoped_manager.union, tunisian}
    assert not organisations_visible_to(user=learner).exists()
    assert set(organisations_visible_to(user=administrator)) >= {tunisian, senegalese}


def test_learner_sees_only_themselves(learner):
    UserFactory()
    assert list(users_visible_to(user=learner)) == [learner]


def test_content_editors_get_content_models_but_never_learner_records(editor):
    from lms.services import role_grant

    role_grant(user=editor, role=Role.EDITOR)
    assert editor.has_perm("courses.change_quiz")
    assert editor.has_perm("certificates.change_certificatetemplate")
    for perm in ("courses.view_enrolment", "courses.view_quizattempt",
                 "certificates.view_certificate", "certificates.view_certificateissuefailure"):
        assert not editor.has_perm(perm), perm
