-- How a vote is taken: a secret electronic ballot, an open (named) electronic vote, a show of
-- hands or paper ballots counted by the scrutineers, or a hybrid of secret online ballots and the
-- room's count. The scrutineers' count is entered once (room_counted_at), never after the
-- certification; the published box (counts) stays the online ballots alone, so it still verifies.
ALTER TABLE vote ADD COLUMN mode VARCHAR(10) NOT NULL DEFAULT 'secret' CHECK (mode IN ('secret', 'named', 'hands', 'hybrid'));
UPDATE vote SET mode = 'named' WHERE NOT secret;
ALTER TABLE vote ADD COLUMN room_counts JSONB;
ALTER TABLE vote ADD COLUMN room_counted_by UUID REFERENCES app_user (id);
ALTER TABLE vote ADD COLUMN room_counted_at TIMESTAMPTZ;
