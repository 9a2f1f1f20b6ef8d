"""The parent's side of the PDF renderer child (:mod:`lms.pdf.engine`).

Each web or worker process starts its own renderer on its first PDF and keeps it warm. The
renderer is replaced after ``max_renders`` jobs or when its peak memory passes ``max_memory_mb``
(a safety net), killed after ``timeout`` seconds on one job, and leaves by itself after
``idle_seconds`` without work. A renderer that died (killed, crashed) is started again once for
the job in hand; a second failure raises :class:`RenderFailed`, which callers retry or explain.
Settings: ``PDF_RENDER_TIMEOUT``, ``PDF_RENDERER_MAX_RENDERS``, ``PDF_RENDERER_MAX_MEMORY_MB``,
``PDF_RENDERER_IDLE_SECONDS``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from django.core.signals import setting_changed

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENGINE_PATH = Path(__file__).resolve().with_name("engine.py")
logger = logging.getLogger(__name__)


def engine_command(*args: str) -> list[str]:
    """The renderer's command line. The engine runs from its file, not as ``-m lms.pdf.engine``:
    importing the ``lms`` package would load the Celery app, and Django with it, into the child."""
    bootstrap = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], " \
                "run_name='__main__')"
    return [sys.executable, "-c", bootstrap, str(ENGINE_PATH), *args]


class RenderFailed(RuntimeError):
    """The renderer could not produce the PDF (error in the job, crash or timeout)."""


class RendererProcess:
    """A long-lived renderer child (:func:`engine_command`), one job at a time."""

    def __init__(self, *, timeout: float = 60, max_renders: int = 1000,
                 max_memory_mb: float = 200, idle_seconds: float = 600) -> None:
        self.timeout = timeout
        self.max_renders = max_renders
        self.max_memory_mb = max_memory_mb
        self.idle_seconds = idle_seconds
        self.process: subprocess.Popen | None = None
        self.renders = 0  # by the current child
        self.peak_mb = 0.0  # of the current child, from its last reply
        self._jobs: Connection | None = None
        self._replies: Connection | None = None
        # A threaded web server may render from several threads: one job at a time.
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def render(self, job: dict) -> bytes:
        with self._lock:
            for attempt in (1, 2):
                if self.process is None:
                    self._start()
                try:
                    self._jobs.send(job)
                    if not self._replies.poll(self.timeout):
                        self.stop(kill=True)
                        raise RenderFailed(f"the PDF renderer took more than {self.timeout} s")
                    reply = self._replies.recv()
                except (EOFError, OSError) as exc:  # the child died: idle, killed or crashed
                    self.stop(kill=True)
                    if attempt == 2:
                        raise RenderFailed(f"the PDF renderer stopped: {exc!r}") from exc
                    continue
                self.renders += 1
                self.peak_mb = reply["peak_kb"] / 1024
                if self.renders >= self.max_renders or self.peak_mb > self.max_memory_mb:
                    self.stop()
                if "error" in reply:
                    raise RenderFailed(reply["error"])
                return reply["pdf"]
        raise AssertionError("unreachable")

    def _start(self) -> None:
        jobs_read, jobs_write = os.pipe()
        replies_read, replies_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                engine_command(str(jobs_read), str(replies_write), str(self.idle_seconds)),
                pass_fds=(jobs_read, replies_write), stdin=subprocess.DEVNULL, cwd=PROJECT_ROOT,
            )
        finally:
            os.close(jobs_read)
            os.close(replies_write)
        self._jobs = Connection(jobs_write, readable=False)
        self._replies = Connection(replies_read, writable=False)
        self.renders = 0
        self.peak_mb = 0.0

    def stop(self, *, kill: bool = False) -> None:
        """Close the pipes (the child leaves when it reads the end), or kill it outright."""
        process, self.process = self.process, None
        for connection in (self._jobs, self._replies):
            if connection is not None:
                connection.close()
        self._jobs = self._replies = None
        if process is None:
            return
        if kill:
            process.kill()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


_renderer: RendererProcess | None = None
_renderer_pid: int | None = None
_renderer_lock = threading.Lock()


def renderer_reset(**kwargs) -> None:
    """Stop this process's renderer; the next PDF starts one with the current settings.

    Connected to ``setting_changed`` (below) so that a test overriding a ``PDF_RENDER*`` setting
    gets a renderer that uses it.
    """
    global _renderer
    if kwargs.get("setting", "PDF_RENDER").startswith("PDF_RENDER"):
        with _renderer_lock:
            if _renderer is not None and _renderer_pid == os.getpid():
                _renderer.stop()
            _renderer = None


def renderer() -> RendererProcess:
    """This process's renderer (a forked child gets its own, never its parent's pipes)."""
    global _renderer, _renderer_pid
    from django.conf import settings

    with _renderer_lock:
        if _renderer is None or _renderer_pid != os.getpid():
            _renderer = RendererProcess(
                timeout=settings.PDF_RENDER_TIMEOUT,
                max_renders=settings.PDF_RENDERER_MAX_RENDERS,
                max_memory_mb=settings.PDF_RENDERER_MAX_MEMORY_MB,
                idle_seconds=settings.PDF_RENDERER_IDLE_SECONDS,
            )
            _renderer_pid = os.getpid()
        return _renderer


def render(job: dict) -> bytes:
    """The PDF of one job (see :mod:`lms.pdf.jobs`) from this process's renderer."""
    return renderer().render(job)


# A renderer only exists once this module is imported, so connecting here is early enough.
setting_changed.connect(renderer_reset, dispatch_uid="lms.pdf.renderer_reset")
