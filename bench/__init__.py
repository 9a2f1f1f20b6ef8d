"""Benchmarks: ratios against a baseline measured in the same process, and query counts.

`make bench` runs `python -m bench`, which imports every `bench/bench_*.py` and calls its `run()`.
Each figure is printed on its own line as `name: value (target ≤ X)`, `(target ≥ X)`,
`(target equal)` or `(report)`. Nothing here is a timed test: the suite never asserts on time.
"""

import os
import statistics
import time
from collections.abc import Callable

_db_ready = False


def setup_django() -> None:
    """Configure Django with test settings and create a throwaway test database (once)."""
    global _db_ready
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    if _db_ready:
        return
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    _db_ready = True


def teardown_django() -> None:
    global _db_ready
    if not _db_ready:
        return
    from django.db import connection

    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    _db_ready = False


def median_time(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> float:
    """Median wall time of `fn()` in seconds, after a few warm-up calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def figure(name: str, value, target: str) -> None:
    """Print one figure: `target` is e.g. '≤ 25', '≥ 1.6', 'equal' or 'report'."""
    if isinstance(value, float):
        value = f"{value:.2f}"
    suffix = "(report)" if target == "report" else f"(target {target})"
    print(f"{name}: {value} {suffix}", flush=True)
