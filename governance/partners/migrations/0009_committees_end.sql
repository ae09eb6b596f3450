-- A committee ends on a day (its members' terms end with it); until then, none.
ALTER TABLE committee ADD COLUMN ended_on DATE;
