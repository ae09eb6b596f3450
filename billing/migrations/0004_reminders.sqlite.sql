-- SQLite: the reminders' log is append-only.
CREATE TRIGGER invoice_reminder_no_update BEFORE UPDATE ON invoice_reminder BEGIN SELECT RAISE(ABORT, 'invoice_reminder is append-only'); END;
CREATE TRIGGER invoice_reminder_no_delete BEFORE DELETE ON invoice_reminder BEGIN SELECT RAISE(ABORT, 'invoice_reminder is append-only'); END;
