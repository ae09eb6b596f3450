"""A database made by the last release, with its demo, upgrades in place to this one.

The member register moved from `tenants/` to `governance/members/`, and its tables' migrations with
it: `tenants/0001_register.sql` became `tenants/0001_tenants.sql` and
`governance.members/0001_register.sql` (the same for the row-level security of 0002). An upgraded
database records the new ids without running them again (`-- formerly in:`, backend/db.py), and
every entry, status change and login link is still there, read by the new code, and the invoices it
issued still verify. The last release is
taken from the repository's history and run as its own process, on its own database.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from backend import db
from tests.conftest import APP_ROLE

ROOT = Path(__file__).resolve().parent.parent
LAST_RELEASE = "2421553"  # the last commit that landed before the register moved (stop 17)
MOVED = ("governance.members/0001_register.sql", "tenants/0001_tenants.sql")


@pytest.fixture
def last_release(tmp_path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", LAST_RELEASE], capture_output=True)
    assert archive.returncode == 0, f"the last release ({LAST_RELEASE}) is read from the repository's history: {archive.stderr.decode()}"
    tree = tmp_path / "release"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
        files.extractall(tree, filter="data")
    return tree


def solidaire(tree: Path, url: str, var: Path, *args: str) -> str:
    """The `solidaire` command of the code in `tree` (the last release, or this one)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "DATABASE_URL": url, "SOLIDAIRE_VAR": str(var), "DATABASE_APP_ROLE": APP_ROLE}
    env.pop("MIGRATION_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", "from solidaire.cli import main; main()", *args], cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


async def test_a_database_of_the_last_release_with_its_demo_upgrades_in_place(last_release, empty_database_url, tmp_path):
    made = solidaire(last_release, empty_database_url, tmp_path, "migrate")
    assert "applied tenants/0001_register.sql" in made and "governance.members" not in made  # (the old layout indeed)
    solidaire(last_release, empty_database_url, tmp_path, "demo")
    before = solidaire(last_release, empty_database_url, tmp_path, "members", "export", "--tenant", "coop-shawinigan")

    engine = db.make_engine(empty_database_url)
    await db.start(engine)
    try:
        upgraded = await db.migrate(engine, app_role=APP_ROLE)  # would fail creating a table that exists
        assert set(MOVED) <= set(upgraded) and not any(i.startswith("tenants/0001_register") for i in upgraded)
        recorded = {row["id"] for row in await db.execute(engine, "SELECT id FROM schema_migration")}
        assert {"tenants/0001_register.sql", *MOVED} <= recorded
        assert await db.migrate(engine, app_role=APP_ROLE) == []  # and once only
    finally:
        await db.stop(engine)

    after = solidaire(ROOT, empty_database_url, tmp_path, "members", "export", "--tenant", "coop-shawinigan")
    assert after == before and after.count("\n") > 30  # every entry, as the last release kept it
    checked = solidaire(ROOT, empty_database_url, tmp_path, "demo")
    assert "already there" in checked  # the upgraded database is recognised as the demo's
    # Its issued invoices, taxed line by line then, hash and verify as they were issued.
    assert "intact" in solidaire(ROOT, empty_database_url, tmp_path, "invoices", "verify", "--tenant", "coop-shawinigan")
