-- The organisation's postal address (on its notices and documents) and the person in charge of the
-- protection of personal information, whose title and contact Quebec's Law 25 (s. 3.1 of the Act
-- respecting the protection of personal information in the private sector) has published.
ALTER TABLE tenant ADD COLUMN address VARCHAR(500) NOT NULL DEFAULT '';
ALTER TABLE tenant ADD COLUMN privacy_officer_name VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE tenant ADD COLUMN privacy_officer_email VARCHAR(254) NOT NULL DEFAULT '';
