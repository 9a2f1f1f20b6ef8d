"""Former home of the certificate builders: they are in ``tests/factories.py``."""

from tests.factories import *  # noqa: F403
from tests.factories import (  # noqa: F401
    course_create,
    course_index_get,
    enrolment_completed,
    template_create,
)
