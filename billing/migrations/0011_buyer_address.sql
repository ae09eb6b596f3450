-- The postal address of a billing account, printed under the buyer's name on its invoices (a
-- clinician's, as the treasurer enters it; a member's, kept in step with the register).
ALTER TABLE clinician_account ADD COLUMN address TEXT NOT NULL DEFAULT '';
