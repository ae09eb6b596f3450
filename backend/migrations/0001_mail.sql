-- The e-mail outbox: each message is written in the transaction that decided to send it (so a
-- refused request sends nothing) and delivered over SMTP after the commit. It is the delivery log
-- too: one row per recipient, with its status, attempts and last error.
CREATE TABLE mail_message (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    purpose VARCHAR(60) NOT NULL,
    object_id UUID,
    recipient VARCHAR(254) NOT NULL,
    subject VARCHAR(300) NOT NULL,
    message BYTEA NOT NULL,
    status VARCHAR(10) NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL CHECK (attempts >= 0),
    last_error TEXT,
    queued_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id)
);
CREATE INDEX mail_message_by_status ON mail_message (tenant_id, status, queued_at);
CREATE INDEX mail_message_by_object ON mail_message (tenant_id, object_id);
