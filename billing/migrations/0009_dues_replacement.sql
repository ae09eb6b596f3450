-- Dues credited in full (a wrong category, say) may be replaced by new dues for the same year:
-- the new invoice names the one it replaces. One dues invoice per member and year stays the
-- rule, now per replacement, so that two requests cannot both replace the same invoice.
ALTER TABLE invoice ADD COLUMN replaces_invoice_id UUID;
DROP INDEX invoice_dues_once;
CREATE UNIQUE INDEX invoice_dues_once ON invoice (tenant_id, clinician_id, dues_year, COALESCE(replaces_invoice_id, tenant_id)) WHERE kind = 'invoice' AND purpose = 'dues';
