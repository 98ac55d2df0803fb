-- Deleting and erasing streams (issue 18). Both travel as commands through the partition's single writer.
--
-- An erase replaces the payload, metadata and entity id of a stream's events by the redaction marker (payload
-- {"erased": true}, metadata {}, entity id 'erased') and sets events.erased; ids, versions and partition sequences
-- stay, so verify_stream_gapless, verify_partition_gapless and stream_health hold as before. A delete erases and then
-- records the version the stream was deleted at: the worker refuses every later append (STREAM_DELETED) and the stream
-- id is never used again (the row stays, so the id stays taken).
--
-- All three columns are added without a table rewrite (a constant default, or none), so this applies in moments on a
-- large store. A worker of the previous release that still runs while this applies ignores them.
ALTER TABLE events ADD COLUMN erased BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE event_streams
    ADD COLUMN deleted_at_version     BIGINT,
    ADD COLUMN erased_through_version BIGINT,
    ADD CONSTRAINT event_streams_deleted_check CHECK (deleted_at_version IS NULL
        OR (deleted_at_version > 0 AND deleted_at_version <= current_version)),
    ADD CONSTRAINT event_streams_erased_check CHECK (erased_through_version IS NULL
        OR (erased_through_version > 0 AND erased_through_version <= current_version));

-- The stream operation an accepted result applied (DELETE or ERASE), null for appends and rejections: republication
-- publishes the redacted copies and the tombstone of such a result again with it.
ALTER TABLE command_results ADD COLUMN operation VARCHAR(16),
    ADD CONSTRAINT command_results_operation_check CHECK (operation IS NULL
        OR (operation IN ('DELETE', 'ERASE') AND status = 'ACCEPTED'));
