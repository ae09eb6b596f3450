-- Reminders of overdue invoices: the tenant's delays (days past the due date, e.g. 7 and 30), and
-- a row per reminder sent, so that each one is sent once.
ALTER TABLE billing_settings ADD COLUMN reminder_days VARCHAR(100) NOT NULL DEFAULT '7,30';

CREATE TABLE invoice_reminder (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    invoice_id UUID NOT NULL,
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),
    balance_cents INTEGER NOT NULL,
    sent_to VARCHAR(254) NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, invoice_id, days),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id)
);
