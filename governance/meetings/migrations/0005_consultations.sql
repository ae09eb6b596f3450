-- Consultations on orientations between meetings: an advisory online vote open for days, on the
-- ballot machinery of votes (vote.kind = 'consultation', no meeting). Eligibility is frozen when
-- it opens (active members, optionally of one category); the members are invited by e-mail.
CREATE TABLE consultation (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    title VARCHAR(200) NOT NULL,
    description TEXT NOT NULL,
    category VARCHAR(30),
    opens_at TIMESTAMPTZ NOT NULL,
    closes_at TIMESTAMPTZ NOT NULL,
    invited INTEGER,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (closes_at > opens_at),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, vote_id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES vote (tenant_id, id)
);
CREATE INDEX consultation_by_opening ON consultation (tenant_id, opens_at);
