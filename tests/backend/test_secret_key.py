"""The generated SECRET_KEY of the embedded default: processes that start together on a fresh
folder (`serve --workers N`) all end with one key, never an empty or a half-written one."""

import multiprocessing

from backend import settings

GROUPS = 40  # of three processes (each group a fresh folder: 40 races for the one key)


def _read_key(folder, barrier, keys) -> None:
    barrier.wait()  # every process of the group asks at once
    keys.put((str(folder), settings._secret_key(folder)))


def test_processes_starting_together_on_a_fresh_folder_get_one_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    processes = multiprocessing.get_context("forkserver")  # real processes, forked from a clean one
    keys = processes.Queue()
    found: dict[str, set[str]] = {}
    for group in range(GROUPS):
        folder = tmp_path / f"var-{group}"
        barrier = processes.Barrier(3)
        started = [processes.Process(target=_read_key, args=(folder, barrier, keys)) for _ in range(3)]
        for process in started:
            process.start()
        for _ in started:  # read before joining: a child exits once its key is through the pipe
            folder_read, key = keys.get(timeout=10)
            found.setdefault(folder_read, set()).add(key)
        for process in started:
            process.join(10)
            assert process.exitcode == 0
    assert len(found) == GROUPS
    assert all(len(group) == 1 and len(next(iter(group))) >= 64 for group in found.values())
    assert not [path for path in tmp_path.rglob(".secret_key.*")]  # no candidate left behind
    assert {oct(path.stat().st_mode & 0o777) for path in tmp_path.rglob("secret_key")} == {"0o600"}
