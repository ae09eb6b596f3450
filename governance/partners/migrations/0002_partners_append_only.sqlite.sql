-- SQLite: who opened a partner's file refuses updates and deletes.
CREATE TRIGGER partner_file_access_no_update BEFORE UPDATE ON partner_file_access BEGIN SELECT RAISE(ABORT, 'partner_file_access is append-only'); END;
CREATE TRIGGER partner_file_access_no_delete BEFORE DELETE ON partner_file_access BEGIN SELECT RAISE(ABORT, 'partner_file_access is append-only'); END;
