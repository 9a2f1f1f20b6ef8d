"""Editors build and translate modules in /cms/ without code."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import CourseIndexPage, CoursePage, Quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_editor_creates_a_quiz_with_nested_questions_and_choices(admin_client, site_tree):
    assert admin_client.get("/cms/snippets/courses/quiz/add/").status_code == 200
    data = nested_form_data({
        "title": "Vérifier ses acquis", "purpose": "check", "pass_mark": "70",
        "max_attempts": "", "intro": "",
        "questions": inline_formset([{
            "kind": "single", "text": "Un budget sert à…", "explanation": "",
            "choices": inline_formset([
                {"text": "Prévoir", "is_correct": "on", "feedback": ""},
                {"text": "Dépenser plus", "feedback": ""},
            ], min=2),
        }], min=1),
    })
    data["locale"] = "fr"
    response = admin_client.post("/cms/snippets/courses/quiz/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = Quiz.objects.get(title="Vérifier ses acquis")
    question = quiz.questions.get()
    assert [c.is_correct for c in question.choices.order_by("sort_order")] == [True, False]


def test_editor_can_open_the_module_and_lesson_forms(admin_client, course):
    index = CourseIndexPage.objects.get(locale__language_code="fr")
    assert admin_client.get(f"/cms/pages/add/courses/coursepage/{index.pk}/").status_code == 200
    assert admin_client.get(f"/cms/pages/add/courses/lessonpage/{course.pk}/").status_code == 200
    assert admin_client.get(f"/cms/pages/{course.pk}/edit/").status_code == 200


def test_module_can_be_translated_with_its_lessons(admin_client, site_tree):
    from courses import demo
    from tests.courses.sample_module import SAMPLE_MODULE

    only_fr = {**SAMPLE_MODULE, "translations": {"fr": SAMPLE_MODULE["translations"]["fr"]}}
    [course] = demo.load(modules=[only_fr])
    url = f"/cms/translation/submit/page/{course.pk}/"
    assert admin_client.get(url).status_code == 200
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    response = admin_client.post(url, {"locales": [en.pk], "include_subtree": "on"})
    assert response.status_code == 302
    translated = CoursePage.objects.get(translation_key=course.translation_key, locale=en)
    assert translated.get_children().count() == 2
    # The copies point at quizzes in their own language (copied for the editor to translate).
    assert translated.final_assessment.locale == en
    assert translated.final_assessment.translation_key == course.final_assessment.translation_key
    first = translated.get_children().first().specific
    assert first.quiz.locale == en and first.quiz.questions.count() == 2


def test_quiz_can_be_translated(admin_client, course):
    quiz = course.final_assessment
    url = f"/cms/translation/submit/snippet/courses/quiz/{quiz.pk}/"
    from wagtail.models import Locale

    Quiz.objects.filter(translation_key=quiz.translation_key,
                        locale__language_code="en").delete()
    en = Locale.objects.get(language_code="en")
    response = admin_client.post(url, {"locales": [en.pk]})
    assert response.status_code == 302
    copy = Quiz.objects.get(translation_key=quiz.translation_key, locale=en)
    assert copy.questions.count() == quiz.questions.count()
    assert sum(q.choices.count() for q in copy.questions.all()) == sum(
        q.choices.count() for q in quiz.questions.all()
    )


# --- Arabic is edited right-to-left -----------------------------------------------------------
DIRECTION_JS = "/static/js/admin-locale-direction.js"


@pytest.fixture
def editor_admin_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize(("language", "direction", "name"), [
    ("ar", "rtl", "العربية"), ("fr", "ltr", "Français"), ("en", "ltr", "English"),
])
def test_page_editor_names_the_locale_and_its_direction(
    editor_admin_client, course, translation, language, direction, name
):
    page = course if language == "fr" else translation(language, course)
    lesson = page.get_children().first()
    for url in (f"/cms/pages/{page.pk}/edit/", f"/cms/pages/{lesson.pk}/edit/",
                f"/cms/pages/add/courses/lessonpage/{page.pk}/"):
        response = editor_admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert (
            f'data-passerelle-locale="{language}" data-passerelle-locale-dir="{direction}"'
        ) in html, url
        assert f'<bdi lang="{language}">{name}</bdi>' in html, url
        assert DIRECTION_JS in html, url


def test_snippet_editor_names_the_locale_of_an_arabic_quiz(editor_admin_client, course):
    quiz = Quiz.objects.get(
        translation_key=course.final_assessment.translation_key, locale__language_code="ar"
    )
    html = editor_admin_client.get(f"/cms/snippets/courses/quiz/edit/{quiz.pk}/").content.decode()
    assert 'data-passerelle-locale="ar" data-passerelle-locale-dir="rtl"' in html
    assert DIRECTION_JS in html


def test_listings_carry_no_content_direction(editor_admin_client, course):
    html = editor_admin_client.get("/cms/snippets/courses/quiz/?locale=ar").content.decode()
    assert "data-passerelle-locale-dir" not in html
