-- The key of the command record, which its result record carries too, kept so that a result republished after a
-- crash has the same key as the first publication.
ALTER TABLE command_results ADD COLUMN reply_key TEXT;
ALTER TABLE command_redeliveries ADD COLUMN reply_key TEXT;
