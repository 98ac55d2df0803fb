-- The correlation id and the key a result echoes are kept as the bytes the command carried, not as text: producers
-- put binary correlation ids (16 raw UUID bytes, say) in headers, and text turned each invalid UTF-8 byte into U+FFFD,
-- so that the requester could not match its reply (issue 13, case 6). Rows stored as text before keep their UTF-8
-- bytes.
ALTER TABLE command_results
    ALTER COLUMN correlation_id TYPE BYTEA USING convert_to(correlation_id, 'UTF8'),
    ALTER COLUMN reply_key TYPE BYTEA USING convert_to(reply_key, 'UTF8');

ALTER TABLE command_redeliveries
    ALTER COLUMN correlation_id TYPE BYTEA USING convert_to(correlation_id, 'UTF8'),
    ALTER COLUMN reply_key TYPE BYTEA USING convert_to(reply_key, 'UTF8');
