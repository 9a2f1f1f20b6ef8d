"""Builders for modules of any size (query-count tests and the bench)."""

from courses.models import (
    Choice,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Question,
    Quiz,
    QuizPurpose,
)


def quiz_build(*, locale, title="Quiz", questions=2, purpose=QuizPurpose.CHECK, pass_mark=70,
               max_attempts=3) -> Quiz:
    """A quiz whose first choice of every question is the correct one."""
    quiz = Quiz(title=title, purpose=purpose, pass_mark=pass_mark, max_attempts=max_attempts,
                locale=locale)
    quiz.questions = [
        Question(text=f"Q{i}", kind="single", sort_order=i, choices=[
            Choice(text="right", is_correct=True, sort_order=0),
            Choice(text="wrong", is_correct=False, sort_order=1),
        ])
        for i in range(questions)
    ]
    quiz.save()
    return quiz


def course_build(*, index: CourseIndexPage, lessons: int = 5, slug: str = "module",
                 with_quiz: bool = True, final: bool = False, mode: str = "open") -> CoursePage:
    """A published module with ``lessons`` published lessons, each with a check quiz."""
    locale = index.locale
    course = CoursePage(
        title=f"Module {slug}", slug=slug, summary="Summary", topic="financial_education",
        locale=locale, enrolment_mode=mode,
        final_assessment=quiz_build(locale=locale, purpose=QuizPurpose.FINAL) if final else None,
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    body = [
        {"type": "heading", "value": "Heading"},
        {"type": "paragraph", "value": "<p>" + "Some text. " * 40 + "</p>"},
        {"type": "callout", "value": {"kind": "tip", "title": "Tip", "text": "<p>Tip</p>"}},
        {"type": "glossary", "value": {"term": "Term", "definition": "Definition"}},
    ]
    for number in range(lessons):
        lesson = LessonPage(
            title=f"Lesson {number + 1}", slug=f"lesson-{number + 1}", locale=locale, body=body,
            quiz=quiz_build(locale=locale, title=f"Check {number + 1}") if with_quiz else None,
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course
