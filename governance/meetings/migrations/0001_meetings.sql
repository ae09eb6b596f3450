-- General meetings, board meetings, attendance, motions and votes. Shared by SQLite and PostgreSQL.
-- Secret ballots: who has voted (vote_cast) is kept apart from what was voted (ballot_sealed while
-- the vote is open, ballot once it is closed); no ballot row holds a voter, a time or an order of
-- arrival: the published box is written at the close, shuffled, as a hash chain.

CREATE TABLE governance_settings (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    general_notice_days INTEGER NOT NULL CHECK (general_notice_days BETWEEN 0 AND 365),
    board_notice_days INTEGER NOT NULL CHECK (board_notice_days BETWEEN 0 AND 365),
    agm_months_after_year_end INTEGER NOT NULL CHECK (agm_months_after_year_end BETWEEN 1 AND 24),
    fiscal_year_end_month INTEGER NOT NULL CHECK (fiscal_year_end_month BETWEEN 1 AND 12),
    fiscal_year_end_day INTEGER NOT NULL CHECK (fiscal_year_end_day BETWEEN 1 AND 31),
    quorum_rule VARCHAR(20) NOT NULL CHECK (quorum_rule IN ('present', 'number', 'percent')),
    quorum_value INTEGER NOT NULL CHECK (quorum_value >= 0),
    abstentions_count BOOLEAN NOT NULL,
    presence_required BOOLEAN NOT NULL,
    representation_allowed BOOLEAN NOT NULL,
    proxies_allowed BOOLEAN NOT NULL,
    proxy_cap INTEGER NOT NULL CHECK (proxy_cap >= 0),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id)
);

CREATE TABLE meeting (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('annual_general', 'special_general', 'board')),
    title VARCHAR(200) NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    place VARCHAR(300),
    video_url VARCHAR(500),
    status VARCHAR(20) NOT NULL CHECK (status IN ('scheduled', 'in_session', 'adjourned')),
    deadline_reason TEXT,
    notice_sent_at TIMESTAMPTZ,
    late_notice_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (place IS NOT NULL OR video_url IS NOT NULL),
    UNIQUE (tenant_id, id)
);
CREATE INDEX meeting_by_date ON meeting (tenant_id, starts_at);

CREATE TABLE agenda_item (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    position INTEGER NOT NULL CHECK (position > 0),
    title VARCHAR(300) NOT NULL,
    description TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, position),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id)
);

CREATE TABLE meeting_presence (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    member_id UUID NOT NULL,
    present BOOLEAN NOT NULL,
    representative_name VARCHAR(200),
    first_arrived_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, meeting_id, member_id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);

CREATE TABLE motion (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    amends_id UUID,
    text TEXT NOT NULL,
    proposer_id UUID NOT NULL,
    seconder_id UUID NOT NULL,
    majority VARCHAR(20) NOT NULL CHECK (majority IN ('majority', 'two_thirds')),
    status VARCHAR(20) NOT NULL CHECK (status IN ('proposed', 'adopted', 'rejected', 'withdrawn')),
    resolution_number VARCHAR(40),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (proposer_id <> seconder_id),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, resolution_number),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, amends_id) REFERENCES motion (tenant_id, id),
    FOREIGN KEY (tenant_id, proposer_id) REFERENCES member (tenant_id, id),
    FOREIGN KEY (tenant_id, seconder_id) REFERENCES member (tenant_id, id)
);

CREATE TABLE vote (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    meeting_id UUID NOT NULL,
    motion_id UUID,
    question TEXT NOT NULL,
    secret BOOLEAN NOT NULL,
    majority VARCHAR(20) NOT NULL CHECK (majority IN ('majority', 'two_thirds')),
    category VARCHAR(30),
    status VARCHAR(20) NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    eligible_count INTEGER,
    opened_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    counts JSONB,
    votes_cast INTEGER,
    adopted BOOLEAN,
    chain_head VARCHAR(64),
    certified_by UUID REFERENCES app_user (id),
    certified_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, meeting_id) REFERENCES meeting (tenant_id, id),
    FOREIGN KEY (tenant_id, motion_id) REFERENCES motion (tenant_id, id)
);

-- Who may vote, frozen when the vote opens.
CREATE TABLE vote_eligibility (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    member_id UUID NOT NULL,
    category VARCHAR(30) NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, vote_id, member_id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES vote (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);

-- Who has voted: one member, one vote (the UNIQUE constraint), only the eligible (the foreign key).
-- No time and no link to the ballot. For an open (named) vote, the choice is public and kept here.
CREATE TABLE vote_cast (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    member_id UUID NOT NULL,
    named_choice VARCHAR(20),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, vote_id, member_id),
    FOREIGN KEY (tenant_id, vote_id, member_id) REFERENCES vote_eligibility (tenant_id, vote_id, member_id)
);

-- Ballots of an open vote: no voter, no time; emptied at the close into the published box.
CREATE TABLE ballot_sealed (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    choice VARCHAR(20) NOT NULL,
    receipt_hash VARCHAR(64) NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES vote (tenant_id, id)
);

-- The published ballot box: shuffled at the close, chained by hashes; append-only.
CREATE TABLE ballot (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    vote_id UUID NOT NULL,
    position INTEGER NOT NULL CHECK (position > 0),
    choice VARCHAR(20) NOT NULL,
    receipt_hash VARCHAR(64) NOT NULL,
    chain_hash VARCHAR(64) NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, vote_id, position),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES vote (tenant_id, id)
);
