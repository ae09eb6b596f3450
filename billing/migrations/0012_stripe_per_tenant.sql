-- (On PostgreSQL the two new tables are then keyed by (tenant_id, id), as every tenant-owned table
-- there: 0010_keys_by_tenant.postgres.sql, 0013.)
--
-- Card payments go to each organisation's own Stripe account: its keys, entered by its treasurer,
-- sealed with the service's SECRET_KEY (backend/sealing.py) so the database alone cannot use them.
CREATE TABLE stripe_keys (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    publishable_key VARCHAR(200) NOT NULL,
    secret_key_sealed TEXT NOT NULL,
    secret_key_hint VARCHAR(20) NOT NULL,
    webhook_secret_sealed TEXT NOT NULL,
    live BOOLEAN NOT NULL,
    updated_by UUID REFERENCES app_user (id),
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id)
);

-- What Stripe last said of a PaymentIntent (processing while a pre-authorised debit clears); the
-- payment's own status stays pending until it succeeds or fails.
ALTER TABLE payment ADD COLUMN stripe_status VARCHAR(40);

-- Money a card payment gave back or had taken back, each from one Stripe object: a refund, a
-- dispute's withdrawal, the reinstatement of a dispute won. What an invoice has been paid is its
-- payments less these. Written once each (the object and the kind are unique), never changed.
CREATE TABLE payment_reversal (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    payment_id UUID NOT NULL,
    invoice_id UUID NOT NULL,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('refund', 'dispute', 'reinstatement')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    stripe_object_id VARCHAR(100) NOT NULL,
    occurred_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, stripe_object_id, kind),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payment (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id)
);
CREATE INDEX payment_reversal_by_invoice ON payment_reversal (tenant_id, invoice_id);
