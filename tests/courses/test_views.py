import pytest
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.models import CoursePage, Enrolment, EnrolmentStatus, LessonPage, LessonProgress

pytestmark = pytest.mark.django_db


def test_catalogue_redirects_to_the_catalogue_of_the_current_language(client, loaded):
    response = client.get("/ar/learning/modules/")
    assert response.status_code == 302 and response["Location"] == "/ar/modules/"
    assert client.get("/en/learning/modules/")["Location"] == "/en/modules/"


def test_catalogue_lists_cards_with_languages_and_audiences(client, loaded):
    html = client.get("/fr/modules/").content.decode()
    assert "Kit d&#x27;éducation financière" in html
    assert "Inspection du travail" in html
    assert 'lang="ar"' in html  # the kit exists in Arabic
    assert "Migrant workers and their families" in html or "migrants" in html.lower()


@pytest.mark.parametrize("query,expected", [
    ("?audience=labour_inspectors", ["Inspection du travail"]),
    ("?topic=financial_education", ["Kit d&#x27;éducation financière"]),
    ("?q=budget", ["Kit d&#x27;éducation financière"]),
])
def test_catalogue_filters(client, loaded, query, expected):
    html = client.get(f"/fr/modules/{query}").content.decode()
    for title in ["Kit d&#x27;éducation financière", "Inspection du travail"]:
        assert (f">{title}</a>" in html) == (title in expected), title


MODULES_FR = ["Kit d&#x27;éducation financière", "Inspection du travail"]


# What is listed: every module when nothing searchable is left, none when the words match
# nothing, not pinned (None) where the words left are backend operators.
@pytest.mark.parametrize("raw,listed", [
    ("%00", MODULES_FR), ("%22", MODULES_FR), ("budget%22%20OR", None), ("a%20AND%20(", None),
    ("*", MODULES_FR), ("%3Cscript%3E", []), ("x" * 500, []), ("NEAR(a b)", None),
    ("%27%3B--", []),
])
def test_catalogue_search_survives_hostile_queries(client, loaded, raw, listed):
    response = client.get(f"/fr/modules/?q={raw}&audience=%3Cx%3E&topic=zz")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html
    if listed is not None:
        assert [title for title in MODULES_FR if f">{title}</a>" in html] == listed


def test_catalogue_in_arabic_shows_only_the_arabic_module(client, loaded):
    response = client.get("/ar/modules/")
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "عدة التربية المالية" in html
    # Modules with no Arabic version are only listed apart, as available in other languages.
    listed, _, elsewhere = html.partition('id="elsewhere-title"')
    assert "Inspection du travail" not in listed
    assert "Inspection du travail" in elsewhere


def test_drafts_are_never_served(client, learner_client, course, lessons):
    draft = LessonPage(title="Brouillon", slug="brouillon", locale=course.locale)
    course.add_child(instance=draft)
    draft.unpublish() if draft.live else None
    assert client.get(draft.url_path.replace("/accueil", "/fr", 1)).status_code == 404
    lessons[1].unpublish()
    assert learner_client.get(f"/fr/modules/{course.slug}/{lessons[1].slug}/").status_code == 404
    response = learner_client.post(reverse("courses:lesson_complete", args=[lessons[1].pk]))
    assert response.status_code == 404


def test_unpublished_module_hides_its_lessons(client, course, lessons):
    url = lessons[0].url
    assert client.get(url).status_code == 200
    course.unpublish()
    assert client.get(url).status_code == 404


def test_anonymous_reader_sees_the_lesson_and_a_login_invitation(client, lessons):
    response = client.get(lessons[0].url)
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_enrol_then_withdraw_then_re_enrol(learner_client, learner, course, lessons):
    response = learner_client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and response["Location"] == lessons[0].url
    assert Enrolment.objects.get(user=learner).status == EnrolmentStatus.ACTIVE
    learner_client.post(reverse("courses:withdraw", args=[course.pk]))
    assert Enrolment.objects.get(user=learner).status == EnrolmentStatus.WITHDRAWN
    html = learner_client.get(course.url).content.decode()
    assert reverse("courses:enrol", args=[course.pk]) in html
    learner_client.post(reverse("courses:enrol", args=[course.pk]))
    assert Enrolment.objects.get(user=learner).status == EnrolmentStatus.ACTIVE


def test_cohort_module_explains_how_to_join_instead_of_an_enrol_button(learner_client, loaded):
    cohort = loaded["cohort"]
    html = learner_client.get(cohort.url).content.decode()
    assert reverse("courses:enrol", args=[cohort.pk]) not in html
    with translation.override("fr"):
        assert translation.gettext("This module is taught in groups with a trainer.") in html
    response = learner_client.post(reverse("courses:enrol", args=[cohort.pk]))
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_mark_as_done_goes_to_the_next_lesson(learner_client, learner, enrolled, lessons):
    response = learner_client.post(reverse("courses:lesson_complete", args=[lessons[0].pk]))
    assert response.status_code == 302 and response["Location"] == lessons[1].url
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_mark_as_done_without_enrolment_is_refused(learner_client, lessons):
    response = learner_client.post(reverse("courses:lesson_complete", args=[lessons[0].pk]))
    assert response.status_code == 403
    assert "Enrol" in response.content.decode() or "Inscri" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_actions_need_post_and_login(client, learner, course, lessons):
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(learner)
    assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405
    client.logout()
    response = client.post(reverse("courses:lesson_complete", args=[lessons[0].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_lesson_visit_is_remembered_for_resume(learner_client, learner, enrolled, lessons,
                                               translation):
    # Reading never writes: the page posts the visit (a beacon from courses.js).
    html = learner_client.get(translation("ar", lessons[1]).url).content.decode()
    assert Enrolment.objects.get(user=learner).last_lesson_id is None
    visit_url = reverse("courses:lesson_visit", args=[translation("ar", lessons[1]).pk])
    assert f'action="{visit_url}" data-lesson-visit' in html
    assert learner_client.post(visit_url).status_code == 204
    assert Enrolment.objects.get(user=learner).last_lesson_id == lessons[1].pk
    html = learner_client.get("/ar/learning/").content.decode()
    assert translation("ar", lessons[1]).url in html


def test_my_learning_lists_progress_and_resume(learner_client, learner, course, lessons,
                                               enrolled):
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    html = learner_client.get("/fr/learning/").content.decode()
    # 1 of 2 lessons and the final assessment not passed: 1 of 3 requirement units.
    assert '<progress id="progress-' in html and 'value="33"' in html
    assert lessons[1].url in html  # first lesson not done yet
    en_html = learner_client.get("/en/learning/").content.decode()
    assert "Financial education kit" in en_html


def test_course_page_shows_progress_and_resume(learner_client, learner, course, lessons, enrolled):
    services.lesson_progress_complete(user=learner, lesson=lessons[0])
    html = learner_client.get(course.url).content.decode()
    assert 'value="33"' in html  # 1 of 2 lessons, final assessment not passed yet
    assert f'href="{lessons[1].url}"' in html


def test_my_learning_needs_login(client):
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302


def test_editor_page_types_are_restricted():
    assert CoursePage.parent_page_types == ["courses.CourseIndexPage"]
    assert LessonPage.subpage_types == []


def test_lesson_whose_quiz_block_points_to_a_deleted_quiz_still_renders(client, lessons):
    from tests.factories import quiz_build

    lesson = lessons[0].specific
    practice = quiz_build(locale=lesson.locale, title="Practice")
    lesson.body.append(("quiz", {"quiz": practice, "text": "Try it"}))
    lesson.save_revision().publish()
    assert "Practice" in client.get(lesson.url).content.decode()
    practice.delete()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Try it" not in response.content.decode()
