-- The kinds of expense that need a receipt before a claim is approved (a per-tenant policy).
ALTER TABLE partner_policy ADD COLUMN receipt_required_kinds JSONB NOT NULL DEFAULT '["transit", "parking", "meal"]';
