"""A migrant learner on a phone (360×740): finds the financial education kit in the catalogue,
enrols, reads a lesson, fails then passes its check quiz, is shown the final assessment still
missing, passes it and completes the module — in French and in Arabic (RTL). Uses the real
teaching content when present, the sample module otherwise."""

import re

import pytest

from tests.conftest import axe_violations, save_screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Un-mot-de-passe-solide-42"
KIT_KEY = "financial-education"


def _assert_accessible(page, where: str):
    violations = axe_violations(page)
    assert not violations, f"{where}: {violations}"


def _load_kit():
    from courses import demo, demo_content
    from tests.courses.sample_module import SAMPLE_MODULE

    real = [module for module in demo_content.modules() if module["key"] == KIT_KEY]
    [course] = demo.load(modules=real or [SAMPLE_MODULE])
    return course


def _answer(page, quiz, *, right: bool):
    from courses.selectors import quiz_questions

    for question in quiz_questions(quiz=quiz):
        choices = list(question.choices.all())
        picked = [c for c in choices if c.is_correct == right]
        if question.kind != "multiple":
            picked = picked[:1]
        for choice in picked:
            page.check(f"#choice-{choice.pk}")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_learner_finds_enrols_learns_and_completes_the_kit(live_server, page_for, language):
    from wagtail.models import Locale

    from courses.models import CoursePage, LessonPage
    from tests.factories import UserFactory

    course_fr = _load_kit()
    locale = Locale.objects.get(language_code=language)
    course = course_fr.get_translation(locale).specific
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    quiz_lesson = next(lesson for lesson in lessons if lesson.quiz_id)
    user = UserFactory(email=f"amina.{language}@example.org", password=PASSWORD,
                       preferred_language=language)

    page = page_for("mobile", locale="ar" if language == "ar" else "fr-FR")
    # Log in, coming back to the catalogue (the nav's "Modules" link).
    page.goto(f"{live_server.url}/{language}/accounts/login/?next=/{language}/learning/modules/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/{language}/modules/"))

    # Catalogue: filter on the learner's audience, find the kit.
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.select_option("#catalogue-audience", "migrants_families")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"audience=migrants_families"))
    _assert_accessible(page, "catalogue")
    save_screenshot(page, f"courses-catalogue-{language}")
    page.get_by_role("link", name=course.title).click()
    page.wait_for_url(re.compile(re.escape(course.url)))
    _assert_accessible(page, "course")

    # Enrol: lands on the first lesson.
    page.locator(f"form[action$='/modules/{course.pk}/enrol/'] button").click()
    page.wait_for_url(re.compile(re.escape(lessons[0].url)))
    assert page.locator(".message--success").count() == 1

    # Read the lesson with a quiz; fail, then pass.
    page.goto(f"{live_server.url}{quiz_lesson.url}")
    _assert_accessible(page, "lesson")
    save_screenshot(page, f"courses-lesson-{language}")
    _answer(page, quiz_lesson.quiz, right=False)
    page.locator(".quiz-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/learning/attempts/"))
    assert page.locator(".result--failed").count() == 1
    assert page.locator("[data-autofocus]").evaluate("el => el === document.activeElement")
    _assert_accessible(page, "quiz result")
    page.locator(f"a[href*='/quizzes/{quiz_lesson.quiz_id}/']").first.click()
    page.wait_for_url(re.compile(r"/quizzes/"))
    _answer(page, quiz_lesson.quiz, right=True)
    page.locator(".quiz-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/learning/attempts/"))
    assert page.locator(".result--passed").count() == 1

    # Mark the other lessons as done.
    for lesson in lessons:
        page.goto(f"{live_server.url}{lesson.url}")
        button = page.locator("form[action$='/done/'] button")
        if button.count():
            button.click()
            page.wait_for_load_state()

    # Every lesson done, the final assessment not yet: never 100 %, and a link to the test.
    page.goto(f"{live_server.url}/{language}/learning/")
    progress = page.locator(f"#progress-{course_fr.enrolments.get(user=user).pk}")
    assert progress.get_attribute("value") != "100"
    final_link = page.locator(
        f".requirement.is-missing a[href*='/quizzes/{course.final_assessment_id}/']"
    )
    assert final_link.count() == 1
    _assert_accessible(page, "my learning")
    save_screenshot(page, f"courses-my-learning-{language}")

    # Take it from there and pass: the module is completed, the result page says so.
    final_link.click()
    page.wait_for_url(re.compile(r"/quizzes/"))
    _answer(page, course.final_assessment, right=True)
    page.locator(".quiz-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/learning/attempts/"))
    assert page.locator(".result--passed").count() == 1
    assert page.locator("#outcome-title").count() == 1
    _assert_accessible(page, "final result")
    page.goto(f"{live_server.url}/{language}/learning/")
    assert page.locator(".learning-list .done-mark").count() == 1
    assert page.locator(f"#progress-{course_fr.enrolments.get(user=user).pk}").count() == 0
    assert CoursePage.objects.filter(pk=course_fr.pk).exists()
