"""Sign-in sheet PDF: the app's path against WeasyPrint alone, and the PDF's size.

- ``signin_sheet_pdf_ratio_200``: median time of the sheet view for a session of a cohort of
  200 learners (access check, queries, template, the shared renderer child and its pipe)
  divided by WeasyPrint rendering the same HTML and stylesheet directly in this process, at its
  best: one ``FontConfiguration`` and the parsed stylesheet kept between renders, as the
  renderer child does (a baseline that parses the fonts on every call would flatter the app).
  Both are warmed first, then run in alternation (so that a machine whose load changes during
  the run weighs on both alike); medians of the runs. Target ≤ 1.2. Layout is nearly all of
  the time: the queries, the template and the pipe to the renderer cost a few milliseconds.
- ``signin_sheet_pdf_ms_200``: the view's median time (report).
- ``signin_sheet_pdf_kb_200``: size of that PDF (7 pages; report).
"""

from __future__ import annotations

import statistics
import time

from bench import figure, setup_django

SIZE = 200
ROUNDS = 7


def _bare_renderer(html: str):
    """WeasyPrint in this process with the job's files, fonts and stylesheet parsed once."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from cohorts.evidence import signin_sheet_job
    from lms.pdf.engine import LocalURLFetcher

    job = signin_sheet_job(html)
    fetcher = LocalURLFetcher(static=job["static"], media=job["media"])
    font_config = FontConfiguration()
    stylesheet = CSS(string=job["css"], font_config=font_config, url_fetcher=fetcher)
    cache: dict = {}

    def render() -> bytes:
        return HTML(string=html, base_url="static:/", url_fetcher=fetcher).write_pdf(
            stylesheets=[stylesheet], font_config=font_config, cache=cache)

    return render


def run() -> None:
    setup_django()
    from datetime import timedelta

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from cohorts.evidence import signin_sheet_html
    from cohorts.models import Membership, Session
    from cohorts.services import cohort_create
    from lms.models import Organisation
    from tests.cohorts.sessions_fixtures import session_build
    from tests.factories import TrainerFactory, UserFactory

    trainer = TrainerFactory()
    today = timezone.localdate()
    cohort = cohort_create(by=trainer, modules=[], name="Bench sign-in sheet",
                           start_date=today - timedelta(days=1),
                           end_date=today + timedelta(days=10), time_zone="Africa/Dakar")
    organisation = Organisation.objects.create(name="Confédération nationale des travailleurs",
                                               type="trade_union", country="SN")
    people = UserFactory.create_batch(SIZE, organisation=organisation)
    Membership.objects.bulk_create([Membership(cohort=cohort, user=p) for p in people])
    session = session_build(cohort=cohort, venue="Bourse du travail, Dakar")
    client = Client()
    client.force_login(trainer)
    url = reverse("cohorts:evidence_sheet", args=[cohort.pk, session.pk])

    def app() -> bytes:
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    html = signin_sheet_html(session=Session.objects.select_related("cohort").get(pk=session.pk))
    bare = _bare_renderer(html)
    for _ in range(2):  # warm both: fonts, stylesheet, renderer child, templates, caches
        app()
        bare()
    samples: dict = {app: [], bare: []}
    for _ in range(ROUNDS):
        for fn in (app, bare):
            start = time.perf_counter()
            fn()
            samples[fn].append(time.perf_counter() - start)
    app_s, bare_s = statistics.median(samples[app]), statistics.median(samples[bare])
    figure("signin_sheet_pdf_ms_200", app_s * 1000, "report")
    figure("signin_sheet_pdf_ratio_200", app_s / bare_s, "≤ 1.2")
    figure("signin_sheet_pdf_kb_200", len(app()) / 1024, "report")
