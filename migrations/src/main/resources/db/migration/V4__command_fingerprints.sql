-- The fingerprint (SHA-256, hex) of the content of the delivery that decided a command id's result, and of each later
-- delivery of that id, so that a redelivery whose content differs from the applied one is told so in its result's
-- message, on its first publication and on every republication. Nullable: results stored before this version have
-- none, and their redeliveries are answered without comparing content.
ALTER TABLE command_results ADD COLUMN content_fingerprint VARCHAR(64);
ALTER TABLE command_redeliveries ADD COLUMN content_fingerprint VARCHAR(64);
