-- SQLite: the published ballot box and who has voted refuse updates and deletes.
CREATE TRIGGER ballot_no_update BEFORE UPDATE ON ballot BEGIN SELECT RAISE(ABORT, 'ballot is append-only'); END;
CREATE TRIGGER ballot_no_delete BEFORE DELETE ON ballot BEGIN SELECT RAISE(ABORT, 'ballot is append-only'); END;
CREATE TRIGGER vote_cast_no_update BEFORE UPDATE ON vote_cast BEGIN SELECT RAISE(ABORT, 'vote_cast is append-only'); END;
CREATE TRIGGER vote_cast_no_delete BEFORE DELETE ON vote_cast BEGIN SELECT RAISE(ABORT, 'vote_cast is append-only'); END;
