-- The worker's grants, exactly as the README's "PostgreSQL: TLS and two roles" gives them: run by the db-grants
-- service as ingest_owner in database ingest, after `ingest migrate`.
REVOKE ALL ON DATABASE ingest FROM PUBLIC;
GRANT CONNECT ON DATABASE ingest TO ingest_worker;
GRANT USAGE ON SCHEMA public TO ingest_worker;
GRANT SELECT, INSERT, UPDATE ON partition_state, event_streams TO ingest_worker;
GRANT SELECT, INSERT ON events, command_results, command_redeliveries TO ingest_worker;
-- erasing and deleting streams: the redaction marker over these columns only
GRANT UPDATE (payload, metadata, entity_id, erased) ON events TO ingest_worker;
-- only with result-retention-ms set (the worker refuses to start without it then):
GRANT DELETE ON command_results, command_redeliveries TO ingest_worker;
GRANT USAGE ON SEQUENCE events_id_seq TO ingest_worker;
