-- The scrutineers who certify a vote's result with the secretary, one name per line.
ALTER TABLE vote ADD COLUMN scrutineers TEXT;
