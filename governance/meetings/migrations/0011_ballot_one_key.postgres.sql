-- The published box checked each ballot's tenant twice: its tenant_id against tenant, and its
-- (tenant_id, vote_id) against vote, whose own tenant_id references tenant. The first check proves
-- nothing the second does not, and at a close it runs for every ballot: for 100,000 of them, about
-- a second of PostgreSQL's time, a fifth of the box's INSERT (EXPLAIN ANALYZE, bench/votes_burst.py).
-- It goes; the pair with vote stays (a ballot belongs to a vote of its own tenant).
ALTER TABLE ballot DROP CONSTRAINT IF EXISTS ballot_tenant_id_fkey;
