"""The PDF worker pool renders, and recovers when a worker dies."""

import subprocess
import sys

DEAD_WORKER = """
import asyncio, os, signal
from backend import pdf

async def main():
    assert (await pdf.html_to_pdf("<p>Registre</p>")).startswith(b"%PDF")
    for pid in list(pdf._executor()._processes):
        os.kill(pid, signal.SIGKILL)  # what the kernel's OOM killer does
    assert (await pdf.html_to_pdf("<p>Encore</p>")).startswith(b"%PDF")
    pdf.shutdown()
    print("rendered after the workers died", flush=True)

asyncio.run(main())
os._exit(0)
"""


def test_a_dead_worker_does_not_break_pdfs_for_good():
    # In a process of its own: at exit, Python joins the threads of every pool it made, and the
    # broken pool's may wait forever on the dead worker's pipe (the test suite would hang).
    done = subprocess.run([sys.executable, "-c", DEAD_WORKER], capture_output=True, text=True, timeout=90)
    assert done.returncode == 0 and "rendered after the workers died" in done.stdout, done.stderr
