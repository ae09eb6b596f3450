-- The approved minutes of a general meeting are announced by e-mail when published, once, to the
-- members who consent to be contacted: how many were told, set with the publication (NULL: not
-- published yet, or a board meeting's minutes, not announced). The frozen-minutes triggers let the
-- publication's one update through, this column with it.
ALTER TABLE meeting_minutes ADD COLUMN members_told INTEGER CHECK (members_told >= 0);
