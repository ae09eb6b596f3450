-- SQLite: approved minutes refuse any change; no minutes are deleted.
CREATE TRIGGER meeting_minutes_frozen BEFORE UPDATE ON meeting_minutes WHEN OLD.status = 'approved' BEGIN SELECT RAISE(ABORT, 'approved minutes are frozen'); END;
CREATE TRIGGER meeting_minutes_no_delete BEFORE DELETE ON meeting_minutes BEGIN SELECT RAISE(ABORT, 'minutes are kept'); END;
