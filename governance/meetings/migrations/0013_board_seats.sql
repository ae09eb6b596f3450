-- Seats on the board per member category, as the by-laws reserve them (a solidarity co-op elects
-- its directors by category): {"user": 3, "worker": 2}; empty: no seat is reserved.
ALTER TABLE governance_settings ADD COLUMN board_seats JSONB NOT NULL DEFAULT '{}';
