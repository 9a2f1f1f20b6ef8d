"""Template helpers for the site shell: the language switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to the current page in each language.

    On a Wagtail page, each link goes to the page's translation when it exists (its slug may
    differ) and to that language's home page otherwise; on other views, to the same URL under
    the other prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other.get_url(request)
    links = []
    path = request.get_full_path() if request is not None else "/"
    for code, name in settings.LANGUAGES:
        if page is not None and code in translations:
            url = translations[code]
        else:
            url = translate_url(path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    # Pages outside the language prefix (e.g. /verify/…) switch through Django's set_language.
    unprefixed = all(link["url"] == path for link in links)
    return {"links": links, "current": current, "unprefixed": unprefixed, "next": path}
