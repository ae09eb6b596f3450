-- The register sorted as its readers read names (rules.name_key: accents only break a tie, and in
-- Finnish å, ä, ö come after z), one key per reading order, compared code point by code point
-- (postgres: COLLATE "C"). The service writes the keys with every entry; the entries already
-- there get theirs here, for the letters of Latin-1 and Œ, Š, Ž, Ł (a rarer letter sorts by its
-- code point until the entry is next corrected).
ALTER TABLE member ADD COLUMN name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN name_key_fi TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE member SET name_key = lower(last_name) || chr(1) || lower(first_name);
UPDATE member SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, 'À', 'à'), 'Á', 'á'), 'Â', 'â'), 'Ã', 'ã'), 'Ä', 'ä'), 'Å', 'å'), 'Æ', 'æ'), 'Ç', 'ç'), 'È', 'è'), 'É', 'é'), 'Ê', 'ê'), 'Ë', 'ë');
UPDATE member SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, 'Ì', 'ì'), 'Í', 'í'), 'Î', 'î'), 'Ï', 'ï'), 'Ð', 'ð'), 'Ñ', 'ñ'), 'Ò', 'ò'), 'Ó', 'ó'), 'Ô', 'ô'), 'Õ', 'õ'), 'Ö', 'ö'), 'Ø', 'ø');
UPDATE member SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, 'Ù', 'ù'), 'Ú', 'ú'), 'Û', 'û'), 'Ü', 'ü'), 'Ý', 'ý'), 'Þ', 'þ'), 'Œ', 'œ'), 'Š', 'š'), 'Ž', 'ž'), 'Ł', 'ł');
UPDATE member SET name_key = name_key || chr(2) || name_key, name_key_fi = name_key || chr(2) || name_key;
UPDATE member SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(substr(name_key, 1, strpos(name_key, chr(2)) - 1), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', 'a'), 'å', 'a'), 'æ', 'ae'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e') || substr(name_key, strpos(name_key, chr(2)));
UPDATE member SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(substr(name_key, 1, strpos(name_key, chr(2)) - 1), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ð', 'd'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', 'o'), 'ø', 'o') || substr(name_key, strpos(name_key, chr(2)));
UPDATE member SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(substr(name_key, 1, strpos(name_key, chr(2)) - 1), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'u'), 'ý', 'y'), 'þ', 'th'), 'ÿ', 'y'), 'œ', 'oe'), 'š', 's'), 'ž', 'z'), 'ł', 'l') || substr(name_key, strpos(name_key, chr(2)));
UPDATE member SET name_key = replace(name_key, chr(2), chr(1));
UPDATE member SET name_key_fi = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(substr(name_key_fi, 1, strpos(name_key_fi, chr(2)) - 1), 'à', 'a'), 'á', 'a'), 'â', 'a'), 'ã', 'a'), 'ä', '|'), 'å', '{'), 'æ', '|'), 'ç', 'c'), 'è', 'e'), 'é', 'e'), 'ê', 'e'), 'ë', 'e') || substr(name_key_fi, strpos(name_key_fi, chr(2)));
UPDATE member SET name_key_fi = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(substr(name_key_fi, 1, strpos(name_key_fi, chr(2)) - 1), 'ì', 'i'), 'í', 'i'), 'î', 'i'), 'ï', 'i'), 'ð', 'd'), 'ñ', 'n'), 'ò', 'o'), 'ó', 'o'), 'ô', 'o'), 'õ', 'o'), 'ö', '}'), 'ø', '}') || substr(name_key_fi, strpos(name_key_fi, chr(2)));
UPDATE member SET name_key_fi = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(substr(name_key_fi, 1, strpos(name_key_fi, chr(2)) - 1), 'ù', 'u'), 'ú', 'u'), 'û', 'u'), 'ü', 'y'), 'ý', 'y'), 'þ', 'th'), 'ÿ', 'y'), 'œ', 'oe'), 'š', 's'), 'ž', 'z'), 'ł', 'l') || substr(name_key_fi, strpos(name_key_fi, chr(2)));
UPDATE member SET name_key_fi = replace(name_key_fi, chr(2), chr(1));
CREATE INDEX member_by_name_key ON member (tenant_id, name_key, number);
CREATE INDEX member_by_name_key_fi ON member (tenant_id, name_key_fi, number);
