"""Numbers, dates, plurals and lists formatted for the active language and isolated from text of
the other direction."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

NNBSP = "\u202f"


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load passerelle %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("fr", 66.666, f"66,7{NNBSP}%"),
        ("ar", 66.666, f"66,7{NNBSP}%"),
        ("en", 66.666, f"66.7{NNBSP}%"),
        ("ar", Decimal("70"), f"70{NNBSP}%"),
        ("fr", 100, f"100{NNBSP}%"),
    ],
)
def test_percent_is_localised_and_isolated_left_to_right(language, value, expected):
    html = render("{{ value|percent }}", language, value=value)
    assert html == f'<bdi dir="ltr" class="num">{expected}</bdi>'


def test_percent_of_nothing_is_empty():
    assert render("{{ value|percent }}", "fr", value=None) == ""


def test_percent_keeps_its_markup_inside_blocktranslate():
    html = render(
        "{% load i18n %}{% blocktranslate with score=value|percent %}Score: {{ score }}"
        "{% endblocktranslate %}",
        "fr", value=50,
    )
    assert f'<bdi dir="ltr" class="num">50{NNBSP}%</bdi>' in html


def test_number_filter_isolates_and_localises():
    assert render("{{ value|number }}", "fr", value=1.5) == '<bdi dir="ltr" class="num">1,5</bdi>'


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "1 décembre 2026"),
        ("ar", "1 ديسمبر 2026"),
        ("en", "Dec. 1, 2026"),
    ],
)
def test_localdate_reads_in_the_active_language(language, expected):
    when = datetime.date(2026, 12, 1)
    assert render("{{ when|localdate }}", language, when=when) == expected


def test_arabic_datetime_has_no_latin_comma_nor_am_pm():
    when = datetime.datetime(2026, 12, 1, 19, 5, tzinfo=datetime.UTC)
    text = render('{{ when|localdate:"DATETIME_FORMAT" }}', "ar", when=when)
    assert text == "1 ديسمبر 2026، 19:05"
    # Django's own filter uses the same formats (FORMAT_MODULE_PATH): no "ديسمبر 1, 2026, 7 م."
    assert render('{{ when|date:"DATETIME_FORMAT" }}', "ar", when=when) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("6.0"), 6), (Decimal("6"), 6), (6, 6), (Decimal("1.5"), Decimal("1.5")), ("x", 0)],
)
def test_plural_count_gives_whole_numbers_as_int(value, expected):
    from lms.templatetags.passerelle import plural_count

    result = plural_count(value)
    assert result == expected and type(result) is type(expected)


def test_list_separator_in_french():
    assert render("{% list_separator %}", "fr") == ", "


def test_list_separator_in_arabic_is_the_arabic_comma():
    # Fails until the lead merges locale/pending/shell.json (msgctxt "list separator").
    assert render("{% list_separator %}", "ar") == "، "


def test_percent_text_is_isolated_with_unicode_marks_for_plain_text():
    from lms.formats import percent_text

    with translation.override("ar"):
        assert percent_text(70) == f"\u206670{NNBSP}%\u2069"
        assert percent_text(66.666) == f"\u206666,7{NNBSP}%\u2069"
    assert percent_text(None) == ""
