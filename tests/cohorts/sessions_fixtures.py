"""Fixtures of the sessions-area tests: a cohort without online module (Dakar is UTC+0,
Casablanca UTC+1: the test settings' zone is UTC), a member, a session running now."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cohorts.models import Session


def session_build(*, cohort, start: datetime | None = None, hours: int = 2, **fields) -> Session:
    """A session starting at ``start`` (aware; default: an hour ago) in the cohort's zone."""
    if start is None:
        # Around now, within today in the cohort's zone (sessions do not cross midnight):
        # near midnight an hour ago is yesterday, so start at midnight instead.
        local_now = timezone.now().astimezone(cohort.zone)
        midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        start = max(local_now - timedelta(hours=1), midnight)
    start = start.astimezone(cohort.zone).replace(second=0, microsecond=0)
    end = start + timedelta(hours=hours)
    if end.date() != start.date():
        end = start.replace(hour=23, minute=59)
    return Session.objects.create(
        cohort=cohort, topic=fields.pop("topic", "Atelier droits"), date=start.date(),
        start_time=start.time(), end_time=end.time(), **fields)


@pytest.fixture
def s_cohort(trainer):
    from cohorts.services import cohort_create

    today = timezone.localdate()
    return cohort_create(
        by=trainer, modules=[], name="Séminaire Casablanca", start_date=today - timedelta(days=5),
        end_date=today + timedelta(days=30), time_zone="Africa/Casablanca", country="MA",
    )


@pytest.fixture
def s_member(s_cohort, user_factory):
    from cohorts.services import membership_add

    person = user_factory(full_name="Amina Member", preferred_language="ar")
    membership_add(cohort=s_cohort, user=person)
    return person


@pytest.fixture
def s_session(s_cohort):
    return session_build(cohort=s_cohort)


def fixed_session(cohort, *, day, start=time(9), end=time(11)) -> Session:
    return Session.objects.create(cohort=cohort, topic="Atelier", date=day, start_time=start,
                                  end_time=end)
