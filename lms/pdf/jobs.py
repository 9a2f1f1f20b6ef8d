"""Render jobs: the HTML, its stylesheet and exactly the files it may use, for the renderer.

The HTML and CSS refer to files as ``static:<name>`` (fonts, logos shipped with the code) and
``media:<name>`` (stored files: image renditions, uploaded documents…). Static files referenced
in the HTML or CSS are handed over; stored files only when the caller lists them, so a document
shows nothing from storage that its caller did not choose. The renderer refuses every other URL
(:class:`lms.pdf.engine.LocalURLFetcher`). Files go as local paths when the storage has them,
as bytes otherwise (S3-compatible storage).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from html import unescape as html_unescape
from pathlib import PurePosixPath

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

STATIC_REFERENCE = re.compile(r"""\bstatic:/*([^"'()\s<>]+)""")


def _safe_name(name: str) -> bool:
    return bool(name) and not name.startswith("/") and ".." not in PurePosixPath(name).parts


@functools.lru_cache(maxsize=64)
def _static_source(name: str) -> str | bytes:
    """A static file as a path the renderer can open, or as bytes (collected static on S3…)."""
    path = finders.find(name)
    if path:
        return str(path)
    with staticfiles_storage.open(name) as handle:
        return handle.read()


def _media_source(name: str) -> str | bytes:
    """A stored file through the storage API: a local path, or its bytes for a remote storage."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # S3-compatible storage: no local path
        with default_storage.open(name) as handle:
            return handle.read()
    if not os.path.isfile(path):
        raise FileNotFoundError(name)
    return path


@functools.lru_cache(maxsize=16)
def static_text(name: str) -> str:
    """A static file's text (a stylesheet), read once per process."""
    source = _static_source(name)
    if isinstance(source, bytes):
        return source.decode("utf-8")
    with open(source, encoding="utf-8") as handle:
        return handle.read()


def render_job(*, html: str, css: str, media: Iterable[str] = ()) -> dict:
    """One job for :func:`lms.pdf.client.render`.

    ``media`` names the stored files (``default_storage`` names) the HTML may show as
    ``media:<name>``: any stored file, but only those. A file that is missing renders as missing
    (WeasyPrint logs it) rather than failing the whole document.
    """
    files: dict[str, dict] = {"static": {}, "media": {}}
    for raw in STATIC_REFERENCE.findall(css + html):
        name = html_unescape(raw)
        if name in files["static"] or not _safe_name(name):
            continue
        try:
            files["static"][name] = _static_source(name)
        except (OSError, ValueError, SuspiciousFileOperation):
            continue
    for name in media:
        if not name or name in files["media"] or not _safe_name(name):
            continue
        try:
            files["media"][name] = _media_source(name)
        except (OSError, ValueError, SuspiciousFileOperation):
            continue
    return {"html": html, "css": css, **files}
