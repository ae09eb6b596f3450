-- PostgreSQL: a billing account is a clinician's (a login) or a member's (a register entry, with
-- or without a login); invoice lines may bill dues and shares.
ALTER TABLE clinician_account ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE clinician_account ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'clinician' CHECK (kind IN ('clinician', 'member'));
ALTER TABLE clinician_account ADD COLUMN member_id UUID;
ALTER TABLE clinician_account ADD CONSTRAINT clinician_account_member_fk FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id);
ALTER TABLE clinician_account ADD CONSTRAINT clinician_account_one_per_member UNIQUE (tenant_id, member_id);
ALTER TABLE clinician_account ADD CONSTRAINT clinician_account_holder CHECK ((kind = 'clinician' AND user_id IS NOT NULL AND member_id IS NULL) OR (kind = 'member' AND member_id IS NOT NULL AND user_id IS NULL));
ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_kind_check;
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_kind_check CHECK (kind IN ('room', 'late_cancellation', 'no_show', 'credit', 'dues', 'shares'));
