"""``{% join_options course as options %}``: the registered ways into a cohort-only module
(``courses.hooks``), for the person reading the page."""

from django import template

from courses.hooks import join_options_for
from courses.models import CoursePage
from courses.selectors import source_page_get

register = template.Library()


@register.simple_tag(takes_context=True)
def join_options(context, course: CoursePage) -> list:
    request = context.get("request")
    user = getattr(request, "user", None)
    return join_options_for(course=source_page_get(page=course), user=user)
