-- The notice of a special general meeting, set apart from the annual meeting's: by-laws often ask
-- fewer days for a special meeting. An organisation's special meetings keep the notice they had.
ALTER TABLE governance_settings ADD COLUMN special_notice_days INTEGER NOT NULL DEFAULT 10 CHECK (special_notice_days BETWEEN 0 AND 365);
UPDATE governance_settings SET special_notice_days = general_notice_days;
