import shutil

import pytest
from wagtail.models import Locale

from courses import demo, demo_content
from courses.demo import DemoContentError
from courses.models import (
    Choice,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    Question,
    Quiz,
)
from tests.courses.sample_module import SAMPLE_MODULE

pytestmark = pytest.mark.django_db

REAL_KEYS = [
    "financial-education", "labour-intermediation", "labour-inspection", "skills-certification",
]
# What the four modules held as Python dicts, before they became data files, per language:
# (lessons, quizzes, questions, choices, correct choices).
REAL_COUNTS = {
    ("financial-education", "fr"): (5, 7, 27, 81, 41),
    ("financial-education", "en"): (5, 7, 27, 81, 41),
    ("financial-education", "ar"): (5, 7, 27, 81, 41),
    ("labour-intermediation", "fr"): (5, 7, 31, 98, 50),
    ("labour-intermediation", "en"): (5, 7, 31, 98, 50),
    ("labour-inspection", "fr"): (5, 7, 30, 95, 45),
    ("labour-inspection", "en"): (5, 7, 30, 95, 45),
    ("skills-certification", "fr"): (5, 7, 31, 93, 49),
    ("skills-certification", "en"): (5, 7, 31, 93, 49),
}
# The correct choices of each French final assessment, question by question.
REAL_FINAL_ANSWERS = {
    "financial-education": "a abd a a b abcd a abc b a",
    "labour-intermediation": "c c abc b a abc b b abd a",
    "labour-inspection": "b abc b b abc b abc a b b",
    "skills-certification": "a abc b a a b abc a a abc",
}


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


def test_load_is_idempotent(loaded, enrolled):
    counts = (CoursePage.objects.count(), LessonPage.objects.count(), Quiz.objects.count())
    demo.load(modules=[SAMPLE_MODULE])
    assert (CoursePage.objects.count(), LessonPage.objects.count(), Quiz.objects.count()) == counts
    assert list(Enrolment.objects.values_list("pk", "course_id")) == [
        (enrolled.pk, loaded["open"].pk)
    ]


def test_load_adds_a_missing_translation_later(site_tree):
    only_fr = {**SAMPLE_MODULE, "translations": {"fr": SAMPLE_MODULE["translations"]["fr"]}}
    [course] = demo.load(modules=[only_fr])
    assert not CoursePage.objects.filter(locale__language_code="ar").exists()
    demo.load(modules=[SAMPLE_MODULE])
    ar = CoursePage.objects.get(locale__language_code="ar")
    assert ar.translation_key == course.translation_key
    assert LessonPage.objects.child_of(ar).count() == 2


def test_load_refuses_a_module_whose_translation_does_not_match(site_tree):
    broken = {**SAMPLE_MODULE, "key": "broken", "translations": {
        "fr": SAMPLE_MODULE["translations"]["fr"],
        "en": {**SAMPLE_MODULE["translations"]["en"],
               "lessons": SAMPLE_MODULE["translations"]["en"]["lessons"][:1]},
    }}
    with pytest.raises(DemoContentError, match=r"broken \(en\): not the same number of lessons"):
        demo.load(modules=[SAMPLE_MODULE, broken])
    assert not CoursePage.objects.filter(key="broken").exists()
    assert not CoursePage.objects.exists()  # checked before anything is written


def _with_correct(module: dict, code: str, correct: bool) -> dict:
    """``module`` whose first final-assessment choice in ``code`` says ``correct``."""
    text = module["translations"][code]
    final = text["final_assessment"]
    first, *others = final["questions"]
    question = {**first, "choices": [{**first["choices"][0], "correct": correct},
                                     *first["choices"][1:]]}
    translated = {**text, "final_assessment": {**final, "questions": [question, *others]}}
    return {**module, "translations": {**module["translations"], code: translated}}


def test_load_refuses_a_translation_whose_correct_answers_differ_from_french(site_tree):
    with pytest.raises(DemoContentError, match=r"\(ar\) final_assessment, question 1, choice 1"):
        demo.load(modules=[_with_correct(SAMPLE_MODULE, "ar", False)])
    with pytest.raises(DemoContentError, match=r"\(fr\) final_assessment, question 1: no correct"):
        demo.load(modules=[_with_correct(SAMPLE_MODULE, "fr", False)])
    assert not CoursePage.objects.exists()


def test_demo_content_lists_present_modules_only():
    names = demo_content.module_names()
    assert "__init__" not in names
    assert names == REAL_KEYS
    for module in demo_content.modules():
        assert module["key"]


@pytest.mark.parametrize("module", demo_content.modules(), ids=lambda m: m["key"])
def test_real_demo_content_matches_the_format(module):
    """Checks the teaching content files (structure only) so translators get a clear error."""
    fr = module["translations"]["fr"]
    assert len(fr["lessons"]) >= 4
    assert len(fr["final_assessment"]["questions"]) >= 8
    demo.module_validate(module)
    for lesson in fr["lessons"]:
        for block_type, _value in lesson["body"]:
            assert block_type in demo.BLOCK_TYPES


def _content_counts() -> dict[tuple[str, str], tuple[int, ...]]:
    counts = {}
    for course in CoursePage.objects.select_related("locale"):
        source = CoursePage.objects.get(
            translation_key=course.translation_key, locale__language_code="fr"
        )
        lessons = LessonPage.objects.child_of(course)
        quiz_ids = [course.pre_test_id, course.final_assessment_id,
                    *lessons.exclude(quiz=None).values_list("quiz_id", flat=True)]
        choices = Choice.objects.filter(question__quiz__in=quiz_ids)
        counts[(source.key, course.locale.language_code)] = (
            lessons.count(), len(set(quiz_ids)), Question.objects.filter(quiz__in=quiz_ids).count(),
            choices.count(), choices.filter(is_correct=True).count(),
        )
    return counts


def _correct_answers(quiz: Quiz) -> str:
    return " ".join(
        "".join("abcdefgh"[n] for n, choice in enumerate(question.choices.order_by("sort_order"))
                if choice.is_correct)
        for question in quiz.questions.order_by("sort_order")
    )


def test_real_demo_content_loads(site_tree):
    modules = demo_content.modules()
    courses = demo.load(modules=modules)
    assert len(courses) == len(modules) == 4
    assert Locale.objects.filter(language_code="ar").exists()
    assert _content_counts() == REAL_COUNTS
    for course in courses:
        assert _correct_answers(course.final_assessment) == REAL_FINAL_ANSWERS[course.key]
    # Every translation has the French correct answers, quiz by quiz.
    for quiz in Quiz.objects.exclude(locale__language_code="fr"):
        source = Quiz.objects.get(translation_key=quiz.translation_key, locale__language_code="fr")
        assert _correct_answers(quiz) == _correct_answers(source), quiz.title

    keys = sorted(CoursePage.objects.values_list("translation_key", "locale_id", "pk"))
    demo.load()  # the real files again, read from disk: nothing changes
    assert sorted(CoursePage.objects.values_list("translation_key", "locale_id", "pk")) == keys
    assert _content_counts() == REAL_COUNTS


# --- Broken files: copies in tmp_path, the real files stay as they are -------------------------


@pytest.fixture
def content_copy(tmp_path):
    """A copy of the real financial education kit (fr, en, ar); edit(name, old, new) breaks it."""
    folder = tmp_path / "financial-education"
    shutil.copytree(demo_content.CONTENT_DIR / "financial-education", folder)

    def edit(name: str, old: str, new: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit.folder = folder
    return edit


def _error(directory) -> str:
    with pytest.raises(DemoContentError) as caught:
        demo_content.modules(directory)
    return str(caught.value)


def test_content_copy_reads_like_the_real_files(content_copy):
    [module] = demo_content.modules(content_copy.folder.parent)
    assert module == demo_content.module_read(demo_content.CONTENT_DIR / "financial-education")


def test_missing_text_in_arabic_names_file_and_id(content_copy):
    content_copy("ar.toml", '[choices.final-q3b]\ntext = "أنها تدرّ فوائد كثيرة جدًا"\n',
                 "[choices.final-q3b]\n")
    message = _error(content_copy.folder.parent)
    assert "financial-education/ar.toml: [choices.final-q3b]: missing `text`" in message


def test_missing_id_in_arabic_names_file_and_id(content_copy):
    content_copy("ar.toml", "[lessons.credit-et-surendettement]\n", "[lessons.credit]\n")
    message = _error(content_copy.folder.parent)
    assert "ar.toml: [lessons.credit-et-surendettement]: missing" in message
    assert "ar.toml: [lessons.credit]: unknown id (not in structure.toml)" in message


def test_unknown_id_names_file_and_id(content_copy):
    content_copy("en.toml", "[questions.final-q1]\n",
                 '[questions.final-q99]\ntext = "?"\n\n[questions.final-q1]\n')
    message = _error(content_copy.folder.parent)
    assert "en.toml: [questions.final-q99]: unknown id (not in structure.toml)" in message


def test_question_without_correct_choice_names_it(content_copy):
    content_copy("structure.toml", 'id = "final-q4"\nkind = "true_false"\n'
                 'choices = ["final-q4a", "final-q4b"]\ncorrect = ["final-q4a"]',
                 'id = "final-q4"\nkind = "true_false"\n'
                 'choices = ["final-q4a", "final-q4b"]\ncorrect = []')
    message = _error(content_copy.folder.parent)
    assert "financial-education/structure.toml: final-q4: has no correct choice" in message


def test_single_choice_question_with_two_correct_choices_names_it(content_copy):
    content_copy("structure.toml", 'correct = ["final-q1a"]',
                 'correct = ["final-q1a", "final-q1b"]')
    message = _error(content_copy.folder.parent)
    assert "structure.toml: final-q1: a single question needs exactly one correct choice" in message


def test_unknown_question_and_block_kinds_name_them(content_copy):
    content_copy("structure.toml", 'id = "final-q2"\nkind = "multiple"',
                 'id = "final-q2"\nkind = "essay"')
    content_copy("structure.toml", '{ id = "faire-son-budget-b3", kind = "glossary" }',
                 '{ id = "faire-son-budget-b3", kind = "video" }')
    message = _error(content_copy.folder.parent)
    assert "structure.toml: final-q2: kind 'essay' is not one of" in message
    assert "structure.toml: faire-son-budget-b3: kind 'video' is not one of" in message


def test_toml_syntax_error_names_file_and_line(content_copy):
    content_copy("fr.toml", '[module]\ntitle = "', '[module]\ntitle = "unterminated\n')
    message = _error(content_copy.folder.parent)
    assert "financial-education/fr.toml: TOML syntax error" in message
    assert "line 4" in message


def test_broken_file_stops_the_load_before_anything_is_written(site_tree, content_copy):
    content_copy("ar.toml", "[blocks.faire-son-budget-b1]", "[blocks.faire-son-budget-b0]")
    missing = r"ar\.toml: \[blocks\.faire-son-budget-b1\]: missing"
    with pytest.raises(DemoContentError, match=missing):
        demo.load(directory=content_copy.folder.parent)
    assert not CoursePage.objects.exists()
    assert not Quiz.objects.exists()


def test_optional_flag_stated_once_applies_to_every_language(site_tree, content_copy):
    content_copy("structure.toml", 'id = "projet-retour-investissement"\nminutes = 60\n',
                 'id = "projet-retour-investissement"\nminutes = 60\noptional = true\n')
    [course] = demo.load(directory=content_copy.folder.parent)
    last = LessonPage.objects.child_of(course).order_by("path").last()
    versions = LessonPage.objects.filter(translation_key=last.translation_key)
    assert sorted(versions.values_list("locale__language_code", "is_optional")) == [
        ("ar", True), ("en", True), ("fr", True),
    ]
    assert not LessonPage.objects.filter(is_optional=True).exclude(
        translation_key=last.translation_key
    ).exists()
