"""The cascade pages: managers promote learners who completed a training of trainers; a
trainer sees their family tree (and a manager in scope, an administrator, anyone's).

Thin views over ``cohorts.cascade`` (access there: 403 for someone without the role, 404 for a
membership or a person out of sight). GETs never write; the promotion is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import cascade
from .selectors import cohort_scope_q


@require_GET
@login_required
def cascade_pending(request: HttpRequest) -> HttpResponse:
    if not cascade.may_promote(request.user):
        raise PermissionDenied
    scope_q = cohort_scope_q(request.user)  # the manager's scope, read once
    return render(request, "cohorts/cascade_pending.html", {
        "memberships": list(cascade.promotions_awaiting(user=request.user, scope_q=scope_q)),
        "promoted": list(cascade.promotions_recent(user=request.user, scope_q=scope_q)),
    })


@require_POST
@login_required
def cascade_promote(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = cascade.awaiting_membership_get(user=request.user, pk=membership_pk)
    name = membership.user.full_name or membership.user.email
    try:
        _promotion, created = cascade.trainer_promote(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, _("%(name)s is now a trainer.") % {"name": name})
        else:
            messages.info(request, _("%(name)s was already promoted.") % {"name": name})
    return redirect("cohorts:cascade_pending")


def _tree(request: HttpRequest, root) -> HttpResponse:
    tree, reach = cascade.cascade_tree(root=root)
    return render(request, "cohorts/cascade_tree.html", {
        "root": root, "tree": tree, "reach": reach, "own": root.pk == request.user.pk,
    })


@require_GET
@login_required
def cascade_tree(request: HttpRequest) -> HttpResponse:
    return _tree(request, cascade.tree_root_get(user=request.user))


@require_GET
@login_required
def cascade_tree_for(request: HttpRequest, user_pk: int) -> HttpResponse:
    return _tree(request, cascade.tree_root_get(user=request.user, pk=user_pk))
