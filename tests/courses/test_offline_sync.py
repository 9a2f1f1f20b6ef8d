"""The sync endpoint of the offline app (courses.offline, CONTRACT): each outbox event applied
once by its key, per-event results in order, ownership, 401 / CSRF 403 keep everything,
one bad event never undoes the others, attempt limits and changed quizzes, the register."""
# ruff: noqa: F811  (fixtures imported from sessions_fixtures)

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Attendance, AttendanceChange
from courses.models import Choice, LessonProgress, Quiz, QuizAttempt
from courses.selectors import quiz_questions
from courses.services import QuizNoAttemptsLeft
from tests.cohorts.sessions_fixtures import s_cohort, s_member, s_session  # noqa: F401

pytestmark = pytest.mark.django_db

SYNC = "/offline/sync/"


def answers(quiz, *, right=True) -> dict:
    """The quiz form's ``q-<id>`` fields: every question right (or every question wrong)."""
    fields = {}
    for question in quiz_questions(quiz=quiz):
        picked = [str(c.pk) for c in question.choices.all() if c.is_correct == right]
        fields[f"q-{question.pk}"] = picked if question.kind == "multiple" else picked[:1]
    return fields


def event(user, kind, url, fields=None, *, key=None, device_time=None) -> dict:
    return {
        "id": str(key or uuid.uuid4()), "user": user.pk, "type": kind, "url": url,
        "device_time": (device_time or timezone.now() - timedelta(minutes=5)).isoformat(),
        "fields": fields or {},
    }


def quiz_event(user, lesson, fields=None, **kwargs) -> dict:
    base = {"csrfmiddlewaretoken": "stale", "attempt": "1", "started": "",
            "idempotency_key": "00000000-0000-4000-8000-000000000000",  # the cached form's
            "quiz_version": str(int(lesson.quiz.updated_at.timestamp()))}
    return event(user, "quiz_attempt",
                 f"/fr/learning/pages/{lesson.pk}/quizzes/{lesson.quiz_id}/",
                 {**base, **(fields if fields is not None else answers(lesson.quiz))}, **kwargs)


def done_event(user, lesson, **kwargs) -> dict:
    return event(user, "lesson_complete", f"/fr/learning/lessons/{lesson.pk}/done/",
                 {"idempotency_key": str(uuid.uuid4())}, **kwargs)


def sync(client, events, **extra):
    return client.post(SYNC, json.dumps({"events": events}), content_type="application/json",
                       **extra)


def statuses(response) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.content
    return [(r["status"], r["http"]) for r in response.json()["results"]]


def test_the_same_batch_twice_makes_one_attempt_and_one_completion(
    learner_client, learner, enrolled, lessons
):
    batch = [quiz_event(learner, lessons[0]), done_event(learner, lessons[1])]
    first = sync(learner_client, batch)
    assert statuses(first) == [("applied", 200), ("applied", 200)]
    attempt = QuizAttempt.objects.get(user=learner)
    results = first.json()["results"]
    assert [r["id"] for r in results] == [e["id"] for e in batch]
    assert results[0]["redirect"] == f"/fr/learning/attempts/{attempt.pk}/?page={lessons[0].pk}"
    assert str(attempt.idempotency_key) == batch[0]["id"]  # the event id, not the form's key
    again = sync(learner_client, batch)
    assert statuses(again) == [("already_applied", 409), ("already_applied", 409)]
    assert again.json()["results"][0]["redirect"] == results[0]["redirect"]
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert LessonProgress.objects.filter(user=learner, lesson=lessons[1]).count() == 1
    # Passing the check quiz marked lesson 1 done as well: two completions, one each.
    assert LessonProgress.objects.filter(user=learner).count() == 2


def test_a_repeated_event_within_one_batch_is_applied_once(learner_client, learner, enrolled,
                                                           lessons):
    item = done_event(learner, lessons[1])
    assert statuses(sync(learner_client, [item, item])) == [
        ("applied", 200), ("already_applied", 409)]
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_a_lesson_done_online_meanwhile_is_already_applied(learner_client, learner, enrolled,
                                                           lessons):
    assert learner_client.post(reverse("courses:lesson_complete", args=[lessons[1].pk])
                               ).status_code == 302
    assert statuses(sync(learner_client, [done_event(learner, lessons[1])])) == [
        ("already_applied", 409)]
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_an_event_of_another_user_is_refused(learner_client, learner, enrolled, lessons,
                                             user_factory):
    other = user_factory()
    response = sync(learner_client, [done_event(other, lessons[1]), done_event(learner,
                                                                               lessons[1])])
    assert statuses(response) == [("refused", 403), ("applied", 200)]
    assert not LessonProgress.objects.filter(user=other).exists()
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_signed_out_is_401_json_and_nothing_is_written(client, learner, enrolled, lessons):
    response = sync(client, [done_event(learner, lessons[1])])
    assert response.status_code == 401
    assert response.json() == {"login_url": "/fr/accounts/login/"}
    assert not LessonProgress.objects.exists()


def test_a_stale_csrf_token_is_djangos_403_and_nothing_is_written(learner, enrolled, lessons):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = sync(client, [done_event(learner, lessons[1])], HTTP_X_CSRFTOKEN="stale" * 8)
    assert response.status_code == 403
    assert not LessonProgress.objects.exists()
    # With the token of /offline/csrf/ the same batch goes through.
    token = client.get("/offline/csrf/")
    assert token["Cache-Control"] == "no-store"
    response = sync(client, [done_event(learner, lessons[1])],
                    HTTP_X_CSRFTOKEN=token.json()["csrfToken"])
    assert statuses(response) == [("applied", 200)]


def test_csrf_endpoint_signed_out_is_401(client):
    response = client.get("/offline/csrf/")
    assert response.status_code == 401 and "login_url" in response.json()


def test_one_bad_event_does_not_undo_the_others(learner_client, learner, enrolled, lessons):
    quiz = lessons[0].quiz
    unknown_choice = {f"q-{q.pk}": ["999999999"] for q in quiz_questions(quiz=quiz)}
    batch = [
        done_event(learner, lessons[1]),
        event(learner, "lesson_complete", "/fr/nowhere/"),  # not a form's URL
        {"id": "not-a-uuid", "user": learner.pk},
        quiz_event(learner, lessons[0], unknown_choice),
        event(learner, "lesson_visit", f"/fr/learning/lessons/{lessons[0].pk}/visit/"),
        "garbage",
    ]
    assert statuses(sync(learner_client, batch)) == [
        ("applied", 200), ("invalid", 400), ("invalid", 400), ("invalid", 400),
        ("applied", 200), ("invalid", 400)]
    assert LessonProgress.objects.filter(user=learner, lesson=lessons[1]).exists()
    assert not QuizAttempt.objects.exists()
    enrolled.refresh_from_db()
    assert enrolled.last_lesson_id == lessons[0].pk


def test_lesson_of_a_module_not_followed_is_refused(learner_client, learner, lessons):
    response = sync(learner_client, [done_event(learner, lessons[1]), quiz_event(learner,
                                                                                 lessons[0])])
    assert statuses(response) == [("refused", 403), ("refused", 403)]
    assert not LessonProgress.objects.exists() and not QuizAttempt.objects.exists()


def test_offline_attempts_over_the_limit_are_refused_when_they_arrive(
    learner_client, learner, enrolled, lessons
):
    quiz = lessons[0].quiz
    assert quiz.max_attempts == 3
    batch = [quiz_event(learner, lessons[0], answers(quiz, right=False)) for _ in range(4)]
    response = sync(learner_client, batch)
    assert statuses(response) == [("applied", 200)] * 3 + [("invalid", 400)]
    with translation.override("fr"):
        assert response.json()["results"][3]["message"] == str(QuizNoAttemptsLeft.default_message)
    assert list(QuizAttempt.objects.filter(user=learner).order_by("number")
                .values_list("number", flat=True)) == [1, 2, 3]


def test_a_quiz_changed_on_the_server_is_scored_by_its_current_rule_and_said_so(
    learner_client, learner, enrolled, lessons
):
    quiz = lessons[0].quiz
    shown = quiz.updated_at - timedelta(hours=1)
    fields = answers(quiz)
    # Half right: fails the pass mark shown on the phone (70), passes the new one (40).
    first_question = next(iter(fields))
    fields[first_question] = [str(c.pk) for c in quiz_questions(quiz=quiz)[0].choices.all()
                              if not c.is_correct][:1]
    assert quiz.pass_mark == 70
    quiz.pass_mark = 40
    quiz.save()
    item = quiz_event(learner, lessons[0], {**fields, "quiz_version": str(int(shown.timestamp()))})
    response = sync(learner_client, [item])
    assert statuses(response) == [("applied", 200)]
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.passed is True and attempt.score == 50
    with translation.override("fr"):
        expected = translation.gettext(
            "This quiz was changed after you downloaded it: your answers were scored with "
            "its current version. Your score: %(score)s%%.") % {"score": "50"}
    assert response.json()["results"][0]["message"] == expected


def test_answers_that_no_longer_fit_a_changed_quiz_are_invalid_and_said_so(
    learner_client, learner, enrolled, lessons
):
    quiz = lessons[0].quiz
    fields = answers(quiz)
    shown = int(quiz.updated_at.timestamp())
    removed = int(next(iter(fields.values()))[0])  # a chosen answer the editor deletes
    Choice.objects.filter(pk=removed).delete()
    Quiz.objects.filter(pk=quiz.pk).update(updated_at=timezone.now())
    response = sync(learner_client, [quiz_event(learner, lessons[0],
                                                {**fields, "quiz_version": str(shown - 60)})])
    assert statuses(response) == [("invalid", 400)], (fields, response.json())
    with translation.override("fr"):
        prefix = translation.gettext("This quiz was changed after you downloaded it: %(reason)s")
    assert response.json()["results"][0]["message"].startswith(prefix.split("%")[0])
    assert not QuizAttempt.objects.exists()


def test_more_than_fifty_events_or_a_broken_body_is_400(learner_client, learner, enrolled,
                                                        lessons):
    response = sync(learner_client, [done_event(learner, lessons[1]) for _ in range(51)])
    assert response.status_code == 400 and "error" in response.json()
    broken = learner_client.post(SYNC, "{", content_type="application/json")
    assert broken.status_code == 400
    assert not LessonProgress.objects.exists()


def _register_event(user, cohort, session, member, status, *, device_time):
    url = reverse("cohorts:sessions_register", args=[cohort.pk, session.pk])
    return event(user, "attendance_register", url, {
        "csrfmiddlewaretoken": "x", f"row-{member.pk}": "1", f"status-{member.pk}": status,
        f"remark-{member.pk}": "", "action": "save",
    }, device_time=device_time)


def test_attendance_marked_offline_by_the_trainer_is_audited_with_the_device_time(
    trainer, s_cohort, s_session, s_member
):
    client = Client()
    client.force_login(trainer)
    marked = timezone.now() - timedelta(hours=2)
    item = _register_event(trainer, s_cohort, s_session, s_member, "present", device_time=marked)
    response = sync(client, [item])
    assert statuses(response) == [("applied", 200)]
    assert response.json()["results"][0]["redirect"] == reverse(
        "cohorts:sessions_register", args=[s_cohort.pk, s_session.pk])
    row = Attendance.objects.get(session=s_session, user=s_member)
    assert row.status == "present" and row.device_marked_at == marked
    change = AttendanceChange.objects.get(attendance=row)
    assert (change.method, change.device_time, change.changed_by_id) == ("sync", marked,
                                                                         trainer.pk)
    assert statuses(sync(client, [item])) == [("already_applied", 409)]
    assert AttendanceChange.objects.filter(attendance=row).count() == 1


def test_a_learner_sending_an_attendance_event_is_refused(s_cohort, s_session, s_member):
    client = Client()
    client.force_login(s_member)
    item = _register_event(s_member, s_cohort, s_session, s_member, "present",
                           device_time=timezone.now())
    assert statuses(sync(client, [item])) == [("refused", 403)]
    assert not Attendance.objects.exists()


def test_only_the_last_visit_of_a_module_moves_resume(learner_client, learner, enrolled,
                                                      lessons):
    visits = [event(learner, "lesson_visit", f"/fr/learning/lessons/{lesson.pk}/visit/")
              for lesson in (lessons[0], lessons[1], lessons[0], lessons[1])]
    assert statuses(sync(learner_client, visits)) == [("applied", 200)] * 4
    enrolled.refresh_from_db()
    assert enrolled.last_lesson_id == lessons[1].pk


def test_a_lesson_passed_by_its_check_earlier_in_the_batch_is_already_done(
    learner_client, learner, enrolled, lessons
):
    batch = [quiz_event(learner, lessons[0]), done_event(learner, lessons[0])]
    response = sync(learner_client, batch)
    assert statuses(response) == [("applied", 200), ("already_applied", 409)]
    assert response.json()["results"][1]["redirect"] == lessons[1].url
    assert LessonProgress.objects.filter(user=learner, lesson=lessons[0]).count() == 1


def test_completions_in_a_batch_move_resume_to_the_last_one_and_complete_the_module(
    learner_client, learner, enrolled, lessons
):
    """The batch reads the enrolment once and moves "resume" only for the module's last event:
    the outcome is the one the same actions online would give."""
    order = [*lessons[1:], lessons[0]]  # the first lesson last
    batch = [done_event(learner, lesson) for lesson in order]
    assert statuses(sync(learner_client, batch)) == [("applied", 200)] * len(order)
    enrolled.refresh_from_db()
    assert enrolled.last_lesson_id == lessons[0].pk
    assert LessonProgress.objects.filter(user=learner).count() == len(lessons)
    assert enrolled.status == ("completed" if enrolled.course.final_assessment_id is None
                               else "active")


def _module_outbox(user, lessons, rounds: int) -> list[dict]:
    """What a learner does offline, ``rounds`` times through the module: a visit, a wrong and
    a right answer to each check quiz, "mark as done" (replays after the first round)."""
    batch = []
    for _round in range(rounds):
        for lesson in lessons:
            batch.append(event(user, "lesson_visit", f"/fr/learning/lessons/{lesson.pk}/visit/"))
            if lesson.quiz_id:
                batch.append(quiz_event(user, lesson, answers(lesson.quiz, right=False)))
                batch.append(quiz_event(user, lesson))
            batch.append(done_event(user, lesson))
    return batch


def _sync_queries(user, events) -> int:
    """Queries of one sync request (session and user included; BEGIN and COMMIT are not
    round trips of their own)."""
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        results = statuses(sync(client, events))
    # Attempts beyond the quiz's limit are refused ("invalid"): part of the mix.
    assert {status for status, _http in results} <= {"applied", "already_applied", "invalid"}
    assert ("applied", 200) in results
    return len([q for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_costs_at_most_four_queries_per_event(course_page, lessons):
    """Each event of a batch costs at most 4 queries, like production: each service is its own
    transaction (hence a transactional test), nested writes use savepoints."""
    from courses.services import enrolment_create
    from tests.factories import UserFactory

    small, large = UserFactory(), UserFactory()
    for user in (small, large):
        enrolment_create(user=user, course=course_page)
    few, many = _module_outbox(small, lessons, 1), _module_outbox(large, lessons, 3)[:50]
    cost_few, cost_many = _sync_queries(small, few), _sync_queries(large, many)
    assert (cost_many - cost_few) / (len(many) - len(few)) <= 4, (cost_few, cost_many)
    assert cost_many <= 4 * len(many), cost_many


def _card_event(user, member, *, device_time):
    from cohorts import checkin

    with translation.override("fr"):
        url = reverse("cohorts:sessions_card_scan", args=[checkin.card_token(member)])
    return event(user, "card_checkin", url, {"csrfmiddlewaretoken": "x"}, device_time=device_time)


def test_a_card_scanned_offline_marks_the_member_present_at_the_scan_time(
    trainer, s_cohort, s_session, s_member
):
    client = Client()
    client.force_login(trainer)
    scanned = timezone.now().replace(microsecond=0) - timedelta(minutes=20)
    item = _card_event(trainer, s_member, device_time=scanned)
    response = sync(client, [item])
    assert statuses(response) == [("applied", 200)]
    result = response.json()["results"][0]
    assert s_session.topic in result["message"]
    assert result["redirect"] == reverse("cohorts:sessions_register",
                                         args=[s_cohort.pk, s_session.pk])
    row = Attendance.objects.get(session=s_session, user=s_member)
    assert (row.status, row.device_marked_at, row.marked_by_id) == ("present", scanned, trainer.pk)
    assert AttendanceChange.objects.get(attendance=row).method == "card"
    # The same scan again (a replay), or a second scan of the card: one mark.
    again = sync(client, [item, _card_event(trainer, s_member, device_time=scanned)])
    assert statuses(again) == [("already_applied", 409), ("already_applied", 409)]
    assert Attendance.objects.filter(session=s_session).count() == 1


def test_a_card_scanned_offline_is_refused_outside_a_session_for_a_stranger_or_a_learner(
    trainer, s_cohort, s_session, s_member, user_factory
):
    client = Client()
    client.force_login(trainer)
    stranger = user_factory(full_name="Not A Member")
    yesterday = timezone.now() - timedelta(days=1)
    forged = _card_event(trainer, s_member, device_time=timezone.now())
    forged["url"] = forged["url"].replace("/card/", "/card/x").rstrip("/") + "x/"
    response = sync(client, [
        _card_event(trainer, s_member, device_time=yesterday),  # no session then
        _card_event(trainer, stranger, device_time=timezone.now()),  # not a member
        forged,  # not a card of ours
    ])
    assert statuses(response) == [("invalid", 400), ("refused", 403), ("invalid", 400)]
    learner_client = Client()
    learner_client.force_login(s_member)
    own = _card_event(s_member, s_member, device_time=timezone.now())
    assert statuses(sync(learner_client, [own])) == [("refused", 403)]
    assert not Attendance.objects.exists()
