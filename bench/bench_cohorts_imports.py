"""Roster import of 10,000 rows: speed and memory of the importing process.

- ``roster_import_rows_per_s``: a 10,000-row CSV roster (5,000 people with an account, 5,000
  without) for a cohort following the sample cohort-only module: the check of every row
  (``roster_import_check``: parse, validate, look up accounts and memberships) then the
  all-or-nothing commit (``roster_import_commit``: the file read and checked again, 5,000
  memberships, 5,000 enrolments, 5,000 invitations), divided into the rows: target ≥ 1,000.
  The invitation e-mails are a task of their own after the commit: ``roster_import_mail_per_s``
  (report, to the in-memory mail backend).
- ``roster_import_peak_mb``: peak RSS (VmHWM) of that process, a fresh Django process (like a
  worker) that did nothing else: target ≤ 250; ``roster_import_baseline_mb`` is its RSS before
  the import (Django, Wagtail, the data set up), for comparison.

It runs in a child process with a database of its own, so that the figure is not the peak of
the benchmarks that ran before it in ``make bench``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bench import figure

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10_000

SCRIPT = textwrap.dedent(f"""
    import time

    import bench

    def peak_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    bench.setup_django()
    try:
        from datetime import timedelta

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from cohorts import imports
        from cohorts.models import Invitation, Membership, RosterImport
        from cohorts.services import cohort_create
        from courses import demo
        from courses.models import Enrolment
        from lms.demo import demo_site_ensure
        from lms.models import User
        from tests.courses.sample_module import COHORT_MODULE, SAMPLE_MODULE
        from tests.factories import TrainerFactory

        demo_site_ensure()
        _open, module = demo.load(modules=[SAMPLE_MODULE, COHORT_MODULE])
        trainer = TrainerFactory()
        today = timezone.localdate()
        cohort = cohort_create(by=trainer, modules=[module], name="Bench import",
                               start_date=today, end_date=today + timedelta(days=30),
                               time_zone="Africa/Dakar")
        User.objects.bulk_create(
            [User(email=f"account{{i}}@example.org", full_name=f"Account {{i}}", password="!")
             for i in range({ROWS} // 2)], batch_size=1000)
        lines = ["Courriel;Nom complet;Langue"]
        for i in range({ROWS}):
            kind = "account" if i % 2 == 0 else "new"
            lines.append(f"{{kind}}{{i // 2}}@example.org;Personne Numéro {{i}};"
                         + ("ar" if i % 3 == 0 else ""))
        data = ("\\r\\n".join(lines) + "\\r\\n").encode("utf-8")
        print("baseline", round(peak_mb(), 1), flush=True)

        start = time.perf_counter()
        roster_import = RosterImport(cohort=cohort, original_name="bench.csv",
                                     created_by=trainer, report={{"language": "fr"}})
        roster_import.file.save("bench.csv", SimpleUploadedFile("bench.csv", data))
        imports.roster_import_check(roster_import=roster_import)
        checked = time.perf_counter()
        assert roster_import.status == "ready", roster_import.report["errors"][:3]
        RosterImport.objects.filter(pk=roster_import.pk).update(status="importing")
        status = imports.roster_import_commit(roster_import_id=roster_import.pk,
                                              by_id=trainer.pk)
        done = time.perf_counter()
        assert status == "done", status
        assert Membership.objects.filter(cohort=cohort).count() == {ROWS} // 2
        assert Enrolment.objects.filter(course=module).count() == {ROWS} // 2
        assert Invitation.objects.filter(cohort=cohort).count() == {ROWS} // 2
        print("check_s", round(checked - start, 3), flush=True)
        print("commit_s", round(done - checked, 3), flush=True)
        print("peak", round(peak_mb(), 1), flush=True)
        roster_import.refresh_from_db()
        start = time.perf_counter()
        sent = imports.roster_import_mail(roster_import=roster_import)
        print("mail_per_s", round(sent / (time.perf_counter() - start), 1), flush=True)
    finally:
        bench.teardown_django()
""")


def _child_env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test", "PYTHONPATH": str(ROOT),
           "CELERY_BROKER_URL": "", "CELERY_TASK_ALWAYS_EAGER": "false"}
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"] = url.rstrip("/") + "_imports"  # its own test database
    else:
        env["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-imports.sqlite3'}"
    return env


def run() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=_child_env(),
                         capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    values = {line.split()[0]: float(line.split()[1])
              for line in out.stdout.splitlines() if len(line.split()) == 2}
    seconds = values["check_s"] + values["commit_s"]
    figure("roster_import_rows_per_s", ROWS / seconds, "≥ 1000")
    figure("roster_import_check_s", values["check_s"], "report")
    figure("roster_import_commit_s", values["commit_s"], "report")
    figure("roster_import_peak_mb", values["peak"], "≤ 250")
    figure("roster_import_baseline_mb", values["baseline"], "report")
    figure("roster_import_mail_per_s", values["mail_per_s"], "report")

