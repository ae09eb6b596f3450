-- The share ledger (Cooperatives Act, s. 124: the register keeps each member's shares): dated
-- operations numbered per tenant, each a list of movements (one member's change of shares
-- subscribed and paid, of one kind). Append-only: an operation is reversed by another, never
-- changed. member.shares_subscribed and shares_paid become the sums of the qualifying kind's
-- movements, written by the ledger in the operation's transaction.
CREATE TABLE share_operation (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    number INTEGER NOT NULL CHECK (number > 0),
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('opening', 'subscription', 'payment', 'transfer', 'redemption', 'conversion', 'correction', 'reversal')),
    occurred_on DATE NOT NULL,
    ground VARCHAR(20) CHECK (ground IN ('resignation', 'exclusion', 'death')),
    decision VARCHAR(100),
    paid_on DATE,
    reverses_id UUID,
    invoice_id UUID,
    reason TEXT NOT NULL,
    recorded_by UUID REFERENCES app_user (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, reverses_id) REFERENCES share_operation (tenant_id, id)
);
CREATE UNIQUE INDEX share_operation_reversed_once ON share_operation (tenant_id, reverses_id) WHERE reverses_id IS NOT NULL;

CREATE TABLE share_movement (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    operation_id UUID NOT NULL,
    member_id UUID NOT NULL,
    share_kind VARCHAR(20) NOT NULL CHECK (share_kind IN ('qualifying', 'preferred')),
    subscribed INTEGER NOT NULL,
    paid INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, operation_id) REFERENCES share_operation (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id)
);
CREATE INDEX share_movement_by_operation ON share_movement (tenant_id, operation_id);
CREATE INDEX share_movement_by_member ON share_movement (tenant_id, member_id, share_kind);

-- The ledger's settings of a tenant: the preferred shares' price (the qualifying shares' price and
-- number are the organisation's) and who signs the share certificates, as the board set them.
CREATE TABLE share_setting (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    preferred_price_cents INTEGER NOT NULL CHECK (preferred_price_cents >= 0),
    signatories TEXT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id)
);

-- A member's request to subscribe more shares or to have shares refunded, and the secretary's answer.
CREATE TABLE share_request (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    member_id UUID NOT NULL,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('subscription', 'refund')),
    share_kind VARCHAR(20) NOT NULL CHECK (share_kind IN ('qualifying', 'preferred')),
    shares INTEGER NOT NULL CHECK (shares > 0),
    note TEXT NOT NULL,
    status VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    answer TEXT,
    operation_id UUID,
    asked_at TIMESTAMPTZ NOT NULL,
    decided_by UUID REFERENCES app_user (id),
    decided_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, member_id) REFERENCES member (tenant_id, id),
    FOREIGN KEY (tenant_id, operation_id) REFERENCES share_operation (tenant_id, id)
);
CREATE INDEX share_request_by_status ON share_request (tenant_id, status, asked_at);
