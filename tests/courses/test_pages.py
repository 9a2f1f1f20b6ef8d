"""Module and lesson pages: routing, cohort-only wording, other languages, diagnostics."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizAttempt
from tests.courses.test_quiz import answers_for

pytestmark = pytest.mark.django_db


def test_module_route_receives_the_remaining_components(course, lessons, monkeypatch):
    index = CourseIndexPage.objects.get(locale__language_code="fr")
    seen = []
    original = CoursePage.route

    def spy(self, request, path_components):
        seen.append(list(path_components))
        return original(self, request, path_components)

    monkeypatch.setattr(CoursePage, "route", spy)
    request = RequestFactory().get("/")
    result = index.route(request, [course.slug, lessons[0].slug])
    assert result.page.pk == lessons[0].pk
    assert result.kwargs["module"].pk == course.pk  # no query for the parent on the lesson page
    with pytest.raises(Http404):
        index.route(request, [course.slug, lessons[0].slug, "sub-url", "deeper"])
    assert seen == [[lessons[0].slug], [lessons[0].slug, "sub-url", "deeper"]]


def test_paths_that_are_not_module_or_lesson_route_as_wagtail_routes(course, monkeypatch):
    index = CourseIndexPage.objects.get(locale__language_code="fr")
    delegated = []
    original = Page.route

    def spy(self, request, path_components):
        delegated.append((type(self).__name__, list(path_components)))
        return original(self, request, path_components)

    monkeypatch.setattr(Page, "route", spy)
    request = RequestFactory().get("/")
    with pytest.raises(Http404):
        index.route(request, ["no-such-module", "a", "b"])
    with pytest.raises(Http404):
        course.route(request, ["not-a-lesson", "sub"])
    assert delegated == [("CourseIndexPage", ["no-such-module", "a", "b"]),
                         ("CoursePage", ["not-a-lesson", "sub"])]


def test_lesson_page_served_under_its_module(client, course, lessons):
    response = client.get(lessons[1].url)
    assert response.status_code == 200
    assert response.context["course"].pk == course.pk
    assert client.get(lessons[1].url + "extra/").status_code == 404


def test_cohort_only_quiz_says_how_to_join(learner_client, loaded):
    cohort = loaded["cohort"]
    lesson = LessonPage.objects.child_of(cohort).order_by("path").first()
    html = learner_client.get(lesson.url).content.decode()
    with translation.override("fr"):
        enrol_to_take = translation.gettext("Enrol to take this quiz.")
        for_members = translation.gettext(
            "This quiz is for members of a group: join one to take it (see above)."
        )
        how_to_join = translation.gettext(
            "This module is taught in groups with a trainer: its quizzes are for group "
            "members. To join a group, ask your trainer, your organisation or the "
            "programme team."
        )
        enrol_first = translation.gettext("Enrol in this module to take its quizzes.")
    assert enrol_to_take not in html
    assert for_members in html
    assert reverse("courses:enrol", args=[cohort.pk]) not in html
    response = learner_client.get(reverse("courses:quiz", args=[lesson.pk, lesson.quiz_id]))
    assert response.status_code == 403
    assert how_to_join in response.content.decode()
    assert enrol_first not in response.content.decode()


def test_arabic_catalogue_lists_modules_available_in_other_languages(client, loaded):
    html = client.get("/ar/modules/").content.decode()
    cohort = loaded["cohort"]
    assert f'href="{cohort.url}" lang="fr"' in html  # the French-only module, linked
    assert "Inspection du travail" in html
    french = client.get("/fr/modules/").content.decode()
    assert 'id="elsewhere-title"' not in french  # every module is in French


def test_pre_test_is_a_diagnostic(learner_client, learner, course, enrolled):
    pre = course.pre_test
    response = learner_client.get(reverse("courses:quiz", args=[course.pk, pre.pk]))
    html = response.content.decode()
    count = pre.questions.count()
    with translation.override("fr"):
        diagnostic = translation.ngettext(
            "%(counter)s question · diagnostic — no pass mark",
            "%(counter)s questions · diagnostic — no pass mark", count,
        ) % {"counter": count}
        passed = translation.gettext("Well done, you passed.")
        no_pass_mark = translation.gettext(
            "This was a diagnostic, with no pass mark: it shows what you already know before "
            "the lessons."
        )
        on_module = translation.gettext(
            "diagnostic, optional, no pass mark: see what you already know"
        )
    assert diagnostic in html and "70\u202f%" not in html  # no pass mark shown
    learner_client.post(reverse("courses:quiz", args=[course.pk, pre.pk]), {
        f"q-{qid}": values for qid, values in answers_for(pre).items()})
    attempt = QuizAttempt.objects.get(quiz=pre)
    result = learner_client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    assert passed not in result
    assert no_pass_mark in result
    assert on_module in learner_client.get(course.url).content.decode()


def test_failed_true_false_review_does_not_give_the_answer_away(learner, course, lessons,
                                                               enrolled, learner_client):
    final = course.final_assessment
    attempt = services.quiz_attempt_submit(
        user=learner, quiz=final, answers=answers_for(final, right=False), course=course
    )
    html = learner_client.get(reverse("courses:attempt", args=[attempt.pk])).content.decode()
    with translation.override("fr"):
        later = translation.gettext(
            "The right answers are shown once you pass or have no attempt left."
        )
        not_correct = translation.gettext("Not correct")
    assert later in html
    true_false = final.questions.get(kind="true_false")
    wrong = true_false.choices.get(is_correct=False)
    assert wrong.feedback and wrong.feedback not in html
    # The single-choice question keeps its verdict; the true/false one does not.
    assert html.count(not_correct) == 1
