"""The worker's PDF renders: one at a time per machine, each in a child process of capped memory.

WeasyPrint holds a report's whole layout in memory until the last page is drawn, and Python
does not hand freed memory back: a worker that rendered a 5,000-activity report in-process
would keep that memory for good, and two at once could take a machine's. So the worker renders
in a child (`python -m followup.report.isolation`) whose address space is capped with
`RLIMIT_AS` (`PITEBRA_PDF_MEMORY_MB`): a report beyond it fails alone, as a failed rendering,
and the memory goes back to the machine when the child ends. A file lock
(`PITEBRA_PDF_LOCK`, flock) lets one render run per machine however many workers run there;
the others wait their turn.
"""

import contextlib
import contextvars
import fcntl
import os
import resource
import subprocess
import sys
from pathlib import Path

from django.conf import settings

_IN_WORKER = contextvars.ContextVar("pitebra_pdf_in_worker", default=False)


class RenderFailed(RuntimeError):
    """The child could not render the PDF (out of its memory, or WeasyPrint failed)."""


@contextlib.contextmanager
def worker_rendering():
    """Within it, `render_pdf` renders in a capped child under the machine's lock."""
    token = _IN_WORKER.set(True)
    try:
        yield
    finally:
        _IN_WORKER.reset(token)


def in_worker() -> bool:
    return _IN_WORKER.get()


@contextlib.contextmanager
def machine_lock():
    """Held while a PDF renders: other workers on this machine wait for it (flock)."""
    path = Path(settings.PITEBRA_PDF_LOCK)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:  # noqa: PTH123
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def render_in_child(html: str) -> bytes:
    """The PDF of `html`, rendered by a child process of capped memory, one per machine."""
    with machine_lock():
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "followup.report.isolation"],
            input=html.encode(),
            capture_output=True,
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "PITEBRA_PDF_MEMORY_MB": str(settings.PITEBRA_PDF_MEMORY_MB),
                "PYTHONPATH": str(settings.BASE_DIR),
            },
            check=False,
        )
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise RenderFailed(f"the PDF could not be rendered (exit {proc.returncode}): {tail[0]}")
    return proc.stdout


def cap_memory(megabytes: int) -> None:
    """Cap this process's address space (the child's first act)."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child() -> None:
    cap_memory(int(os.environ["PITEBRA_PDF_MEMORY_MB"]))
    # Settings only (the static directory): no app is loaded, no database is opened.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitebra.settings")
    from .pdf import render_pdf

    html = sys.stdin.buffer.read().decode()
    sys.stdout.buffer.write(render_pdf(html))


if __name__ == "__main__":
    _child()
