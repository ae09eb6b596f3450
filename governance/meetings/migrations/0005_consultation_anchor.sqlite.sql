-- SQLite: a consultation between meetings is a vote without a meeting, so vote.meeting_id becomes
-- nullable. SQLite cannot drop a NOT NULL constraint with ALTER TABLE, and rebuilding `vote` would
-- trip the foreign keys of the tables that reference it (checked inside this transaction); SQLite
-- documents editing the table's definition for removing a NOT NULL constraint
-- (https://sqlite.org/lang_altertable.html#otheralter), which changes nothing stored. The edit
-- keeps the text's length ("NOT NULL" -> "NULL    ", the explicit default), so positions parsed
-- from it stay right; the CREATE TABLE of the next migration bumps the schema cookie, so every
-- connection reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, 'meeting_id UUID NOT NULL,', 'meeting_id UUID NULL    ,') WHERE type = 'table' AND name = 'vote';
PRAGMA writable_schema = OFF;
