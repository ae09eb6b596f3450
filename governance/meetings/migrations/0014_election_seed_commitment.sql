-- The seed of an election's draws by lot is drawn when its vote opens (kept in tie_seed, not shown
-- until the close) and its commitment, SHA-256 of the seed as hex, is published from then on, so
-- the seed cannot be chosen once the ballots are known. NULL: opened before this (seed drawn at the close).
ALTER TABLE election ADD COLUMN seed_commitment VARCHAR(64);
