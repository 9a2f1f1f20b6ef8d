"""A content editor (not a superuser) translates a module into Arabic and saves it at once."""

from html.parser import HTMLParser

import pytest
from wagtail.models import Locale

from courses.models import CoursePage, LessonPage, Quiz

pytestmark = pytest.mark.django_db

MODULE_KEY = "labour-intermediation"


class _FormFields(HTMLParser):
    """What a browser without JavaScript would submit from the form with ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self._select = self._textarea = None
        self._options: list[tuple[str, bool]] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.inside or attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in attrs), []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.data.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_data(html: str, form_id: str = "page-edit-form") -> dict:
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def intermediation(site_tree):
    """The real intermediation demo module, as `make run` loads it (no Arabic version)."""
    from courses import demo, demo_content

    [module] = [m for m in demo_content.modules() if m["key"] == MODULE_KEY]
    [course] = demo.load(modules=[module])
    assert not CoursePage.objects.filter(
        translation_key=course.translation_key, locale__language_code="ar"
    ).exists()
    return course


@pytest.fixture
def arabic():
    return Locale.objects.get(language_code="ar")


def translated(page, locale) -> CoursePage:
    return CoursePage.objects.get(translation_key=page.translation_key, locale=locale)


def translate(client, page, locale):
    return client.post(
        f"/cms/translation/submit/page/{page.pk}/",
        {"locales": [locale.pk], "include_subtree": "on"},
    )


def test_editor_sees_the_translate_action(editor_client, intermediation):
    url = f"/cms/translation/submit/page/{intermediation.pk}/"
    response = editor_client.get(f"/cms/pages/{intermediation.pk}/edit/")
    assert response.status_code == 200
    assert url in response.content.decode()
    form = editor_client.get(url)
    assert form.status_code == 200
    assert "include_subtree" in form.content.decode()


def test_editor_translates_a_module_into_arabic_with_its_lessons(
    editor_client, intermediation, arabic
):
    response = translate(editor_client, intermediation, arabic)
    assert response.status_code == 302, response.content.decode()[:500]
    course_ar = translated(intermediation, arabic)
    assert response["Location"] == f"/cms/pages/{course_ar.pk}/edit/"
    assert LessonPage.objects.child_of(course_ar).count() == (
        LessonPage.objects.child_of(intermediation).count()
    )


def test_translation_carries_every_quiz_link_to_the_new_language(
    editor_client, intermediation, arabic
):
    assert translate(editor_client, intermediation, arabic).status_code == 302
    course_ar = translated(intermediation, arabic)
    # What the page editor opens is the latest revision: it must name Arabic quizzes too.
    for page in (course_ar, course_ar.get_latest_revision_as_object()):
        for name in ("pre_test", "final_assessment"):
            source = getattr(intermediation, name)
            quiz = getattr(page, name)
            if source is None:
                assert quiz is None
                continue
            assert quiz.locale == arabic, name
            assert quiz.translation_key == source.translation_key
            assert quiz.questions.count() == source.questions.count()
    assert intermediation.pre_test is not None  # the link the bug report names
    lessons_fr = {p.translation_key: p for p in LessonPage.objects.child_of(intermediation)}
    with_quiz = 0
    for lesson in LessonPage.objects.child_of(course_ar):
        source = lessons_fr[lesson.translation_key]
        for version in (lesson, lesson.get_latest_revision_as_object()):
            if source.quiz is None:
                assert version.quiz is None
                continue
            assert version.quiz.locale == arabic
            assert version.quiz.translation_key == source.quiz.translation_key
            version.full_clean()
            with_quiz += 1
    assert with_quiz > 0


def test_translated_module_saves_at_once_in_the_page_editor(editor_client, intermediation, arabic):
    translate(editor_client, intermediation, arabic)
    course_ar = translated(intermediation, arabic)
    edit_url = f"/cms/pages/{course_ar.pk}/edit/"
    page = editor_client.get(edit_url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert data["title"] == intermediation.title  # the copy, for the editor to rewrite
    data["title"] = "الوساطة الدولية في التشغيل"
    response = editor_client.post(edit_url, data)
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "error" in line
    ][:10]
    course_ar.refresh_from_db()
    assert course_ar.get_latest_revision_as_object().title == "الوساطة الدولية في التشغيل"
    assert course_ar.get_latest_revision_as_object().pre_test.locale == arabic


def test_quiz_blocks_in_a_lesson_body_follow_the_translation(editor_client, site_tree, arabic):
    from courses import demo
    from tests.courses.sample_module import SAMPLE_MODULE

    only_fr = {**SAMPLE_MODULE, "translations": {"fr": SAMPLE_MODULE["translations"]["fr"]}}
    [course] = demo.load(modules=[only_fr])
    lesson = LessonPage.objects.child_of(course).first().specific
    practice = Quiz.objects.get(pk=course.final_assessment_id)
    lesson.body = [*((b.block_type, b.value) for b in lesson.body),
                   ("quiz", {"quiz": practice, "text": "Entraînez-vous"})]
    lesson.save_revision().publish()

    assert translate(editor_client, course, arabic).status_code == 302
    lesson_ar = LessonPage.objects.get(translation_key=lesson.translation_key, locale=arabic)
    for version in (lesson_ar, lesson_ar.get_latest_revision_as_object()):
        [block] = [b for b in version.body if b.block_type == "quiz"]
        assert block.value["quiz"].locale == arabic
        assert block.value["quiz"].translation_key == practice.translation_key
        assert block.value["text"] == "Entraînez-vous"
        assert [b.block_type for b in version.body] == [b.block_type for b in lesson.body]
    # One Arabic copy of the quiz, shared by the final assessment and the block.
    assert Quiz.objects.filter(translation_key=practice.translation_key, locale=arabic).count() == 1


def test_editor_translates_a_quiz_snippet(editor_client, site_tree, arabic):
    from courses import demo
    from tests.courses.sample_module import SAMPLE_MODULE

    only_fr = {**SAMPLE_MODULE, "translations": {"fr": SAMPLE_MODULE["translations"]["fr"]}}
    [course] = demo.load(modules=[only_fr])
    quiz = course.final_assessment
    url = f"/cms/translation/submit/snippet/courses/quiz/{quiz.pk}/"
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"locales": [arabic.pk]}).status_code == 302
    copy = Quiz.objects.get(translation_key=quiz.translation_key, locale=arabic)
    assert copy.questions.count() == quiz.questions.count()
    assert editor_client.get(f"/cms/snippets/courses/quiz/edit/{copy.pk}/").status_code == 200


def test_a_learner_or_trainer_cannot_translate(client, learner, trainer, intermediation, arabic):
    for user in (learner, trainer):
        client.force_login(user)
        response = translate(client, intermediation, arabic)
        assert response.status_code == 302  # Wagtail sends those without admin access away
        assert not CoursePage.objects.filter(locale=arabic).exists()


def test_editors_may_edit_every_locales_home_and_catalogue(editor_client, loaded):
    from courses.models import CourseIndexPage
    from lms.models import HomePage

    for model in (HomePage, CourseIndexPage):
        pages = list(model.objects.all())
        assert {p.locale.language_code for p in pages} == {"fr", "en", "ar"}
        for page in pages:
            assert editor_client.get(f"/cms/pages/{page.pk}/edit/").status_code == 200, page


def test_editors_get_the_translation_permission_at_every_migrate(editor):
    from django.contrib.auth.models import Group

    from lms.access import Role
    from lms.apps import _ensure_roles

    editors = Group.objects.get(name=Role.EDITOR)
    editors.permissions.remove(*editors.permissions.filter(codename="submit_translation"))
    _ensure_roles()
    assert editors.permissions.filter(
        content_type__app_label="simple_translation", codename="submit_translation"
    ).exists()
