"""Which workspaces each role reaches from the navigation: one list, read by the site header,
the profile page and the home page (through ``lms.context_processors.navigation``).

A workspace is a place where someone does their own kind of work: a learner's learning and
certificates, a manager's certificate management, an editor's CMS. The list is declarative:
cohorts ("My cohorts", trainers) and reports ("Reports", managers) are already listed under the
URL names their apps will define, and appear as soon as those URLs exist. The rule of who may
enter a workspace is the one its app enforces (``lms.access`` predicates, the same ones the
views check), never re-derived here.

Which workspaces a person has is cached for a few minutes (it costs a query on the groups,
on every page); a change of role clears it. A stale entry only shows or hides a link: each
workspace's view checks access itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_save
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import (
    is_administrator,
    is_content_editor,
    is_learner,
    is_programme_manager,
    is_trainer,
)


def _may_manage_certificates(user) -> bool:
    # The certificates app owns the rule; imported late because lms is imported first.
    from certificates.selectors import may_manage_certificates

    return may_manage_certificates(user)


def _has_memberships(user) -> bool:
    # A learner in a cohort (any state but withdrawn) has sessions to see; cohorts owns the rows.
    # No query while the sessions area has no such page.
    try:
        reverse("cohorts:my_sessions")
    except NoReverseMatch:
        return False
    from cohorts.models import Membership

    return Membership.objects.filter(user=user).exclude(state="withdrawn").exists()


def _may_view_reports(user) -> bool:
    # The rules registry only: ``user.has_perm`` would also ask ModelBackend (two queries).
    return rules.has_perm("lms.view_reports", user)


@dataclass(frozen=True)
class Workspace:
    """One entry of the navigation: who sees it and where it goes.

    ``kind`` groups entries: ``"learner"`` (everyone signed in) or ``"staff"`` (a role's tools,
    shown apart so that a manager finds them at once).
    """

    key: str
    label: Promise
    allowed: Callable[[object], bool]
    url_name: str = ""
    path: str = ""
    kind: str = "learner"


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str
    kind: str


WORKSPACES: tuple[Workspace, ...] = (
    Workspace(key="learning", label=_("My learning"), allowed=is_learner,
              url_name="courses:my_learning"),
    Workspace(key="certificates", label=_("My certificates"), allowed=is_learner,
              url_name="certificates:my_certificates"),
    # Learners in a cohort: their workshops, once the sessions area defines this URL.
    Workspace(key="sessions", label=_("My sessions"), allowed=_has_memberships,
              url_name="cohorts:my_sessions"),
    # Trainers: their cohorts once the cohorts app defines this URL.
    Workspace(key="cohorts", label=_("My cohorts"), allowed=is_trainer | is_administrator,
              url_name="cohorts:my_cohorts", kind="staff"),
    # Managers: the cohorts of their scope (the same list; one link for a manager-trainer).
    Workspace(key="cohorts_scope", label=_("Cohorts"),
              allowed=is_programme_manager & ~is_trainer & ~is_administrator,
              url_name="cohorts:my_cohorts", kind="staff"),
    # The cascade (cohorts.cascade): managers promote new trainers; trainers see their tree.
    Workspace(key="cascade", label=_("Cascade"), allowed=is_programme_manager | is_administrator,
              url_name="cohorts:cascade_pending", kind="staff"),
    Workspace(key="cascade_tree", label=_("My family tree"), allowed=is_trainer,
              url_name="cohorts:cascade_tree", kind="staff"),
    Workspace(key="certificates_manage", label=_("Certificates (management)"),
              allowed=_may_manage_certificates, url_name="certificates:manage", kind="staff"),
    # Managers: the donor reports once the reports app defines this URL.
    Workspace(key="reports", label=_("Reports"), allowed=_may_view_reports,
              url_name="reports:index", kind="staff"),
    Workspace(key="cms", label=_("Content editing"), allowed=is_content_editor | is_administrator,
              path="/cms/", kind="staff"),
    Workspace(key="admin", label=_("Administration"), allowed=is_administrator,
              path="/django-admin/", kind="staff"),
)


def _url(workspace: Workspace) -> str | None:
    if workspace.path:
        return workspace.path
    try:
        return reverse(workspace.url_name)
    except NoReverseMatch:
        # The app that provides this workspace is not installed (yet).
        return None


CACHE_SECONDS = 300


def _cache_key(user_pk) -> str:
    return f"lms:workspaces:{user_pk}"


def workspace_keys_for(user, *, workspaces: tuple[Workspace, ...] = WORKSPACES) -> list[str]:
    """The keys of the workspaces ``user`` may enter (uncached)."""
    return [workspace.key for workspace in workspaces if workspace.allowed(user)]


def workspaces_for(user, *, workspaces: tuple[Workspace, ...] = WORKSPACES) -> list[NavLink]:
    """The workspaces ``user`` may enter, in navigation order (none for an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if workspaces is WORKSPACES:
        keys = cache.get(_cache_key(user.pk))
        if keys is None:
            keys = workspace_keys_for(user)
            cache.set(_cache_key(user.pk), keys, CACHE_SECONDS)
    else:
        keys = workspace_keys_for(user, workspaces=workspaces)
    allowed = set(keys)
    links = []
    for workspace in workspaces:
        if workspace.key not in allowed:
            continue
        url = _url(workspace)
        if url is None:
            continue
        links.append(
            NavLink(key=workspace.key, label=str(workspace.label), url=url, kind=workspace.kind)
        )
    return links


def workspaces_forget(*, user_pks) -> None:
    """Drop the cached workspaces of these users (their roles changed)."""
    cache.delete_many([_cache_key(pk) for pk in user_pks])


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        workspaces_forget(user_pks=[instance.pk])
    elif action == "pre_clear":  # a group loses all its members: read them while they are there
        workspaces_forget(user_pks=list(instance.user_set.values_list("pk", flat=True)))
    else:
        workspaces_forget(user_pks=list(pk_set or ()))


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    # is_superuser or is_active may have changed; a login only stamps last_login.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    workspaces_forget(user_pks=[instance.pk])


def connect_signals() -> None:
    """Called from ``LmsConfig.ready``: role changes clear the cache in every process."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="lms.navigation.groups"
    )
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="lms.navigation.user")
