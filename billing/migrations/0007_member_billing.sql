-- Members' annual dues and share payments go through the same invoices: what an invoice is for
-- (room hours, a year's dues, shares), the dues year (one dues invoice per member and year), the
-- number of shares a share invoice is for; the dues per member category and their tax treatment.
ALTER TABLE invoice ADD COLUMN purpose VARCHAR(10) NOT NULL DEFAULT 'rooms' CHECK (purpose IN ('rooms', 'dues', 'shares'));
ALTER TABLE invoice ADD COLUMN dues_year INTEGER CHECK (dues_year IS NULL OR dues_year BETWEEN 2000 AND 2999);
ALTER TABLE invoice ADD COLUMN shares INTEGER CHECK (shares IS NULL OR shares > 0);
CREATE UNIQUE INDEX invoice_dues_once ON invoice (tenant_id, clinician_id, dues_year) WHERE kind = 'invoice' AND purpose = 'dues';
CREATE INDEX invoice_by_purpose ON invoice (tenant_id, purpose, dues_year);
-- Annual dues in cents per member category ({"user": 2000, "worker": 0}); a category left out
-- pays none. Dues and shares are outside GST/QST unless the tenant says dues are taxable.
ALTER TABLE billing_settings ADD COLUMN dues_cents JSONB NOT NULL DEFAULT '{}';
ALTER TABLE billing_settings ADD COLUMN dues_taxable BOOLEAN NOT NULL DEFAULT FALSE;
