-- The register of directors (s. 124): who sits on the board, for which category's seat (a
-- solidarity co-op elects directors per member category) and for which term. term_ends_on is
-- the day the term ended: the director no longer sits from that day. A member holds one open
-- term at a time (the partial UNIQUE index: two appointments at once cannot both pass).
CREATE TABLE director (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    member_id UUID NOT NULL,
    seat_category VARCHAR(30),
    term_starts_on DATE NOT NULL,
    term_ends_on DATE,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (term_ends_on IS NULL OR term_ends_on >= term_starts_on),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);
CREATE UNIQUE INDEX director_one_open_term ON director (tenant_id, member_id) WHERE term_ends_on IS NULL;
