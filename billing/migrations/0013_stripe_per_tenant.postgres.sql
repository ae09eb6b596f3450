-- PostgreSQL: the Stripe keys and the reversals keyed by (tenant_id, id) (docs/citus.md), isolated
-- per tenant; the reversals append-only.
ALTER TABLE stripe_keys DROP CONSTRAINT stripe_keys_pkey;
ALTER TABLE stripe_keys ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE payment_reversal DROP CONSTRAINT payment_reversal_pkey;
ALTER TABLE payment_reversal ADD PRIMARY KEY (tenant_id, id);
GRANT SELECT, INSERT, UPDATE, DELETE ON stripe_keys TO :app_role;
GRANT SELECT, INSERT ON payment_reversal TO :app_role;

ALTER TABLE stripe_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stripe_keys USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
ALTER TABLE payment_reversal ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_reversal FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_reversal USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
