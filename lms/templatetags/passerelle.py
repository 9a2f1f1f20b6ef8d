"""Template helpers for the site shell: the language switcher, and numbers, dates and lists
formatted for the active language (and isolated where their direction differs)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import translate_url
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext

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


# --- Numbers, dates and lists in the active language ------------------------------------------
# Numbers and percentages are written left to right even in Arabic; inside right-to-left text an
# unisolated "70 %" next to a comma or another number is reordered by the bidi algorithm, so
# they come out wrapped in <bdi dir="ltr">.
NARROW_NBSP = "\u202f"


def _isolated_ltr(text: str) -> str:
    return format_html('<bdi dir="ltr" class="num">{}</bdi>', text)


@register.filter(is_safe=True)
def percent(value, decimals: str = "-1") -> str:
    """``66.666`` → ``66,7 %`` (fr, ar) / ``66.7 %`` (en), isolated left to right.

    ``decimals`` is ``floatformat``'s argument: at most one decimal, none when whole, unless
    told otherwise. An empty value gives an empty string.
    """
    if value is None or value == "":
        return ""
    number = floatformat(value, decimals)
    if number == "":
        return ""
    return _isolated_ltr(f"{number}{NARROW_NBSP}%")


@register.filter(is_safe=True)
def number(value, decimals: str = "-1") -> str:
    """A number in the active language's format, isolated left to right (``1,5``)."""
    if value is None or value == "":
        return ""
    formatted = floatformat(value, decimals)
    return _isolated_ltr(formatted) if formatted != "" else ""


@register.filter(expects_localtime=True, is_safe=False)
def localdate(value, format_name: str = "DATE_FORMAT") -> str:
    """A date (or datetime, in the current time zone) in the active language's own format:
    ``1 décembre 2026``, ``1 ديسمبر 2026``, ``Dec. 1, 2026``. ``format_name`` is a Django format
    setting (``SHORT_DATE_FORMAT``, ``DATETIME_FORMAT``…)."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, format_name)


@register.filter(is_safe=False)
def plural_count(value):
    """The counter to choose a plural form with: an ``int`` for a whole number (``Decimal("6.0")``
    → 6, so Arabic picks "ساعات"), the number itself otherwise (fractions take the "other"
    form)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return 0
    return int(number) if number == number.to_integral_value() else number


@register.simple_tag
def list_separator() -> str:
    """The separator between the items of a list: ", " in French and English, "، " in Arabic."""
    return pgettext("list separator", ", ")


@register.filter(is_safe=True)
def bdi(value) -> str:
    """Text whose direction is its own (a name, a reason typed in another language), isolated
    from the sentence around it: ``<bdi>`` takes the direction of its first strong letter."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="auto">{}</bdi>', value)
