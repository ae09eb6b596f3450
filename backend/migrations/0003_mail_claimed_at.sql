-- When a deliverer claimed the message: one that stays 'sending' long after (the process stopped
-- between the claim and the result) is claimed again instead of staying stuck.
ALTER TABLE mail_message ADD COLUMN claimed_at TIMESTAMPTZ;
