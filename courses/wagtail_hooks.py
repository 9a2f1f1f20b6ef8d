"""Admin: quizzes are snippets with nested, ordered questions and choices.

Quizzes are translatable (TranslatableMixin): with ``wagtail.contrib.simple_translation``,
editors get a "Translate" action on a quiz, and on a module page with "include subtree" for its
lessons; the copies then point at quizzes in their own language (``courses.translation``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from lms.wagtail_hooks import ContentSnippetViewSet

from .models import Quiz


class QuizViewSet(ContentSnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "purpose", "pass_mark", "max_attempts", "locale"]
    list_filter = ["purpose", "locale"]
    search_fields = ["title"]


register_snippet(QuizViewSet)
