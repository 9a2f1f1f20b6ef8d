"""Former home of the module builders: they are in ``tests/factories.py``."""

from tests.factories import *  # noqa: F403
from tests.factories import course_build, quiz_build  # noqa: F401
