"""HTML to PDF with WeasyPrint, in a pool of worker processes (rendering is CPU-bound and would
otherwise block the event loop). WeasyPrint is imported inside the worker only."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_pool: ProcessPoolExecutor | None = None


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
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_executor(), _render, html, base_url)
    except BrokenProcessPool:
        # A worker died (killed for memory, say): start a new pool rather than fail from now on.
        # Without waiting: a broken pool's queues may be held by the dead worker.
        shutdown(wait=False)
        return await loop.run_in_executor(_executor(), _render, html, base_url)


def shutdown(*, wait: bool = True) -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None
