-- A meeting called can be cancelled before it is held (the status keeps where it was: scheduled),
-- with the reason told to those already called.
ALTER TABLE meeting ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE meeting ADD COLUMN cancel_reason TEXT;
