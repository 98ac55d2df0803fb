-- Run by the postgres image once, on the first start with an empty data volume (docker-compose.yml mounts it into
-- /docker-entrypoint-initdb.d). The worker's own database, ingest, is created by POSTGRES_DB and migrated by the
-- worker; this adds the schema registry's database and a warehouse database for the JDBC sink, whose "events"
-- table must not be confused with the worker's own "events" table in the ingest database.

CREATE DATABASE registry OWNER ingest;
CREATE DATABASE warehouse OWNER ingest;

\connect warehouse ingest

-- The JDBC sink's target (connect/jdbc-sink-events.json, Debezium's JDBC sink connector): one row per event, every
-- field of the event, upserted by event_id, so that redelivered events (the events topic is at-least-once) overwrite
-- themselves. The sink writes the metadata map as hstore, PostgreSQL's map type (a trusted extension: the database
-- owner may create it). An erase (issue 18) publishes a redacted copy of each erased event with the same event_id,
-- erased true and the redaction marker as payload, entity id and metadata: the upsert overwrites the row. The
-- tombstone that follows (a null value) is skipped by the sink, since delete.enabled is false.
CREATE EXTENSION IF NOT EXISTS hstore;

CREATE TABLE events (
    event_id           text        PRIMARY KEY,
    stream_id          text        NOT NULL,
    version            bigint      NOT NULL,
    "partition"        integer     NOT NULL,
    partition_sequence bigint      NOT NULL,
    tenant_id          text        NOT NULL,
    event_type         text        NOT NULL,
    entity_id          text        NOT NULL,
    payload            text        NOT NULL,
    metadata           hstore      NOT NULL,
    command_id         text        NOT NULL,
    recorded_at        timestamptz NOT NULL,
    erased             boolean     NOT NULL DEFAULT false,
    UNIQUE (stream_id, version)
);
