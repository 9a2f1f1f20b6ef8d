import pytest
from django.core.exceptions import ValidationError

from certificates.models import CertificateTemplate
from certificates.placeholders import html_check, placeholders_check, placeholders_fill
from tests.factories import template_create


def test_known_placeholders_pass_including_reserved_ones():
    text = "{learner_name} {course_title} {completion_date} {hours} {grade} {country} " \
           "{organisation} {competencies} {cohort} {trainer}"
    assert placeholders_check(text) == []


def test_unknown_placeholder_is_named_in_the_error():
    errors = placeholders_check("Bravo {learner_nam}")
    assert len(errors) == 1 and "{learner_nam}" in str(errors[0])


def test_stray_brace_is_refused():
    assert placeholders_check("Bravo {learner_name")


@pytest.mark.parametrize("html", [
    "<p>ok <strong>bold</p>",
    "<p>unclosed",
    "<p>ok</p></div>",
    "<script>alert(1)</script>",
    '<p onclick="x()">a</p>',
    "<img src='http://example.org/x.png'>",
    "<p>ends in a tag <",
])
def test_broken_or_unsafe_html_is_refused(html):
    assert html_check(html)


def test_simple_html_passes():
    assert html_check("<p>a <strong>b</strong><br>c</p><ul><li>x</li></ul>") == []


def test_placeholders_fill_escapes_values():
    out = placeholders_fill("<p>{learner_name}</p>", {"learner_name": "<b>Eve</b>"})
    assert out == "<p>&lt;b&gt;Eve&lt;/b&gt;</p>"


def test_placeholders_fill_refuses_an_unknown_name():
    with pytest.raises(KeyError):
        placeholders_fill("{nope}", {})


@pytest.mark.django_db
def test_template_save_refuses_unknown_placeholder_with_a_clear_message():
    with pytest.raises(ValidationError) as excinfo:
        template_create(body_fr="<p>{nom}</p>")
    assert "body_fr" in excinfo.value.message_dict
    assert "{nom}" in " ".join(excinfo.value.message_dict["body_fr"])
    assert not CertificateTemplate.objects.exists()


@pytest.mark.django_db
def test_template_save_refuses_broken_html():
    with pytest.raises(ValidationError) as excinfo:
        template_create(body_ar="<p>نص <strong>غير مغلق</p>")
    assert "body_ar" in excinfo.value.message_dict


@pytest.mark.django_db
def test_template_language_needs_title_and_body():
    with pytest.raises(ValidationError) as excinfo:
        template_create(title_en="", body_en="<p>{course_title}</p>")
    assert "body_en" in excinfo.value.message_dict


@pytest.mark.django_db
def test_template_error_messages_are_translated():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as excinfo:
        template_create(body_fr="<p>{nom}</p>")
    message = " ".join(excinfo.value.message_dict["body_fr"])
    assert "{nom}" in message
