"""The trainer workspace (phone-first, public site) and the learner's side of open cohorts.

Thin views: access through ``selectors.cohort_get_for_user`` (404 for a cohort out of sight)
and ``selectors.may_use_workspace`` (403 for a signed-in person without a trainer's or
manager's role), writes through ``services``. GETs never write.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.models import User

from . import exports, selectors, services
from .forms import CohortForm, InvitationForm, MemberSearchForm
from .models import Cohort, Invitation, Membership, MembershipState


def _workspace_user(request: HttpRequest) -> None:
    if not selectors.may_use_workspace(request.user):
        raise PermissionDenied


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_GET
@login_required
def my_cohorts(request: HttpRequest) -> HttpResponse:
    _workspace_user(request)
    return render(request, "cohorts/workspace_list.html", {
        "cohorts": list(selectors.cohorts_for(request.user)),
    })


def _save_form(request: HttpRequest, form: CohortForm, *, cohort: Cohort | None) -> Cohort | None:
    if not form.is_valid():
        return None
    try:
        if cohort is None:
            return services.cohort_create(
                by=request.user, modules=form.cleaned_data["modules"],
                trainers=form.cleaned_data["trainers"], **form.cohort_fields(),
            )
        return services.cohort_update(
            cohort=cohort, by=request.user, modules=form.cleaned_data["modules"],
            trainers=form.cleaned_data["trainers"], **form.cohort_fields(),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    _workspace_user(request)
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST":
        cohort = _save_form(request, form, cohort=None)
        if cohort is not None:
            messages.success(request, _("The cohort has been created."))
            return redirect("cohorts:workspace_detail", pk=cohort.pk)
    return render(request, "cohorts/workspace_form.html", {"form": form, "cohort": None})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def workspace_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    form = CohortForm(request.POST or None, instance=cohort, user=request.user)
    if request.method == "POST":
        # The form's instance is the same object: re-read after a failed save.
        if _save_form(request, form, cohort=cohort) is not None:
            messages.success(request, _("The cohort has been saved."))
            return redirect("cohorts:workspace_detail", pk=cohort.pk)
    return render(request, "cohorts/workspace_form.html", {"form": form, "cohort": cohort})


def _area_links(cohort: Cohort) -> list[dict]:
    """Links to the other areas' pages of this cohort, where they exist."""
    from django.urls import NoReverseMatch

    wanted = (
        ("cohorts:import_start", _("Import a roster")),
        ("cohorts:sessions_list", _("Sessions")),
        ("cohorts:evidence_list", _("Evidence")),
    )
    links = []
    for name, label in wanted:
        try:
            links.append({"url": reverse(name, kwargs={"pk": cohort.pk}), "label": label})
        except NoReverseMatch:
            continue
    return links


@require_GET
@login_required
def workspace_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    return render(request, "cohorts/workspace_detail.html", {
        "cohort": cohort,
        "members": list(selectors.cohort_members(cohort=cohort)),
        "modules": list(cohort.modules.order_by("title")),
        "trainers": list(cohort.trainers.order_by("full_name", "email")),
        "sessions": list(cohort.sessions.order_by("date", "start_time")),
        "area_links": _area_links(cohort),
    })


@require_GET
@login_required
def workspace_members(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    search = MemberSearchForm(request.GET or None)
    candidates = []
    if search.is_valid():
        candidates = selectors.member_candidates(
            user=request.user, cohort=cohort, query=search.cleaned_data["q"]
        )
    return render(request, "cohorts/workspace_members.html", {
        "cohort": cohort,
        "search": search,
        "searched": bool(search.is_bound and search.is_valid() and search.cleaned_data["q"]),
        "min_chars": selectors.SEARCH_MIN_CHARS,
        "candidates": candidates,
        "members": list(selectors.cohort_members(cohort=cohort)),
        "invitations": list(selectors.cohort_open_invitations(cohort=cohort)),
        "invite_form": InvitationForm(initial={"language": cohort.language}),
    })


@require_POST
@login_required
def workspace_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    user_id = request.POST.get("user", "")
    if not user_id.isdigit() or len(user_id) > 18:
        raise Http404
    # Only an account the search shows may be added: the query is sent again with the choice.
    person = get_object_or_404(User, pk=int(user_id), is_active=True)
    shown = selectors.member_candidates(
        user=request.user, cohort=cohort, query=request.POST.get("q", "")
    )
    if person not in shown:
        raise Http404
    services.membership_add(cohort=cohort, user=person, by=request.user)
    messages.success(request, _("%(name)s is now a member.") % {
        "name": person.get_full_name() or person.email})
    return redirect("cohorts:workspace_members", pk=cohort.pk)


@require_POST
@login_required
def workspace_member_withdraw(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    membership = get_object_or_404(Membership, pk=membership_pk, cohort=cohort)
    services.membership_withdraw(membership=membership, by=request.user)
    messages.success(request, _("The learner has been withdrawn from the cohort."))
    return redirect("cohorts:workspace_members", pk=cohort.pk)


@require_POST
@login_required
def workspace_invite(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        services.invitation_create(
            cohort=cohort, email=form.cleaned_data["email"],
            language=form.cleaned_data["language"], by=request.user,
        )
        messages.success(request, _("The invitation has been sent to %(email)s.") % {
            "email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("cohorts:workspace_members", pk=cohort.pk)


@require_GET
@login_required
def workspace_progress(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    table = selectors.cohort_progress_table(cohort=cohort, sort=request.GET.get("sort", "name"))
    return render(request, "cohorts/workspace_progress.html", {
        "cohort": cohort, **table,
        "columns": exports.progress_columns(),
    })


@require_GET
@login_required
def workspace_progress_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, pk=pk)
    table = selectors.cohort_progress_table(cohort=cohort, sort=request.GET.get("sort", "name"))
    if fmt == "csv":
        return exports.progress_csv_response(cohort=cohort, rows=table["rows"])
    return exports.progress_xlsx_response(cohort=cohort, rows=table["rows"])


# --- Learners: open cohorts and invitations -----------------------------------------------------


def _open_cohort_get(pk: int) -> Cohort:
    return get_object_or_404(Cohort, pk=pk, is_open=True)


@require_GET
def open_cohort(request: HttpRequest, pk: int) -> HttpResponse:
    """An open cohort's public page: what it is, places left, request or cancel."""
    cohort = _open_cohort_get(pk)
    membership = selectors.membership_of(user=request.user, cohorts=[cohort]).get(cohort.pk)
    taken = cohort.memberships.filter(state=MembershipState.ACTIVE).count()
    return render(request, "cohorts/workspace_open.html", {
        "cohort": cohort,
        "membership": membership,
        "position": services.waitlist_position(membership=membership) if membership else None,
        "places_left": None if cohort.capacity is None else max(cohort.capacity - taken, 0),
        "accepts": services.cohort_accepts_requests(cohort),
        "modules": list(cohort.modules.live().order_by("title")),
    })


@require_POST
@login_required
def open_cohort_request(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _open_cohort_get(pk)
    try:
        membership = services.membership_request(cohort=cohort, user=request.user)
    except services.MembershipNotAllowed as error:
        messages.error(request, _error_text(error))
    else:
        if membership.state == MembershipState.REQUESTED:
            messages.info(request, _("The cohort is full: you are on the waiting list. We will "
                                     "e-mail you if a place frees up."))
        else:
            messages.success(request, _("You have a place in this cohort."))
    return redirect("cohorts:open_cohort", pk=cohort.pk)


@require_POST
@login_required
def open_cohort_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _open_cohort_get(pk)
    if services.membership_cancel(cohort=cohort, user=request.user) is not None:
        messages.success(request, _("You have cancelled your place."))
    return redirect("cohorts:open_cohort", pk=cohort.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: sign up or log in (``next`` comes back here), then join."""
    invitation = Invitation.objects.filter(token=token).select_related("cohort").first()
    if invitation is None:
        raise Http404
    used = invitation.accepted_at is not None and (
        not request.user.is_authenticated or invitation.accepted_by_id != request.user.pk
    )
    if request.method == "POST" and request.user.is_authenticated and not used:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.MembershipNotAllowed as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Welcome to %(cohort)s.") % {
                "cohort": invitation.cohort.name})
            return redirect("courses:my_learning")
    elif request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    return render(request, "cohorts/workspace_join.html", {
        "invitation": invitation, "cohort": invitation.cohort, "used": used,
        "accepted": invitation.accepted_at is not None and not used,
    }, status=410 if used else 200)
