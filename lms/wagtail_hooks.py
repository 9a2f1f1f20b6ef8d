from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "type", "country"]
    list_filter = ["type"]
    search_fields = ["name"]


register_snippet(OrganisationViewSet)
