-- SQLite: the account credit ledger is append-only.
CREATE TRIGGER account_credit_no_update BEFORE UPDATE ON account_credit BEGIN SELECT RAISE(ABORT, 'account_credit is append-only'); END;
CREATE TRIGGER account_credit_no_delete BEFORE DELETE ON account_credit BEGIN SELECT RAISE(ABORT, 'account_credit is append-only'); END;
