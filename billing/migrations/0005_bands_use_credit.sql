-- Evening and weekend rate bands; check-in / check-out to bill actual use; the clinicians'
-- account credit (an overpayment kept, a credit note beyond what was due), applied to the next
-- invoices or refunded.
ALTER TABLE room_rate ADD COLUMN band VARCHAR(10) NOT NULL DEFAULT 'standard' CHECK (band IN ('standard', 'evening', 'weekend'));
ALTER TABLE billing_settings ADD COLUMN evening_from VARCHAR(5) NOT NULL DEFAULT '17:00';
ALTER TABLE billing_settings ADD COLUMN bill_actual_use BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE booking ADD COLUMN checked_in_at TIMESTAMPTZ;
ALTER TABLE booking ADD COLUMN checked_out_at TIMESTAMPTZ;

-- One row per movement of a clinician's credit: positive when credit is made (the excess of a
-- payment, of a credit note), negative when it is used (applied to an invoice, refunded).
CREATE TABLE account_credit (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    clinician_id UUID NOT NULL,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('overpayment', 'credit_note', 'applied', 'refund')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    invoice_id UUID,
    payment_id UUID,
    occurred_on DATE NOT NULL,
    reference VARCHAR(200) NOT NULL,
    recorded_by UUID REFERENCES app_user (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    CHECK ((kind IN ('overpayment', 'credit_note')) = (amount_cents > 0)),
    FOREIGN KEY (tenant_id, clinician_id) REFERENCES clinician_account (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payment (tenant_id, id)
);
CREATE INDEX account_credit_by_clinician ON account_credit (tenant_id, clinician_id);
CREATE INDEX account_credit_by_invoice ON account_credit (tenant_id, invoice_id);
