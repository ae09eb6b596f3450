-- "Choose your password" links e-mailed to a person (forgotten password, new login): only the
-- hash of the secret is kept; a link works once, until it expires, at the tenant that sent it.
CREATE TABLE password_link (
    id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX password_link_user ON password_link (user_id);

-- When the password last changed: bearer tokens issued before it stop working (a reset is how a
-- person takes back a stolen account, and tokens live in each tenant's own rows).
ALTER TABLE app_user ADD COLUMN password_changed_at TIMESTAMPTZ;
