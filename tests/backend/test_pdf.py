"""The PDF worker pool renders, and recovers when a worker dies."""

import os
import signal

from backend import pdf


async def test_a_dead_worker_does_not_break_pdfs_for_good():
    first = await pdf.html_to_pdf("<p>Registre</p>")
    assert first.startswith(b"%PDF")
    for pid in list(pdf._executor()._processes):
        os.kill(pid, signal.SIGKILL)  # what the kernel's OOM killer does
    assert (await pdf.html_to_pdf("<p>Encore</p>")).startswith(b"%PDF")
    pdf.shutdown()
