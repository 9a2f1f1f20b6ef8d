"""Fixtures of the cohorts-core tests (workspace, memberships, waiting list, progress):
``cohort`` led by ``trainer`` following the cohort-only module, ``member`` in it."""

from datetime import timedelta

import pytest
from django.utils import timezone


def cohort_build(*, by, modules=(), **fields):
    from cohorts.services import cohort_create

    defaults = {
        "name": "Casablanca 2026", "start_date": timezone.localdate() - timedelta(days=1),
        "end_date": timezone.localdate() + timedelta(days=30), "time_zone": "Africa/Casablanca",
        "country": "MA", "city": "Casablanca",
    }
    return cohort_create(by=by, modules=modules, **{**defaults, **fields})


@pytest.fixture
def cohort_module(loaded):
    return loaded["cohort"]


@pytest.fixture
def cohort(trainer, cohort_module):
    return cohort_build(by=trainer, modules=[cohort_module])


@pytest.fixture
def member(cohort, user_factory):
    from cohorts.services import membership_add

    person = user_factory(full_name="Amina Member", country="SN")
    membership_add(cohort=cohort, user=person)
    return person
