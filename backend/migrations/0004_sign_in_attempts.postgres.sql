-- PostgreSQL: the sign-in throttle's counts, shared by every process and host of a deployment
-- (backend/throttle.py SharedAttempts). One row per key and fixed window; the key (a client
-- address or an account tried) is kept as its SHA-256, so no address is stored. Not a tenant's
-- data: no row-level security.

CREATE TABLE sign_in_attempt (
    key_hash CHAR(64) NOT NULL,
    window_start BIGINT NOT NULL,
    attempts INTEGER NOT NULL CHECK (attempts > 0),
    PRIMARY KEY (key_hash, window_start)
);
CREATE INDEX sign_in_attempt_by_window ON sign_in_attempt (window_start);
GRANT SELECT, INSERT, UPDATE, DELETE ON sign_in_attempt TO :app_role;
