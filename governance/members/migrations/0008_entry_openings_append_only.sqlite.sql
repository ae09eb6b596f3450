-- SQLite: who opened a member's entry refuses updates and deletes.
CREATE TRIGGER member_entry_opening_no_update BEFORE UPDATE ON member_entry_opening BEGIN SELECT RAISE(ABORT, 'member_entry_opening is append-only'); END;
CREATE TRIGGER member_entry_opening_no_delete BEFORE DELETE ON member_entry_opening BEGIN SELECT RAISE(ABORT, 'member_entry_opening is append-only'); END;
