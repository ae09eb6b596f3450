-- "Choose your password" links e-mailed to a person (forgotten password, new login): only the
-- hash of the secret is kept; a link works once and until it expires.
CREATE TABLE password_link (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX password_link_user ON password_link (user_id);
