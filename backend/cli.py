"""What every command of the `solidaire` command line stands on: settings from the environment and
an engine for the duration of the command.

Commands connect with MIGRATION_DATABASE_URL (the tables' owner, default DATABASE_URL); the
service itself connects with DATABASE_URL. The commands themselves come from each domain's
`cli.py`, assembled by the composition root (`solidaire/cli.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from backend import db, files, sealing
from backend.settings import Settings


def run_with_engine(work: Callable[..., Awaitable[object]]) -> object:
    """Runs `work(engine, settings)` against the owner's connection, pool opened and closed."""
    settings = Settings.from_env()
    sealing.configure(settings.secret_key)

    async def main() -> object:
        engine = db.make_engine(settings.migration_database_url)
        db.bind_tables(engine)
        await db.start(engine)
        try:
            return await work(engine, settings)
        finally:
            await db.stop(engine)

    return asyncio.run(main())


async def migrate(engine, settings: Settings) -> list[str]:
    """The migrations, then the move of the files a previous version kept under SOLIDAIRE_VAR into
    the database (backend/files.py): every command that migrates (`migrate`, `serve`, `demo`) does it."""
    applied = await db.migrate(engine, app_role=settings.app_role)
    await files.import_folders(engine, settings.var_dir)
    return applied
