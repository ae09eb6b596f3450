-- SQLite: a billing account is a clinician's (a login) or a member's (a register entry, with or
-- without a login); invoice lines may bill dues and shares. SQLite cannot drop a NOT NULL or
-- change a CHECK, so both tables are rebuilt with the same ids. Foreign keys stay on during a
-- migration (it runs in one transaction), so they are deferred to the commit, and the rows are
-- copied back after the new table has its name: the references of bookings, invoices and credit
-- movements find them again before the commit checks them.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE clinician_account_copy AS SELECT * FROM clinician_account;
CREATE TABLE clinician_account_new (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    user_id UUID REFERENCES app_user (id),
    name VARCHAR(200) NOT NULL,
    email VARCHAR(254) NOT NULL,
    language VARCHAR(10) NOT NULL,
    clinician_class VARCHAR(40) NOT NULL,
    stripe_customer_id VARCHAR(100),
    calendar_token VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    kind VARCHAR(20) NOT NULL DEFAULT 'clinician' CHECK (kind IN ('clinician', 'member')),
    member_id UUID,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, user_id),
    UNIQUE (tenant_id, member_id),
    UNIQUE (calendar_token),
    CHECK ((kind = 'clinician' AND user_id IS NOT NULL AND member_id IS NULL) OR (kind = 'member' AND member_id IS NOT NULL AND user_id IS NULL)),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);
DROP TABLE clinician_account;
ALTER TABLE clinician_account_new RENAME TO clinician_account;
INSERT INTO clinician_account (tenant_id, id, user_id, name, email, language, clinician_class, stripe_customer_id, calendar_token, created_at, kind, member_id)
    SELECT tenant_id, id, user_id, name, email, language, clinician_class, stripe_customer_id, calendar_token, created_at, 'clinician', NULL FROM clinician_account_copy;
DROP TABLE clinician_account_copy;

CREATE TEMP TABLE invoice_line_copy AS SELECT * FROM invoice_line;
CREATE TABLE invoice_line_new (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    invoice_id UUID NOT NULL,
    position INTEGER NOT NULL,
    kind VARCHAR(30) NOT NULL CHECK (kind IN ('room', 'late_cancellation', 'no_show', 'credit', 'dues', 'shares')),
    booking_id UUID,
    description TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    minutes INTEGER NOT NULL,
    hourly_cents INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    gst_cents INTEGER NOT NULL,
    qst_cents INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    FOREIGN KEY (tenant_id, booking_id) REFERENCES booking (tenant_id, id)
);
DROP TABLE invoice_line;
ALTER TABLE invoice_line_new RENAME TO invoice_line;
INSERT INTO invoice_line SELECT * FROM invoice_line_copy;
DROP TABLE invoice_line_copy;
CREATE INDEX invoice_line_by_booking ON invoice_line (tenant_id, booking_id);
CREATE TRIGGER invoice_line_issued_no_insert BEFORE INSERT ON invoice_line WHEN EXISTS (SELECT 1 FROM invoice WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id AND status = 'issued') BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are final'); END;
CREATE TRIGGER invoice_line_issued_no_update BEFORE UPDATE ON invoice_line WHEN EXISTS (SELECT 1 FROM invoice WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status = 'issued') BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are final'); END;
CREATE TRIGGER invoice_line_issued_no_delete BEFORE DELETE ON invoice_line WHEN EXISTS (SELECT 1 FROM invoice WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status = 'issued') BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice are final'); END;
