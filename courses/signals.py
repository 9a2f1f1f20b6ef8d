"""Events other apps may listen to. The domain flow itself calls services explicitly."""

from django.dispatch import Signal

# Sent exactly once per completed enrolment, inside the transaction that completes it, with
# ``sender=Enrolment, enrolment=<Enrolment>``. Receivers that start work elsewhere (Celery) must
# defer it with ``transaction.on_commit``.
enrolment_completed = Signal()

# Sent when the holder of a completed enrolment passes the module's final assessment again
# (for example to renew a certificate that expires), with ``sender=Enrolment,
# enrolment=<Enrolment>, attempt=<QuizAttempt>``, inside the submitting transaction.
final_assessment_passed_again = Signal()
