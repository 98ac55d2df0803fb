-- The worker's grants, exactly as the README's "PostgreSQL: TLS and two roles" gives them: run by the db-grants
-- service as ingest_owner in database ingest, after `ingest migrate`.
REVOKE ALL ON DATABASE ingest FROM PUBLIC;
GRANT CONNECT ON DATABASE ingest TO ingest_worker;
GRANT USAGE ON SCHEMA public TO ingest_worker;
GRANT SELECT, INSERT, UPDATE ON partition_state, event_streams TO ingest_worker;
GRANT SELECT, INSERT ON events, command_results, command_redeliveries TO ingest_worker;
GRANT USAGE ON SEQUENCE events_id_seq TO ingest_worker;
