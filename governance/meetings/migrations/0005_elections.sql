-- Elections of directors, on the ballot machinery of votes: an election is a vote of kind
-- 'election' (its ballots mark or rank candidates by ballot number), with its seats, its method
-- and the candidates nominated by other members before the deadline.
ALTER TABLE vote ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'question' CHECK (kind IN ('question', 'election', 'consultation'));

CREATE TABLE election (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    meeting_id UUID NOT NULL,
    agenda_item_id UUID,
    title VARCHAR(200) NOT NULL,
    seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 50),
    method VARCHAR(20) NOT NULL CHECK (method IN ('plurality', 'stv')),
    category VARCHAR(30),
    nominations_close_at TIMESTAMPTZ NOT NULL,
    tie_seed VARCHAR(64),
    result JSONB,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, vote_id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES vote (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, agenda_item_id) REFERENCES agenda_item (tenant_id, id)
);

-- A member nominated by another member; on the ballot once they accept, before the vote opens.
CREATE TABLE candidacy (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    election_id UUID NOT NULL,
    member_id UUID NOT NULL,
    nominated_by UUID NOT NULL,
    accepted_at TIMESTAMPTZ,
    ballot_number INTEGER CHECK (ballot_number > 0),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (member_id <> nominated_by),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, election_id, member_id),
    UNIQUE (tenant_id, election_id, ballot_number),
    FOREIGN KEY (tenant_id, election_id) REFERENCES election (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id),
    FOREIGN KEY (tenant_id, nominated_by) REFERENCES member (tenant_id, id)
);
