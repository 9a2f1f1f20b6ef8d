"""Wagtail admin: organisations, who may choose which snippet, and the editors' own tools.

Wagtail registers a chooser (``/cms/snippets/choose/<app>/<model>/``) for every snippet and
checks no permission in it, so anyone with admin access could list any snippet's rows there.
Content snippets use ``ContentSnippetViewSet``: their chooser answers 403 to whoever holds no
permission on the model. Learner records (certificates, enrolments, issue failures…) use
``RecordSnippetViewSet``: they get no chooser at all (404), whoever asks.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.coreutils import resolve_model_string
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation

CHOOSER_PERMISSIONS = ("add", "change", "delete", "view")


def _may_see(user, model) -> bool:
    policy = policy_registry.get_by_type(model)
    return policy.user_has_any_permission(user, CHOOSER_PERMISSIONS)


class _ChooserPermissionMixin:
    """403 unless the user holds some permission on the model the chooser lists.

    A response, not ``PermissionDenied``: Wagtail turns that into a redirect to the dashboard.
    """

    def dispatch(self, request, *args, **kwargs):
        if not _may_see(request.user, resolve_model_string(self.model)):
            return HttpResponseForbidden()
        return super().dispatch(request, *args, **kwargs)


class ChooseView(_ChooserPermissionMixin, chooser.ChooseView):
    pass


class ChooseResultsView(_ChooserPermissionMixin, chooser.ChooseResultsView):
    pass


class ChosenView(_ChooserPermissionMixin, chooser.SnippetChosenView):
    pass


class ChosenMultipleView(_ChooserPermissionMixin, chooser.SnippetChosenMultipleView):
    pass


class CreateView(_ChooserPermissionMixin, chooser.SnippetCreateView):
    pass


class PermissionCheckedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView


class ContentSnippetViewSet(SnippetViewSet):
    """A snippet whose chooser only lists rows to those with a permission on the model."""

    chooser_viewset_class = PermissionCheckedChooserViewSet


class RecordSnippetViewSet(SnippetViewSet):
    """A learner record shown to administrators: listing and inspection, never a chooser.

    Whoever holds no permission on the model gets 404 on every one of its admin URLs (Wagtail
    would redirect them to the dashboard, naming what they may not see).
    """

    def register_chooser_viewset(self):
        """No chooser: nothing links to a learner record from content."""

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = self._hidden_from_others(pattern.callback)
        return patterns

    def _hidden_from_others(self, view):
        model = self.model

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not _may_see(request.user, model):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded


class OrganisationViewSet(ContentSnippetViewSet):
    model = Organisation
    icon = "group"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "type", "country"]
    list_filter = ["type"]
    search_fields = ["name"]


register_snippet(OrganisationViewSet)


@hooks.register("insert_editor_js")
def locale_direction_js():
    """Page and snippet editors: content fields follow the direction of the content's locale."""
    return format_html(
        '<script src="{}" data-languages="{}" data-rtl-languages="{}" defer></script>',
        static("js/admin-locale-direction.js"),
        " ".join(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES),
        " ".join(settings.LANGUAGES_BIDI),
    )


@hooks.register("register_account_menu_item")
def email_change_menu_item(request):
    """E-mail addresses change through allauth, which confirms the new one by a link."""
    return {
        "url": reverse("account_email"),
        "label": _("Change my e-mail address"),
        "help_text": _("A link sent to the new address confirms the change."),
    }
