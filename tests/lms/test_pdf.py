"""The shared PDF renderer: the child (``lms.pdf.engine``), its client and render jobs."""

import os
import socket
from pathlib import Path

import pytest

from lms.pdf import client as pdf_client
from lms.pdf.engine import Engine, LocalURLFetcher, RemoteFetchRefused
from lms.pdf.jobs import render_job

FONT = "fonts/NotoSans-Regular.ttf"
CSS = ("@font-face { font-family: T; src: url(static:fonts/NotoSans-Regular.ttf); }\n"
       "body { font-family: T; } @page { size: A6; }")


def _pdf(html: str) -> bytes:
    return pdf_client.render(render_job(html=html, css=CSS))


@pytest.mark.parametrize("url", [
    "http://example.org/logo.png",
    "https://127.0.0.1/logo.png",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "static:../../etc/passwd",
    "media:../secret.pdf",
    "static:css/site.css",  # a real static file, but not handed with the job
])
def test_fetcher_refuses_anything_but_the_files_handed_with_the_job(url):
    fetcher = LocalURLFetcher(static={FONT: str(Path("static") / FONT)})
    with pytest.raises(RemoteFetchRefused):
        fetcher.fetch(url)


def test_fetcher_serves_the_files_handed_as_paths_or_bytes():
    fetcher = LocalURLFetcher(static={FONT: str(Path("static") / FONT)},
                              media={"images/logo.png": b"\x89PNG..."})
    assert fetcher.fetch(f"static:{FONT}").read(4) == b"\x00\x01\x00\x00"
    assert fetcher.fetch("media:images/logo.png").read(4) == b"\x89PNG"


def test_render_job_hands_over_the_static_files_named_and_only_the_stored_files_listed(
    settings, tmp_path,
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    plan = default_storage.save("documents/plan.png", ContentFile(b"\x89PNG plan"))
    default_storage.save("certificates/2026/someone-else.pdf", ContentFile(b"%PDF-"))
    html = (f'<img src="media:{plan}"><img src="media:certificates/2026/someone-else.pdf">'
            '<img src="static:img/none.png"><img src="static:../../etc/passwd">')
    job = render_job(html=html, css=CSS, media=[plan, "../secret.png", "missing.png"])
    # Any stored file the caller lists (not only images), and nothing it does not.
    assert job["media"] == {plan: str(tmp_path / plan)}
    assert set(job["static"]) == {FONT}  # named in the CSS; the missing and unsafe ones dropped
    assert Engine().render(job).startswith(b"%PDF-")


def test_rendering_never_opens_a_connection(monkeypatch):
    """The engine itself, in this process so that the spy sees every connection it would open."""
    connections = []
    real_connect = socket.socket.connect

    def spy(self, address):
        connections.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    html = ('<html><body><img src="http://127.0.0.1:9/x.png">'
            '<link rel="stylesheet" href="https://example.org/x.css"><p>x</p></body></html>')
    job = render_job(html=html, css=CSS)
    assert Engine().render(job).startswith(b"%PDF-")
    assert connections == []
    assert _pdf(html).startswith(b"%PDF-")  # and through the renderer process


def test_renderer_process_survives_its_child_being_killed():
    renderer = pdf_client.renderer()
    assert _pdf("<p>one</p>").startswith(b"%PDF-")
    first = renderer.pid
    os.kill(first, 9)
    assert _pdf("<p>two</p>").startswith(b"%PDF-")  # started again for the job in hand
    assert renderer.pid not in (None, first)


def test_renderer_process_is_recycled_after_max_renders():
    renderer = pdf_client.RendererProcess(max_renders=2, timeout=60)
    job = render_job(html="<p>x</p>", css=CSS)
    try:
        pids = []
        for _ in range(3):
            assert renderer.render(job).startswith(b"%PDF-")
            pids.append(renderer.pid)
        assert pids[0] is not None
        assert pids[1] is None  # stopped after its 2nd render
        assert pids[2] not in (None, pids[0])  # a fresh one for the 3rd
    finally:
        renderer.stop()


def test_idle_renderer_leaves_and_a_new_one_takes_the_next_job():
    renderer = pdf_client.RendererProcess(idle_seconds=0.5)
    job = render_job(html="<p>x</p>", css=CSS)
    try:
        assert renderer.render(job).startswith(b"%PDF-")
        child = renderer.process
        child.wait(timeout=10)  # it leaves by itself once idle, giving its memory back
        assert renderer.render(job).startswith(b"%PDF-")
        assert renderer.process is not child
    finally:
        renderer.stop()


def test_renderer_process_is_killed_after_the_timeout():
    renderer = pdf_client.RendererProcess(timeout=0.01)
    try:
        with pytest.raises(pdf_client.RenderFailed, match="took more than"):
            renderer.render(render_job(html="<p>x</p>" * 2000, css=CSS))
        assert renderer.process is None  # killed, the next job starts a fresh one
    finally:
        renderer.stop()


def test_renderer_reports_errors_of_the_job():
    renderer = pdf_client.renderer()
    with pytest.raises(pdf_client.RenderFailed, match="KeyError"):
        renderer.render({"css": CSS})  # no "html"
    assert _pdf("<p>still serving</p>").startswith(b"%PDF-")




def test_the_renderer_child_holds_weasyprint_and_no_django():
    """The engine runs from its file: the ``lms`` package (which loads Celery) stays out of it."""
    import subprocess

    modules = subprocess.run(pdf_client.engine_command("--modules"), capture_output=True,
                             text=True, check=True, timeout=60).stdout.split()
    assert "weasyprint" in modules
    assert not {"django", "celery", "lms", "wagtail", "kombu"} & set(modules)
