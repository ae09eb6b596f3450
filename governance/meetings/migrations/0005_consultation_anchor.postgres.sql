-- PostgreSQL: a consultation between meetings is a vote without a meeting.
ALTER TABLE vote ALTER COLUMN meeting_id DROP NOT NULL;
