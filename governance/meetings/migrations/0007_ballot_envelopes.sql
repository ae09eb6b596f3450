-- Ballots of an open secret vote, each sealed in an envelope the database cannot open
-- (backend/sealing.py: AES-GCM, the key derived from SECRET_KEY and the vote, never stored here),
-- padded to one length; opened, shuffled and published at the close, then deleted. Written in the
-- same transaction as the voter's vote_cast row, the two share hidden system columns (xmin on
-- PostgreSQL): paired that way, an envelope still tells nothing.
CREATE TABLE ballot_envelope (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    envelope TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES vote (tenant_id, id)
);
CREATE INDEX ballot_envelope_by_vote ON ballot_envelope (tenant_id, vote_id);

-- The table of plain sealed ballots goes. Votes open at the upgrade would lose their ballots, so
-- the upgrade stops here if any is left (the CHECK fails): close the open votes, then upgrade.
CREATE TABLE upgrade_check_no_open_ballots (left_in_ballot_sealed INTEGER CHECK (left_in_ballot_sealed = 0));
INSERT INTO upgrade_check_no_open_ballots SELECT COUNT(*) FROM ballot_sealed;
DROP TABLE upgrade_check_no_open_ballots;
DROP TABLE ballot_sealed;
