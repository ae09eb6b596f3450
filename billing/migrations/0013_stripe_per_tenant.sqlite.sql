-- SQLite: the reversals are append-only.
CREATE TRIGGER payment_reversal_no_update BEFORE UPDATE ON payment_reversal BEGIN SELECT RAISE(ABORT, 'payment_reversal is append-only'); END;
CREATE TRIGGER payment_reversal_no_delete BEFORE DELETE ON payment_reversal BEGIN SELECT RAISE(ABORT, 'payment_reversal is append-only'); END;
