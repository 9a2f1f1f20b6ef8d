"""Each role reaches its workspaces from the header, the home page and the profile page."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from lms.access import Role
from lms.navigation import WORKSPACES, workspaces_for

LEARNER = ["learning", "certificates"]


def _when_installed(key: str, url_name: str) -> list[str]:
    """Workspaces of apps that land later (cohorts, reports) are expected once their URL exists."""
    if key not in {workspace.key for workspace in WORKSPACES}:
        return []
    try:
        reverse(url_name)
    except NoReverseMatch:
        return []
    return [key]


def expected_for(role: str) -> list[str]:
    """Role × the workspaces the navigation offers, in order. Trainers have no workspace of their
    own until cohorts land ("cohorts" appears once its URL exists); reports likewise."""
    cohorts = _when_installed("cohorts", "cohorts:my_cohorts")
    cohorts_scope = _when_installed("cohorts_scope", "cohorts:my_cohorts")
    reports = _when_installed("reports", "reports:index")
    cascade = _when_installed("cascade", "cohorts:cascade_pending")
    tree = _when_installed("cascade_tree", "cohorts:cascade_tree")
    return {
        "anonymous": [],
        "learner": LEARNER,
        "trainer": [*LEARNER, *cohorts, *tree],
        "manager": [*LEARNER, *cohorts_scope, *cascade, "certificates_manage", *reports],
        "editor": [*LEARNER, "cms"],
        "administrator": [*LEARNER, *cohorts, *cascade, "certificates_manage", *reports, "cms",
                          "admin"],
    }[role]


ROLES = ["anonymous", "learner", "trainer", "manager", "editor", "administrator"]


@pytest.fixture
def person(request, learner, trainer, manager, editor, administrator):
    return {
        "anonymous": AnonymousUser(),
        "learner": learner,
        "trainer": trainer,
        "manager": manager,
        "editor": editor,
        "administrator": administrator,
    }[request.param]


@pytest.mark.django_db
@pytest.mark.parametrize(("person", "role"), [(role, role) for role in ROLES],
                         indirect=["person"])
def test_workspaces_for_each_role(person, role):
    keys = [link.key for link in workspaces_for(person)]
    assert keys == expected_for(role)
    # Today, whatever else lands: a manager and an administrator manage certificates, an editor
    # and an administrator edit content, a trainer and a learner have no staff tool but cohorts.
    assert ("certificates_manage" in keys) == (role in {"manager", "administrator"})
    assert ("cms" in keys) == (role in {"editor", "administrator"})


@pytest.mark.django_db
def test_workspace_links_point_at_the_workspaces(administrator):
    with translation.override("fr"):
        links = {link.key: link for link in workspaces_for(administrator)}
    assert links["certificates_manage"].url == reverse("certificates:manage") \
        == "/fr/certificates/manage/"
    assert links["learning"].url == "/fr/learning/"
    assert links["cms"].url == "/cms/"
    assert links["certificates_manage"].kind == "staff"
    assert links["learning"].kind == "learner"


@pytest.mark.django_db
def test_a_new_role_shows_at_once(learner):
    assert "certificates_manage" not in [link.key for link in workspaces_for(learner)]
    learner.groups.add(Group.objects.get(name=Role.MANAGER))
    del learner._passerelle_groups  # the request-level cache of lms.access
    assert "certificates_manage" in [link.key for link in workspaces_for(learner)]
    learner.groups.remove(Group.objects.get(name=Role.MANAGER))
    del learner._passerelle_groups
    assert "certificates_manage" not in [link.key for link in workspaces_for(learner)]


@pytest.mark.django_db
def test_a_group_losing_its_members_clears_their_navigation(manager):
    assert "certificates_manage" in [link.key for link in workspaces_for(manager)]
    Group.objects.get(name=Role.MANAGER).user_set.clear()
    del manager._passerelle_groups
    assert "certificates_manage" not in [link.key for link in workspaces_for(manager)]


@pytest.mark.django_db
def test_the_header_shows_a_manager_certificate_management(client, site_tree, manager):
    client.force_login(manager)
    html = client.get("/fr/learning/").content.decode()
    header = html[html.index('<header class="site-header">'):html.index("</header>")]
    assert 'href="/fr/certificates/manage/"' in header
    assert 'data-workspace="certificates_manage"' in header


@pytest.mark.django_db
def test_the_header_of_a_learner_has_no_staff_tools(client, site_tree, learner):
    client.force_login(learner)
    html = client.get("/fr/learning/").content.decode()
    assert 'href="/fr/learning/"' in html
    assert "/certificates/manage/" not in html
    assert 'href="/cms/"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/fr/", "/fr/accounts/profile/"])
def test_home_and_profile_pages_show_a_manager_workspaces(client, site_tree, manager, url):
    client.force_login(manager)
    html = client.get(url).content.decode()
    main = html[html.index('<main id="main"'):]
    assert 'class="workspaces"' in main
    assert 'href="/fr/certificates/manage/"' in main


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/fr/", "/fr/accounts/profile/"])
def test_home_and_profile_pages_of_a_learner_list_no_workspace(client, site_tree, learner, url):
    client.force_login(learner)
    html = client.get(url).content.decode()
    assert 'class="workspaces"' not in html


@pytest.mark.django_db
def test_an_editor_is_pointed_at_the_cms(client, site_tree, editor):
    client.force_login(editor)
    main = client.get("/fr/").content.decode().split('<main id="main"', 1)[1]
    assert 'href="/cms/"' in main


@pytest.mark.django_db
def test_the_menu_is_a_disclosure_with_a_name(client, site_tree):
    html = client.get("/fr/").content.decode()
    # The nav follows the <details> that folds it on a phone (site.css hides it while closed).
    details = html.index('<details class="site-menu">')
    assert html.index("<summary", details) < html.index("</details>", details) \
        < html.index('<nav class="site-nav"', details)
    summary = html[html.index("<summary", details):html.index("</summary>", details)]
    assert "Menu" in summary
