-- Uploaded files (meeting documents, receipts), kept in the database so that every process of
-- every host reads them, under the tenant's isolation and in its backups (backend/files.py). A
-- file has the id of the row that owns it; its name and kind stay with that row.
CREATE TABLE stored_file (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    content_type VARCHAR(100) NOT NULL,
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256 VARCHAR(64) NOT NULL,
    content BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id)
);
