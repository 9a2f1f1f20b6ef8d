"""The PDF renderer child: WeasyPrint and nothing else; Django is never imported.

Started by :mod:`lms.pdf.client` from this file (``engine.py <job fd> <reply fd> [idle
seconds]``; ``engine.py --modules`` lists what it imports). Each job is a dict: ``html``,
``css`` (with its ``@page`` rule), ``static`` and ``media`` (name → file path or bytes, for the
``static:<name>`` and ``media:<name>`` URLs the HTML and CSS use; built by :mod:`lms.pdf.jobs`).
The reply is ``{"pdf": bytes}`` or ``{"error": str}``, with the process's peak memory
(``peak_kb``) so that the parent can recycle it. The pipes are private to the parent and this
process, so the pickled messages come from trusted code only.
"""

from __future__ import annotations

import logging
import mimetypes
import sys
from multiprocessing.connection import Connection
from pathlib import PurePosixPath

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

CACHE_LIMIT = 64  # parsed stylesheets and decoded images kept between renders, per kind


class RemoteFetchRefused(ValueError):
    """WeasyPrint asked for something that is not a static or media file handed with the job."""


def peak_kb() -> int:
    """This process's peak resident memory (VmHWM), in KiB; 0 where /proc is not available."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class LocalURLFetcher(URLFetcher):
    """Serves the ``static:`` and ``media:`` files handed with the job and ``data:`` URLs, only.

    Anything else (http, https, file, ftp, a file the job did not name…) is refused: a document
    never depends on, nor leaks anything to, another server, and its HTML cannot read the disk.
    """

    def __init__(self, *, static: dict | None = None, media: dict | None = None) -> None:
        super().__init__()
        self.files = {"static": dict(static or {}), "media": dict(media or {})}

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme, _, rest = url.partition(":")
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme not in self.files:
            raise RemoteFetchRefused(f"refused URL {url!r}: documents only use the job's files")
        name = rest.lstrip("/")
        if not name or ".." in PurePosixPath(name).parts or name not in self.files[scheme]:
            raise RemoteFetchRefused(f"refused path {url!r}")
        source = self.files[scheme][name]
        if isinstance(source, str):
            with open(source, "rb") as handle:
                source = handle.read()
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, source, {"Content-Type": mime})


class Engine:
    """One font configuration, stylesheet cache and image cache for every render of the process.

    A shared ``FontConfiguration`` keeps memory flat and is faster than one per render;
    stylesheets and their ``@font-face`` fonts are parsed once; decoded images are kept, since
    the stored files a job names (renditions…) never change in place.
    """

    def __init__(self) -> None:
        self.font_config = FontConfiguration()
        self.fetcher = LocalURLFetcher()
        self.stylesheets: dict[str, CSS] = {}
        self.images: dict = {}

    def render(self, job: dict) -> bytes:
        # Add this job's files: fonts are fetched while a stylesheet is parsed, images during
        # layout, both through the same fetcher.
        for scheme in ("static", "media"):
            self.fetcher.files[scheme].update(job.get(scheme) or {})
        css = job["css"]
        if css not in self.stylesheets:
            if len(self.stylesheets) >= CACHE_LIMIT:
                self.stylesheets.clear()
            self.stylesheets[css] = CSS(
                string=css, font_config=self.font_config, url_fetcher=self.fetcher
            )
        if len(self.images) > CACHE_LIMIT:
            self.images.clear()
        try:
            document = HTML(string=job["html"], base_url="static:/", url_fetcher=self.fetcher)
            return document.write_pdf(
                stylesheets=[self.stylesheets[css]], font_config=self.font_config,
                cache=self.images,
            )
        finally:
            # Media are per job: a later job must not read a file it was not handed.
            self.fetcher.files["media"].clear()


def serve(jobs: Connection, replies: Connection, *, idle_seconds: float | None = None) -> None:
    """Answer jobs until the parent closes its end, or until idle for ``idle_seconds``."""
    engine = Engine()
    while True:
        if idle_seconds and not jobs.poll(idle_seconds):
            return  # give the memory back; the parent starts a new renderer when needed
        try:
            job = jobs.recv()
        except EOFError:
            return
        try:
            reply = {"pdf": engine.render(job)}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            logging.getLogger(__name__).exception("PDF rendering failed")
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        reply["peak_kb"] = peak_kb()
        try:
            replies.send(reply)
        except OSError:  # the parent died while this PDF was rendered (a killed worker)
            return


def main(argv: list[str]) -> int:
    if argv[1:] == ["--modules"]:  # what a renderer holds: WeasyPrint and the standard library
        print(" ".join(sorted({name.partition(".")[0] for name in sys.modules})))
        return 0
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr,
        format="pdf-renderer %(levelname)s %(name)s: %(message)s",
    )
    jobs_fd, replies_fd, idle = int(argv[1]), int(argv[2]), float(argv[3]) if len(argv) > 3 else 0
    serve(Connection(jobs_fd, writable=False), Connection(replies_fd, readable=False),
          idle_seconds=idle or None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
