"""Helpers shared by the tests: ``run_concurrently`` for the tests where the database decides
a race, ``browser_login`` for the browser journeys."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections


@dataclass
class Concurrently:
    """What ``n`` simultaneous calls returned and raised."""

    results: list[Any] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def unexpected_errors(self) -> list[BaseException]:
        """The errors, less those SQLite raises when it refuses a concurrent writer ("database is
        locked": it has no row locks). PostgreSQL (CI) must raise none."""
        if connection.vendor != "sqlite":
            return list(self.errors)
        return [error for error in self.errors if "locked" not in str(error)]


def run_concurrently(fn: Callable[[], Any], n: int, *, timeout: float = 120) -> Concurrently:
    """Call ``fn()`` from ``n`` threads released at once by a barrier and wait for them all.

    Each thread has its own database connection, closed when it ends (so that the test database
    can be flushed and dropped). Needs ``@pytest.mark.django_db(transaction=True)``: the threads
    only see rows the test has committed.
    """
    barrier = threading.Barrier(n)
    outcome = Concurrently()
    lock = threading.Lock()

    def call() -> None:
        try:
            barrier.wait(timeout=30)
            result = fn()
        except Exception as error:  # collected for the test to assert on
            with lock:
                outcome.errors.append(error)
        else:
            with lock:
                outcome.results.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, name=f"concurrent-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {timeout}s: {stuck}"
    return outcome


def browser_login(page, live_server, user) -> None:
    """Sign ``user`` in for a Playwright ``page`` on the live server: a session made by Django's
    test client, handed over as the browser's session cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


def logged_in_client(user):
    """A Django test client signed in as ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
