"""Template context shared by every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import workspaces_for


def navigation(request: HttpRequest) -> dict:
    """The signed-in person's workspaces, computed once and only if a template reads them:
    ``workspaces`` (all, for the header) and ``staff_workspaces`` (a role's tools, which the home
    and profile pages also show)."""
    links = SimpleLazyObject(lambda: workspaces_for(getattr(request, "user", None)))
    staff = SimpleLazyObject(lambda: [link for link in links if link.kind == "staff"])
    return {"workspaces": links, "staff_workspaces": staff}
