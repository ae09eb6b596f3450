-- Members that are legal persons (an association, a company): the organisation's name, and the
-- person who represents it, whose name is the entry's first and last name, in this role.
ALTER TABLE member ADD COLUMN organisation_name VARCHAR(200);
ALTER TABLE member ADD COLUMN representative_role VARCHAR(100);
