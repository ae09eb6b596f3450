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


IDLE_POOL = """
import asyncio
from backend import pdf

async def main():
    pdf.IDLE_SECONDS = 0.5
    assert (await pdf.html_to_pdf("<p>Facture</p>")).startswith(b"%PDF")
    workers = list(pdf._executor()._processes.values())
    await asyncio.sleep(1.5)
    assert pdf._pool is None and not any(worker.is_alive() for worker in workers)
    assert (await pdf.html_to_pdf("<p>Encore</p>")).startswith(b"%PDF")  # started again when needed
    pdf.shutdown()
    print("stopped when idle, started again", flush=True)

asyncio.run(main())
"""


def test_an_idle_pool_stops_and_starts_again_at_the_next_pdf():
    done = subprocess.run([sys.executable, "-c", IDLE_POOL], capture_output=True, text=True, timeout=90)
    assert done.returncode == 0 and "stopped when idle, started again" in done.stdout, done.stderr
