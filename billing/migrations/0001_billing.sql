-- Room-hour billing: rooms, rates, bookings, invoices and credit notes, payments.
-- Money in integer cents; tax rates in pcm (thousandths of a percent: 9.975 % is 9975); times in UTC.

CREATE TABLE billing_settings (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    gst_rate_pcm INTEGER NOT NULL CHECK (gst_rate_pcm >= 0 AND gst_rate_pcm <= 100000),
    qst_rate_pcm INTEGER NOT NULL CHECK (qst_rate_pcm >= 0 AND qst_rate_pcm <= 100000),
    gst_number VARCHAR(40) NOT NULL,
    qst_number VARCHAR(40) NOT NULL,
    legal_name VARCHAR(200) NOT NULL,
    address TEXT NOT NULL,
    free_cancellation_hours INTEGER NOT NULL CHECK (free_cancellation_hours >= 0),
    late_fee_percent INTEGER NOT NULL CHECK (late_fee_percent BETWEEN 0 AND 100),
    no_show_percent INTEGER NOT NULL CHECK (no_show_percent BETWEEN 0 AND 100),
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id)
);

CREATE TABLE room (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    kind VARCHAR(40) NOT NULL,
    equipment TEXT NOT NULL,
    opening_hours JSONB NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);

-- A rate never changes once it may have been billed: a new tariff is a new rate valid from a
-- date on, and the previous one is closed the day before (old invoices never move).
CREATE TABLE room_rate (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    room_id UUID,
    room_kind VARCHAR(40),
    clinician_class VARCHAR(40) NOT NULL,
    hourly_cents INTEGER NOT NULL CHECK (hourly_cents >= 0),
    increment_minutes INTEGER NOT NULL CHECK (increment_minutes BETWEEN 1 AND 240),
    rounding VARCHAR(10) NOT NULL CHECK (rounding IN ('up', 'nearest', 'down')),
    minimum_minutes INTEGER NOT NULL CHECK (minimum_minutes BETWEEN 0 AND 1440),
    valid_from DATE NOT NULL,
    valid_until DATE,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    CHECK ((room_id IS NULL) <> (room_kind IS NULL)),
    CHECK (valid_until IS NULL OR valid_until >= valid_from),
    FOREIGN KEY (tenant_id, room_id) REFERENCES room (tenant_id, id)
);
CREATE INDEX room_rate_lookup ON room_rate (tenant_id, clinician_class, valid_from);

-- Whom the co-op invoices: a clinician's login, with the name, e-mail and language of their invoices.
CREATE TABLE clinician_account (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id),
    name VARCHAR(200) NOT NULL,
    email VARCHAR(254) NOT NULL,
    language VARCHAR(10) NOT NULL,
    clinician_class VARCHAR(40) NOT NULL,
    stripe_customer_id VARCHAR(100),
    calendar_token VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, user_id),
    UNIQUE (calendar_token)
);

CREATE TABLE booking_series (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    room_id UUID NOT NULL,
    clinician_id UUID NOT NULL,
    rrule TEXT NOT NULL,
    first_start TIMESTAMPTZ NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    exceptions JSONB NOT NULL,
    created_by UUID REFERENCES app_user (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, room_id) REFERENCES room (tenant_id, id),
    FOREIGN KEY (tenant_id, clinician_id) REFERENCES clinician_account (tenant_id, id)
);

-- No double booking: on PostgreSQL an exclusion constraint (0002_billing.postgres.sql); on SQLite
-- the check runs inside the write transaction, which holds SQLite's single write lock.
CREATE TABLE booking (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    room_id UUID NOT NULL,
    clinician_id UUID NOT NULL,
    series_id UUID,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    status VARCHAR(20) NOT NULL CHECK (status IN ('booked', 'cancelled', 'no_show')),
    cancelled_at TIMESTAMPTZ,
    cancellation_fee_percent INTEGER NOT NULL CHECK (cancellation_fee_percent BETWEEN 0 AND 100),
    created_by UUID REFERENCES app_user (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    CHECK (ends_at > starts_at),
    FOREIGN KEY (tenant_id, room_id) REFERENCES room (tenant_id, id),
    FOREIGN KEY (tenant_id, clinician_id) REFERENCES clinician_account (tenant_id, id),
    FOREIGN KEY (tenant_id, series_id) REFERENCES booking_series (tenant_id, id)
);
CREATE INDEX booking_by_room ON booking (tenant_id, room_id, starts_at);
CREATE INDEX booking_by_clinician ON booking (tenant_id, clinician_id, starts_at);

-- Invoices and credit notes. A draft may be replaced; an issued document is final (triggers
-- refuse any change), numbered gaplessly per tenant and year, and linked into a hash chain.
CREATE TABLE invoice (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    status VARCHAR(20) NOT NULL CHECK (status IN ('draft', 'issued')),
    clinician_id UUID NOT NULL,
    month VARCHAR(7) NOT NULL,
    credited_invoice_id UUID,
    number VARCHAR(20),
    issued_on DATE,
    due_on DATE,
    currency VARCHAR(3) NOT NULL,
    language VARCHAR(10) NOT NULL,
    gst_rate_pcm INTEGER NOT NULL,
    qst_rate_pcm INTEGER NOT NULL,
    subtotal_cents INTEGER NOT NULL,
    gst_cents INTEGER NOT NULL,
    qst_cents INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    seller JSONB NOT NULL,
    buyer JSONB NOT NULL,
    reason TEXT NOT NULL,
    chain_position INTEGER,
    previous_hash VARCHAR(64),
    hash VARCHAR(64),
    created_at TIMESTAMPTZ NOT NULL,
    issued_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    UNIQUE (tenant_id, chain_position),
    CHECK (total_cents = subtotal_cents + gst_cents + qst_cents),
    CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL)),
    CHECK (status = 'draft' OR (number IS NOT NULL AND hash IS NOT NULL AND issued_on IS NOT NULL)),
    FOREIGN KEY (tenant_id, clinician_id) REFERENCES clinician_account (tenant_id, id),
    FOREIGN KEY (tenant_id, credited_invoice_id) REFERENCES invoice (tenant_id, id)
);
CREATE INDEX invoice_by_month ON invoice (tenant_id, month, clinician_id);

CREATE TABLE invoice_line (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    invoice_id UUID NOT NULL,
    position INTEGER NOT NULL,
    kind VARCHAR(30) NOT NULL CHECK (kind IN ('room', 'late_cancellation', 'no_show', 'credit')),
    booking_id UUID,
    description TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    minutes INTEGER NOT NULL,
    hourly_cents INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    gst_cents INTEGER NOT NULL,
    qst_cents INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    FOREIGN KEY (tenant_id, booking_id) REFERENCES booking (tenant_id, id)
);
CREATE INDEX invoice_line_by_booking ON invoice_line (tenant_id, booking_id);

-- A closed month: nothing can be dated in it any more (issue, credit note, payment).
CREATE TABLE closed_month (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    month VARCHAR(7) NOT NULL,
    closed_by UUID REFERENCES app_user (id),
    closed_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, month)
);

CREATE TABLE payment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    invoice_id UUID NOT NULL,
    method VARCHAR(20) NOT NULL CHECK (method IN ('cheque', 'transfer', 'cash', 'stripe')),
    status VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    received_on DATE NOT NULL,
    reference VARCHAR(200) NOT NULL,
    stripe_payment_intent_id VARCHAR(100),
    recorded_by UUID REFERENCES app_user (id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, stripe_payment_intent_id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id)
);
CREATE INDEX payment_by_invoice ON payment (tenant_id, invoice_id);

-- Stripe events already processed: a replayed event changes nothing.
CREATE TABLE stripe_event (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    event_id VARCHAR(100) NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, event_id)
);
