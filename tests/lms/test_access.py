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


# --- One scope helper per role --------------------------------------------------------------


@pytest.fixture
def scope_table(scoped_manager, learner, trainer, editor, administrator):
    """Who asks (each role, a manager without scope, a manager scoped by country only) and the
    people they might see (in the scope's organisation, country, both, neither, no country)."""
    from lms.models import User

    unscoped = UserFactory(role=Role.MANAGER)
    by_country = UserFactory(role=Role.MANAGER)
    ProgrammeManagerScope.objects.create(user=by_country, countries=["SN", "TN"])
    members = [
        UserFactory(organisation=scoped_manager.union, country="SN"),  # organisation only
        UserFactory(country="TN"),                                     # country only
        UserFactory(organisation=scoped_manager.union, country="TN"),  # both
        UserFactory(country="FR"),                                     # neither
        UserFactory(country=""),                                       # no country
        UserFactory(organisation=OrganisationFactory(country="TN"), country="MA"),
    ]
    askers = [learner, trainer, editor, administrator, scoped_manager, unscoped, by_country]
    # Fresh instances, as each request gets: no cached groups or scope.
    return [User.objects.get(pk=u.pk) for u in askers], members


def test_users_in_scope_q_and_the_predicate_agree(scope_table):
    from lms.access import has_in_scope, users_in_scope_q
    from lms.models import User

    askers, members = scope_table
    everyone = list(User.objects.all())
    expected_counts = {}
    for asker in askers:
        by_q = set(User.objects.filter(users_in_scope_q(asker)))
        by_predicate = {other for other in everyone if has_in_scope(asker, other)}
        assert by_q == by_predicate, asker
        assert asker.has_perm("lms.view_profile", asker)
        for other in members:
            assert asker.has_perm("lms.view_profile", other) == (other in by_q), (asker, other)
        expected_counts[asker.pk] = len(set(members) & by_q)
    learner, trainer, editor, administrator, scoped, unscoped, by_country = askers
    assert expected_counts == {
        learner.pk: 0, trainer.pk: 0, editor.pk: 0, administrator.pk: 6,
        scoped.pk: 3,   # the union's two members and the Tunisian
        unscoped.pk: 0,
        by_country.pk: 3,  # the Senegalese and the two Tunisians
    }
    for asker in askers:
        by_q = set(User.objects.filter(users_in_scope_q(asker)))
        assert {o for o in members if manages_member(asker, o)} == (
            set() if is_administrator(asker) else by_q & set(members)
        )


def test_organisations_in_scope_q_matches_the_selector(scoped_manager, learner, administrator):
    from lms.access import organisations_in_scope_q
    from lms.models import Organisation

    tunisian = OrganisationFactory(country="TN")
    OrganisationFactory(country="SN")
    assert set(Organisation.objects.filter(organisations_in_scope_q(scoped_manager))) == {
        scoped_manager.union, tunisian,
    }
    assert not Organisation.objects.filter(organisations_in_scope_q(learner)).exists()
    assert Organisation.objects.filter(organisations_in_scope_q(administrator)).count() == (
        Organisation.objects.count()
    )


def test_scope_queries_have_no_distinct_and_no_join(scoped_manager):
    import re

    from certificates.selectors import certificates_managed_by

    def words(queryset) -> set[str]:
        return set(re.findall(r"\b(DISTINCT|JOIN)\b", str(queryset.query).upper()))

    assert words(users_visible_to(user=scoped_manager)) == set()
    assert words(organisations_visible_to(user=scoped_manager)) == set()
    assert words(certificates_managed_by(user=scoped_manager)) == {"JOIN"}  # the holder only
    # The scope reaches an aggregate unchanged: each member counted once.
    UserFactory(organisation=scoped_manager.union, country="TN")
    UserFactory(country="TN")
    assert users_visible_to(user=scoped_manager).count() == 3


def test_trainer_dimension_is_empty_until_cohorts_fill_it(trainer, learner):
    from lms.access import trainer_learners_q
    from lms.models import User

    assert not User.objects.filter(trainer_learners_q(trainer)).exists()
    assert list(users_visible_to(user=trainer)) == [trainer]
