-- Trainings: a cohort (the 2-hour partnership training, or a group of 17–26 trained with a partner
-- school) holds sessions; partners are enrolled in a cohort, their presence is recorded per session,
-- and an enrolment is completed once every session was attended. The feedback questionnaire is
-- answered once per enrolment (enrolment.feedback_at), and the answers are kept per cohort without
-- the person (training_feedback has no enrolment or partner column).

CREATE TABLE training_cohort (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    school VARCHAR(200) NOT NULL,
    required BOOLEAN NOT NULL,
    min_size INTEGER NOT NULL CHECK (min_size >= 1),
    max_size INTEGER NOT NULL CHECK (max_size >= min_size AND max_size <= 500),
    completed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, id)
);

CREATE TABLE training_session (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    cohort_id UUID NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    place VARCHAR(200) NOT NULL,
    trainers VARCHAR(400) NOT NULL,
    UNIQUE (tenant_id, id),
    CHECK (ends_at > starts_at),
    FOREIGN KEY (tenant_id, cohort_id) REFERENCES training_cohort (tenant_id, id)
);
CREATE INDEX training_session_by_cohort ON training_session (tenant_id, cohort_id, starts_at);

CREATE TABLE training_enrolment (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    cohort_id UUID NOT NULL,
    partner_id UUID NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    feedback_at TIMESTAMPTZ,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, cohort_id, partner_id),
    FOREIGN KEY (tenant_id, cohort_id) REFERENCES training_cohort (tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partner (tenant_id, id)
);
CREATE INDEX training_enrolment_by_partner ON training_enrolment (tenant_id, partner_id);

CREATE TABLE training_attendance (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    session_id UUID NOT NULL,
    enrolment_id UUID NOT NULL,
    present BOOLEAN NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, session_id, enrolment_id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES training_session (tenant_id, id),
    FOREIGN KEY (tenant_id, enrolment_id) REFERENCES training_enrolment (tenant_id, id)
);
CREATE INDEX training_attendance_by_enrolment ON training_attendance (tenant_id, enrolment_id);

CREATE TABLE training_feedback (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    id UUID PRIMARY KEY,
    cohort_id UUID NOT NULL,
    clarity INTEGER NOT NULL CHECK (clarity BETWEEN 1 AND 5),
    trainers INTEGER NOT NULL CHECK (trainers BETWEEN 1 AND 5),
    usefulness INTEGER NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    readiness INTEGER NOT NULL CHECK (readiness BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    answered_on DATE NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, cohort_id) REFERENCES training_cohort (tenant_id, id)
);
CREATE INDEX training_feedback_by_cohort ON training_feedback (tenant_id, cohort_id);
