"""HTML to PDF with WeasyPrint, in a pool of worker processes (rendering is CPU-bound and would
otherwise block the event loop). WeasyPrint is imported inside the worker only.

The pool starts at the first PDF and stops after a minute without one: a server process that
renders now and then (a download) does not keep two renderers of ~100 MiB each for good, and
with several server processes on a host only those rendering hold them (the month's PDFs are the
queue's work, `solidaire worker`)."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_pool: ProcessPoolExecutor | None = None
IDLE_SECONDS = 60.0
_rendering = 0  # renders under way
_idle_timer: asyncio.TimerHandle | None = None


def _render(html: str, base_url: str | None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (in the worker only: the server process never loads it)

    return HTML(string=html, base_url=base_url).write_pdf()


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # forkserver: the workers do not inherit the server's threads and open connections.
        _pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("forkserver"))
    return _pool


async def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    global _rendering
    loop = asyncio.get_running_loop()
    _rendering += 1
    try:
        return await loop.run_in_executor(_executor(), _render, html, base_url)
    except BrokenProcessPool:
        # A worker died (killed for memory, say): start a new pool rather than fail from now on.
        # Without waiting: a broken pool's queues may be held by the dead worker.
        shutdown(wait=False)
        return await loop.run_in_executor(_executor(), _render, html, base_url)
    finally:
        _rendering -= 1
        _stop_when_idle(loop)


def _stop_when_idle(loop: asyncio.AbstractEventLoop) -> None:
    """(Re)starts the countdown after which an unused pool stops."""
    global _idle_timer
    if _idle_timer is not None:
        _idle_timer.cancel()
    _idle_timer = loop.call_later(IDLE_SECONDS, _stop_if_idle)


def _stop_if_idle() -> None:
    if _rendering == 0:
        shutdown(wait=False)  # nothing under way: its workers exit at once


def shutdown(*, wait: bool = True) -> None:
    global _pool, _idle_timer
    if _idle_timer is not None:
        _idle_timer.cancel()
        _idle_timer = None
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None
