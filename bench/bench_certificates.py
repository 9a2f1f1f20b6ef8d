"""Certificate PDFs: app path vs bare WeasyPrint, PDF size, worker memory, bulk issue throughput.

- ``certificate_render_ratio``: median time of ``certificates.rendering.certificate_pdf`` (context,
  template, QR code, shared FontConfiguration) divided by WeasyPrint rendering the same HTML
  and stylesheet the way its documentation writes it (a FontConfiguration per call).
- ``certificate_pdf_kb``: size of a typical certificate (two signatories, two logos), the larger
  of French and Arabic.
- ``certificate_render_peak_mb``: peak RSS (VmHWM) of the process that renders, the WeasyPrint
  renderer of a fresh Django process (like a worker), after 100 and 500 certificates, French and
  Arabic alternately; ``certificate_worker_peak_mb`` is the Django process that asked for them.
- ``bulk_issue_per_s_c1/_c2`` and ``bulk_issue_scaling``: 200 certificates issued by a real
  ``celery -A lms worker`` at concurrency 1 then 2 (only with a Redis broker and PostgreSQL).
"""

import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bench import figure

ROOT = Path(__file__).resolve().parent.parent
BULK_SIZE = 200


# --- rendering ---------------------------------------------------------------------------------
def _logo(name: str, colour: str):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image, ImageDraw
    from wagtail.images.models import Image as WagtailImage

    canvas = Image.new("RGB", (240, 100), "white")
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((4, 4, 236, 96), radius=18, outline=colour, width=8)
    draw.ellipse((24, 24, 76, 76), fill=colour)
    buffer = BytesIO()
    canvas.save(buffer, "PNG")
    return WagtailImage.objects.create(
        title=name, file=ImageFile(BytesIO(buffer.getvalue()), name=f"{name}.png")
    )


def _template():
    from certificates.models import (
        CertificateTemplate,
        CertificateTemplateLogo,
        CertificateTemplateSignatory,
    )
    from certificates.services import DEFAULT_TEMPLATE_TEXTS

    template = CertificateTemplate.objects.filter(name="Bench").first()
    if template is None:
        template = CertificateTemplate(name="Bench", **DEFAULT_TEMPLATE_TEXTS)
        template.save()
        for i, (name, colour) in enumerate((("A", "#0b5d7a"), ("B", "#b3541e"))):
            CertificateTemplateLogo.objects.create(
                template=template, image=_logo(f"bench-logo-{name}", colour), name=name,
                sort_order=i,
            )
        for i, (name, title) in enumerate((("Leïla Trabelsi", "Directrice du programme"),
                                           ("Moussa Diop", "Formateur"))):
            CertificateTemplateSignatory.objects.create(template=template, name=name,
                                                        title=title, sort_order=i)
    return CertificateTemplate.objects.prefetch_related("logos__image", "signatories").get(
        pk=template.pk
    )


def _bare(html: str) -> bytes:
    """WeasyPrint as its documentation writes it, with the same local fetcher and CSS."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from certificates.rendering import certificate_job
    from lms.pdf.engine import LocalURLFetcher

    job = certificate_job(html)
    fetcher = LocalURLFetcher(static=job["static"], media=job["media"])
    font_config = FontConfiguration()
    return HTML(string=html, base_url="static:/", url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=job["css"], font_config=font_config, url_fetcher=fetcher)],
        font_config=font_config,
    )


def _median(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def render_figures() -> None:
    from certificates.rendering import certificate_html, certificate_pdf, sample_data

    template = _template()
    data = {language: sample_data(language=language) for language in ("fr", "ar")}
    html = {language: certificate_html(template=template, data=data[language])
            for language in data}
    for language in data:  # warm both paths (fonts, stylesheet, renditions)
        certificate_pdf(template=template, data=data[language])
        _bare(html[language])
    app = [_median(lambda d=d: certificate_pdf(template=template, data=d), 15)
           for d in data.values()]
    bare = [_median(lambda h=h: _bare(h), 15) for h in html.values()]
    figure("certificate_render_ms_fr", app[0] * 1000, "report")
    figure("certificate_render_ms_ar", app[1] * 1000, "report")
    figure("certificate_render_ratio", sum(app) / sum(bare), "≤ 1.3")
    sizes = {language: len(certificate_pdf(template=template, data=d)) / 1024
             for language, d in data.items()}
    figure("certificate_pdf_kb_fr", sizes["fr"], "report")
    figure("certificate_pdf_kb_ar", sizes["ar"], "report")
    figure("certificate_pdf_kb", max(sizes.values()), "≤ 60")


MEMORY_SCRIPT = textwrap.dedent("""
    import os, sys
    import django
    django.setup()
    from certificates.models import CertificateTemplate
    from certificates.rendering import certificate_pdf, sample_data
    from certificates.services import DEFAULT_TEMPLATE_TEXTS
    from lms.pdf import client as pdf_client

    def peak_mb(pid="self"):
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    template = CertificateTemplate(name="memory", **DEFAULT_TEMPLATE_TEXTS)
    data = [sample_data(language="fr"), sample_data(language="ar")]
    print("baseline", round(peak_mb(), 1), flush=True)
    renderer = pdf_client.renderer()
    for i in range(1, 501):
        certificate_pdf(template=template, data=data[i % 2])
        if i in (100, 500):
            # (the renderer's figure read from /proc, not from its own report)
            print(f"renderer_{i}", round(peak_mb(renderer.pid), 1), renderer.pid, flush=True)
            print(f"django_{i}", round(peak_mb(), 1), flush=True)
""")


def memory_figures() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test",
           "PYTHONPATH": str(ROOT), "PDF_RENDERER_MAX_RENDERS": "1000"}
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600, check=True).stdout
    peaks = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    if peaks["renderer_100"][1] != peaks["renderer_500"][1]:
        raise RuntimeError("the renderer was replaced during the run: the growth is not measured")
    renderer_100, renderer_500 = (float(peaks[k][0]) for k in ("renderer_100", "renderer_500"))
    django_500 = float(peaks["django_500"][0])
    # The Django process holds Django, Wagtail and Celery but not WeasyPrint; the renderer holds
    # WeasyPrint only. Each must stay under the target; together they are what one worker slot
    # costs (a process holding both peaked at ~180 MB).
    figure("certificate_worker_baseline_mb", float(peaks["baseline"][0]), "report")
    figure("certificate_worker_peak_mb", django_500, "≤ 150")
    figure("certificate_render_peak_mb_100", renderer_100, "≤ 150")
    figure("certificate_render_peak_mb", renderer_500, "≤ 150")
    figure("certificate_render_growth_mb_100_to_500", renderer_500 - renderer_100, "report")
    figure("certificate_worker_and_renderer_mb", django_500 + renderer_500, "report")


# --- bulk issuance with a real worker ------------------------------------------------------
def _bulk_possible() -> str | None:
    from django.conf import settings
    from django.db import connection

    broker = settings.CELERY_BROKER_URL
    if not broker.startswith(("redis://", "rediss://")):
        return "no Redis broker configured"
    if connection.vendor != "postgresql":
        return "needs PostgreSQL for a worker to share the database"
    try:
        import redis

        redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure means: no broker to measure with
        return f"Redis does not answer ({exc.__class__.__name__})"
    return None


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = (s["USER"] or "") + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def _start_worker(concurrency: int) -> subprocess.Popen:
    from django.conf import settings

    from lms.celery import app

    name = f"bench-certificates-{os.getpid()}-{concurrency}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test",
           "CELERY_TASK_ALWAYS_EAGER": "false", "DATABASE_URL": _database_url(),
           "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "CONN_MAX_AGE": "60"}
    log = open(ROOT / "var" / f"bench-worker-c{concurrency}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "-P", "prefork",
         "-c", str(concurrency), "-l", "warning", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"{name}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if any(name in key for reply in replies for key in reply):
            return process
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError("the bench worker did not start")


def _bulk_data():
    from django.utils import timezone
    from wagtail.models import Locale

    from certificates.models import CourseCertificate
    from courses.models import CourseIndexPage, CoursePage, Enrolment, EnrolmentStatus
    from lms.demo import demo_site_ensure
    from lms.models import User

    home = demo_site_ensure()
    index = CourseIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is None:
        index = CourseIndexPage(title="Modules", slug="modules")
        home.add_child(instance=index)
        index.save_revision().publish()
    course = CoursePage.objects.filter(slug="bench-bulk").first()
    if course is None:
        course = CoursePage(title="Éducation financière", slug="bench-bulk", summary="Bench.",
                            topic="financial_education", estimated_hours=6)
        index.add_child(instance=course)
        course.save_revision().publish()
        CourseCertificate.objects.create(course=course, template=_template())
    users = User.objects.bulk_create(
        User(email=f"bench-bulk-{i}@example.org", full_name=f"Apprenant {i}", country="MA")
        for i in range(BULK_SIZE)
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=user, course=course, status=EnrolmentStatus.COMPLETED,
                  completed_at=timezone.now()) for user in users
    )
    return course, [e.pk for e in Enrolment.objects.filter(course=course)]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _worker_peaks(worker: subprocess.Popen) -> tuple[float, float]:
    """Peak memory of the worker's pool processes and of their PDF renderers."""
    pool = _children(worker.pid)
    renderers = [child for pid in pool for child in _children(pid)]
    return (max(map(_peak_mb, pool), default=0.0), max(map(_peak_mb, renderers), default=0.0))


def _issue_with_worker(concurrency: int, course, enrolment_ids, admin) -> tuple[float, tuple]:
    from certificates.models import BulkIssue, Certificate
    from certificates.tasks import certificates_bulk_issue_task
    from lms.celery import delay_on_commit

    Certificate.objects.all().delete()
    BulkIssue.objects.all().delete()
    worker = _start_worker(concurrency)
    try:
        bulk = BulkIssue.objects.create(created_by=admin, course=course,
                                        enrolment_ids=enrolment_ids, total=len(enrolment_ids))
        start = time.perf_counter()
        delay_on_commit(certificates_bulk_issue_task, bulk.pk)  # no transaction: at once
        deadline = time.monotonic() + 600
        while bulk.items.count() < len(enrolment_ids):
            if time.monotonic() > deadline:
                raise RuntimeError("bulk issuance did not finish in 10 minutes")
            time.sleep(0.25)
        return len(enrolment_ids) / (time.perf_counter() - start), _worker_peaks(worker)
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def bulk_figures() -> None:
    reason = _bulk_possible()
    if reason:
        print(f"bulk_issue_per_s: skipped ({reason})")
        return
    from lms.celery import app
    from lms.models import User

    app.conf.task_always_eager = False
    app.control.purge()
    admin = User.objects.create_superuser(email="bench-admin@example.org", full_name="Admin")
    course, enrolment_ids = _bulk_data()
    c1, (pool_mb, renderer_mb) = _issue_with_worker(1, course, enrolment_ids, admin)
    c2, _ = _issue_with_worker(2, course, enrolment_ids, admin)
    # A real Celery pool process and its renderer after issuing the 200 certificates.
    figure("bulk_worker_pool_process_peak_mb", pool_mb, "≤ 150")
    figure("bulk_worker_renderer_peak_mb", renderer_mb, "≤ 150")
    figure("bulk_issue_per_s_c1", c1, "report")
    figure("bulk_issue_per_s_c2", c2, "report")
    figure("bulk_issue_scaling", c2 / c1, "≥ 1.6")


def run() -> None:
    import bench

    bench.setup_django()  # test settings: media under var/test-media, a throwaway database
    render_figures()
    memory_figures()
    bulk_figures()
