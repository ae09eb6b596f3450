"""Uploaded files (meeting documents, receipts) kept in the database, not on a host's disk: every
process of every host behind the load balancer reads what another stored, the tenant's row-level
security keeps them apart, and the database's backups hold them.

`store` writes in the caller's transaction (a refused request leaves no file, a committed one never
lacks its file); `read` finds a file by (tenant, id). The domains give a file the id of the row that
owns it (a meeting document, a receipt) and keep its name and checks themselves.

An installation upgraded from a version that kept the files under SOLIDAIRE_VAR has them moved in by
`import_folders`, run with the migrations (`solidaire migrate`, `serve`, `demo`).
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import structlog
from piccolo.columns import UUID, Bytea, Integer, Timestamptz, Varchar
from piccolo.engine.base import Engine
from piccolo.table import Table

from backend import db
from backend.clock import now

log = structlog.get_logger()

# Where the previous versions kept the files: SOLIDAIRE_VAR/<folder>/<tenant id>/<file id>.
LEGACY_FOLDERS = ("meeting-documents", "receipts")
_SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


class StoredFile(Table, tablename="stored_file"):
    tenant_id = UUID()
    id = UUID(primary_key=True)
    content_type = Varchar(length=100)
    size_bytes = Integer()
    sha256 = Varchar(length=64)
    content = Bytea()
    created_at = Timestamptz()


async def store(tenant_id: uuid.UUID, file_id: uuid.UUID, content_type: str, data: bytes) -> None:
    """Keeps one file, in the current transaction."""
    await StoredFile.insert(StoredFile(
        tenant_id=tenant_id, id=file_id, content_type=content_type, size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(), content=data, created_at=now(),
    ))


async def read(tenant_id: uuid.UUID, file_id: uuid.UUID) -> bytes:
    """A file's bytes; LookupError if this tenant has no file with this id."""
    row = await StoredFile.select(StoredFile.content).where((StoredFile.tenant_id == tenant_id) & (StoredFile.id == file_id)).first()
    if row is None:
        raise LookupError(f"no stored file {file_id} of tenant {tenant_id}")
    return bytes(row["content"])


# --- the move from the files folder ----------------------------------------------------------


def _uuid(name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(name)
    except ValueError:
        return None


def _content_type(data: bytes) -> str:
    return next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), "application/octet-stream")


async def import_folders(engine: Engine, var_dir: Path) -> int:
    """Moves the files a previous version kept under `var_dir` into the database, each in its own
    transaction, and removes each one once its commit is done and the stored copy is the same.
    Run again, it finds nothing left to do (or finishes what an interruption left). Returns how many
    files were moved; those it cannot place (an unknown tenant, a name that is no id) stay, logged."""
    moved = 0
    for folder in LEGACY_FOLDERS:
        root = var_dir / folder
        if not root.is_dir():
            continue
        for tenant_dir in sorted(root.iterdir()):
            tenant_id = _uuid(tenant_dir.name)
            known = tenant_id is not None and bool(await db.execute(engine, "SELECT id FROM tenant WHERE id = {}", tenant_id))
            if not known or not tenant_dir.is_dir():
                log.warning("files.import_skipped", path=str(tenant_dir), reason="not a known tenant's folder")
                continue
            for path in sorted(tenant_dir.iterdir()):
                moved += await _import_one(engine, tenant_id, path)
            _remove_if_empty(tenant_dir)
        _remove_if_empty(root)
    if moved:
        log.info("files.imported", files=moved, var=str(var_dir))
    return moved


async def _import_one(engine: Engine, tenant_id: uuid.UUID, path: Path) -> int:
    file_id = _uuid(path.name)
    if file_id is None or not path.is_file():
        log.warning("files.import_skipped", path=str(path), reason="not a file named by its id")
        return 0
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    async with db.tenant_transaction(engine, tenant_id, write=True):
        # (no conflict target: the key is (tenant_id, id) on PostgreSQL, billing/0010, and id on SQLite)
        await db.execute(
            engine,
            "INSERT INTO stored_file (tenant_id, id, content_type, size_bytes, sha256, content, created_at) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}) ON CONFLICT DO NOTHING",
            tenant_id, file_id, _content_type(data), len(data), digest, data, now(),
        )
        kept = await db.execute(engine, "SELECT sha256 FROM stored_file WHERE tenant_id = {} AND id = {}", tenant_id, file_id)
    if not kept or kept[0]["sha256"] != digest:
        log.warning("files.import_skipped", path=str(path), reason="another file is stored with this id")
        return 0
    path.unlink()  # after the commit: the database holds the same bytes
    return 1


def _remove_if_empty(folder: Path) -> None:
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
