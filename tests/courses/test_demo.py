import pytest
from wagtail.models import Locale

from courses import demo, demo_content
from courses.models import CourseIndexPage, CoursePage, LessonPage, Quiz
from tests.courses.sample_module import SAMPLE_MODULE

pytestmark = pytest.mark.django_db


def test_load_creates_catalogue_in_each_language(loaded):
    titles = dict(
        CourseIndexPage.objects.live().values_list("locale__language_code", "title")
    )
    assert titles == {
        "fr": "Modules de formation", "en": "Training modules", "ar": "الوحدات التكوينية",
    }
    assert set(CourseIndexPage.objects.values_list("slug", flat=True)) == {"modules"}


def test_load_creates_module_with_translations_sharing_the_key(course):
    versions = CoursePage.objects.filter(translation_key=course.translation_key).live()
    assert {page.locale.language_code for page in versions} == {"fr", "en", "ar"}
    en = versions.get(locale__language_code="en")
    assert en.title == "Financial education kit"
    assert en.final_assessment.locale.language_code == "en"
    assert en.final_assessment.translation_key == course.final_assessment.translation_key
    lessons_fr = LessonPage.objects.child_of(course).order_by("path")
    lessons_en = LessonPage.objects.child_of(en).order_by("path")
    assert [lesson.translation_key for lesson in lessons_fr] == [
        lesson.translation_key for lesson in lessons_en
    ]
    assert lessons_en[0].quiz.questions.first().text == "en C1"
    assert list(course.audiences.values_list("code", flat=True)) == ["migrants_families"]


def test_load_is_idempotent(loaded):
    counts = (CoursePage.objects.count(), LessonPage.objects.count(), Quiz.objects.count())
    demo.load(modules=[SAMPLE_MODULE])
    assert (CoursePage.objects.count(), LessonPage.objects.count(), Quiz.objects.count()) == counts


def test_load_adds_a_missing_translation_later(site_tree):
    only_fr = {**SAMPLE_MODULE, "translations": {"fr": SAMPLE_MODULE["translations"]["fr"]}}
    [course] = demo.load(modules=[only_fr])
    assert not CoursePage.objects.filter(locale__language_code="ar").exists()
    demo.load(modules=[SAMPLE_MODULE])
    ar = CoursePage.objects.get(locale__language_code="ar")
    assert ar.translation_key == course.translation_key
    assert LessonPage.objects.child_of(ar).count() == 2


def test_load_skips_a_module_whose_translation_does_not_match(site_tree):
    broken = {**SAMPLE_MODULE, "key": "broken", "translations": {
        "fr": SAMPLE_MODULE["translations"]["fr"],
        "en": {**SAMPLE_MODULE["translations"]["en"],
               "lessons": SAMPLE_MODULE["translations"]["en"]["lessons"][:1]},
    }}
    assert demo.load(modules=[broken]) == []
    assert not CoursePage.objects.filter(key="broken").exists()


def test_demo_content_lists_present_modules_only():
    names = demo_content.module_names()
    assert "__init__" not in names
    for module in demo_content.modules():
        assert module["key"]


@pytest.mark.parametrize("module", demo_content.modules(), ids=lambda m: m["key"])
def test_real_demo_content_matches_the_format(module):
    """Checks the teaching content files (structure only) so translators get a clear error."""
    fr = module["translations"]["fr"]
    assert len(fr["lessons"]) >= 4
    assert len(fr["final_assessment"]["questions"]) >= 8
    for code in module["translations"]:
        if code != "fr":
            demo._check_structure(module, code)
    for lesson in fr["lessons"]:
        for block_type, _value in lesson["body"]:
            assert block_type in demo.BLOCK_TYPES


def test_real_demo_content_loads(site_tree):
    modules = demo_content.modules()
    if not modules:
        pytest.skip("no teaching content yet")
    courses = demo.load(modules=modules)
    assert len(courses) == len(modules)
    assert Locale.objects.filter(language_code="ar").exists()
