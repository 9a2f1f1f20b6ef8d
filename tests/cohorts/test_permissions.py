"""Who may open every cohort URL: a table of roles × URLs with the exact expected status.

Roles: anonymous, learner, member learner (of the cohort), another trainer, the cohort's
trainer, a programme manager in scope (the cohort's country) and out of scope, an
administrator. Anonymous visitors are sent to log in (302); a signed-in person without a
trainer's or manager's role gets 403 on the workspace; a cohort out of sight is a 404 (its
existence is not disclosed). Each area adds its URLs to ``URLS`` (small edit).
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.models import Invitation, Membership
from cohorts.services import membership_add
from lms.models import ProgrammeManagerScope
from tests.cohorts.core_fixtures import cohort_build
from tests.factories import AdministratorFactory, ManagerFactory, TrainerFactory, UserFactory

ROLES = ("anonymous", "learner", "member", "other_trainer", "trainer", "manager_in",
         "manager_out", "admin")

A, L, M, OT, T, MI, MO, AD = range(8)


def row(*codes):
    assert len(codes) == len(ROLES)
    return codes


# Expected status per role, in ROLES order.
WORKSPACE = row(302, 403, 403, 200, 200, 200, 200, 200)
COHORT_PAGE = row(302, 404, 404, 404, 200, 200, 404, 200)
COHORT_POST = row(302, 404, 404, 404, 302, 302, 404, 302)
PUBLIC = row(200, 200, 200, 200, 200, 200, 200, 200)
LEARNER_POST = row(302, 302, 302, 302, 302, 302, 302, 302)

def _session(w, key="session"):
    # cohorts-sessions: a session of the cohort taking place now (made on first use).
    if key not in w:
        from tests.cohorts.sessions_fixtures import session_build

        w[key] = session_build(cohort=w["cohort"])
    return w[key]


def _s(w, key="session"):
    return {"pk": w["cohort"].pk, "session_pk": _session(w, key).pk}


def _code(w):
    from django.utils import timezone

    from cohorts.checkin import code_for

    return {"session_pk": _session(w).pk, "code": code_for(session=_session(w),
                                                           now=timezone.now())}


SIGNED_IN = row(302, 200, 200, 200, 200, 200, 200, 200)

# (method, url name, kwargs builder, expected, data)
URLS = [
    ("get", "cohorts:my_cohorts", lambda w: {}, WORKSPACE, None),
    ("get", "cohorts:workspace_create", lambda w: {}, WORKSPACE, None),
    ("get", "cohorts:workspace_detail", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
    ("get", "cohorts:workspace_edit", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
    ("get", "cohorts:workspace_members", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
    ("get", "cohorts:workspace_progress", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
    ("get", "cohorts:workspace_progress_csv", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE,
     None),
    ("get", "cohorts:workspace_progress_xlsx", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE,
     None),
    ("post", "cohorts:workspace_member_withdraw",
     lambda w: {"pk": w["cohort"].pk, "membership_pk": w["membership"].pk}, COHORT_POST, {}),
    ("post", "cohorts:workspace_invite", lambda w: {"pk": w["cohort"].pk}, COHORT_POST,
     {"email": "someone@example.org", "language": "fr"}),
    ("post", "cohorts:workspace_member_add", lambda w: {"pk": w["cohort"].pk},
     row(302, 404, 404, 404, 302, 302, 404, 302),
     lambda w: {"user": w["candidate"].pk, "q": w["candidate"].email}),
    ("get", "cohorts:open_cohort", lambda w: {"pk": w["open"].pk}, PUBLIC, None),
    ("get", "cohorts:open_cohort", lambda w: {"pk": w["cohort"].pk},
     row(404, 404, 404, 404, 404, 404, 404, 404), None),
    ("post", "cohorts:open_cohort_request", lambda w: {"pk": w["open"].pk}, LEARNER_POST, {}),
    ("post", "cohorts:open_cohort_cancel", lambda w: {"pk": w["open"].pk}, LEARNER_POST, {}),
    ("get", "cohorts:join", lambda w: {"token": w["invitation"].token}, PUBLIC, None),
    ("get", "cohorts:join", lambda w: {"token": "0" * 64},
     row(404, 404, 404, 404, 404, 404, 404, 404), None),
    # cohorts-sessions
    ("get", "cohorts:sessions_list", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
    ("get", "cohorts:sessions_create", lambda w: {"pk": w["cohort"].pk}, COHORT_PAGE, None),
    ("get", "cohorts:sessions_edit", _s, COHORT_PAGE, None),
    ("get", "cohorts:sessions_register", _s, COHORT_PAGE, None),
    ("get", "cohorts:sessions_qr", _s, COHORT_PAGE, None),
    ("get", "cohorts:sessions_qr_code", _s, COHORT_PAGE, None),
    ("get", "cohorts:sessions_qr_print", _s, COHORT_PAGE, None),
    ("get", "cohorts:sessions_event_ics", lambda w: {"session_pk": _session(w).pk},
     row(302, 404, 200, 404, 200, 200, 404, 200), None),
    # Check-in: only a member of the cohort is offered the button (the member was withdrawn
    # by a row above only in the trainer's, manager's and administrator's worlds).
    ("get", "cohorts:sessions_checkin", _code, row(302, 403, 200, 403, 403, 403, 403, 403),
     None),
    ("get", "cohorts:sessions_checkin_print", lambda w: {
        "session_pk": _session(w).pk,
        "token": __import__("cohorts.checkin").checkin.print_token(_session(w))},
     row(302, 403, 200, 403, 403, 403, 403, 403), None),
    ("get", "cohorts:sessions_card_scan", lambda w: {
        "token": __import__("cohorts.checkin").checkin.card_token(w["membership"].user)},
     # The member was withdrawn by a row above: their card is refused (403) wherever a session
     # runs; 409 where none of the person's sessions is taking place.
     row(302, 403, 403, 409, 403, 403, 409, 403), None),
    # The page a workspace user's phone shows for a card scanned offline: no data of anyone.
    ("get", "cohorts:sessions_card_offline", lambda w: {},
     row(302, 403, 403, 200, 200, 200, 200, 200), None),
    ("get", "cohorts:my_sessions", lambda w: {}, SIGNED_IN, None),
    ("get", "cohorts:my_sessions_card", lambda w: {}, SIGNED_IN, None),
    ("get", "cohorts:sessions_feed", lambda w: {}, SIGNED_IN, None),
    ("get", "cohorts:sessions_feed_token", lambda w: {
        "token": __import__("cohorts.sessions").sessions.feed_token(w["membership"].user)},
     PUBLIC, None),
    ("post", "cohorts:sessions_delete", lambda w: _s(w, "session_del"), COHORT_POST, {}),
]

# Later areas list their rows in ``tests/cohorts/permissions_<area>.py`` as ``rows()``, a
# function returning rows in the format above (it may import this module's names: row,
# COHORT_PAGE, _session, _s…); objects it needs are made on first use in ``w``, like _session.
for _area in ("imports", "evidence", "cascade"):
    if find_spec(f"tests.cohorts.permissions_{_area}") is not None:
        URLS += import_module(f"tests.cohorts.permissions_{_area}").rows()


@pytest.fixture
def world(db):
    trainer = TrainerFactory()
    cohort = cohort_build(by=trainer, country="MA")
    member = UserFactory(country="SN")
    membership_add(cohort=cohort, user=member)
    manager_in, manager_out = ManagerFactory(), ManagerFactory()
    ProgrammeManagerScope.objects.create(user=manager_in, countries=["MA"])
    ProgrammeManagerScope.objects.create(user=manager_out, countries=["TN"])
    users = {
        "learner": UserFactory(country="SN"), "member": member,
        "other_trainer": TrainerFactory(), "trainer": trainer,
        "manager_in": manager_in, "manager_out": manager_out, "admin": AdministratorFactory(),
    }
    return {
        "users": users, "cohort": cohort,
        "membership": Membership.objects.get(cohort=cohort, user=member),
        "open": cohort_build(by=trainer, name="Open seminar", is_open=True, capacity=2),
        "invitation": Invitation.objects.create(cohort=cohort, email="x@example.org",
                                                language="fr"),
        "candidate": UserFactory(country="MA"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_cohort_url_answers_each_role_exactly(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    wrong = []
    for method, name, kwargs, expected, data in URLS:
        url = reverse(name, kwargs=kwargs(world))
        payload = data(world) if callable(data) else data
        response = getattr(client, method)(url, payload or {})
        want = expected[ROLES.index(role)]
        if response.status_code != want:
            wrong.append(f"{method.upper()} {name}: {response.status_code}, expected {want}")
    assert wrong == []


def test_the_table_names_every_cohort_url():
    """A URL added to the cohorts urlconf without a row here fails this test."""
    from cohorts import urls

    names = _names(urls.urlpatterns)
    tested = {name.removeprefix("cohorts:") for _, name, *_ in URLS}
    missing = {n for n in names if n not in tested}
    assert missing == set(), f"add these to test_permissions.URLS: {sorted(missing)}"


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            names |= _names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names
