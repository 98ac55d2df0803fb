-- A stream belongs to the tenant whose command created it (issue 19): event_streams records that tenant, and the
-- worker refuses (TENANT_MISMATCH) a command of another tenant that touches the stream. A stream id stays unique across
-- tenants (the primary key is still stream_id alone): one stream id in all, not one per tenant.
--
-- The column is nullable, on purpose: a worker of before this version that is still running while it is applied (a
-- rolling upgrade) creates streams without a tenant, and so may a tool that writes rows directly. NULL means "no owner
-- on record": the worker reads the tenant of such a stream's first event instead, and a stream with no event at all is
-- taken by the tenant of the first command that appends to it, which then writes its tenant into the row.
ALTER TABLE event_streams ADD COLUMN tenant_id VARCHAR(255);

-- Backfill: each stream gets the tenant of its first event (the one its creating command wrote), one index lookup on
-- idx_events_stream_version per stream. A one-off cost proportional to the number of streams: every row of the table
-- gets a new version, under the lock this ALTER TABLE already holds. A stream whose events carry several tenants (the
-- defect this fixes let other tenants append) keeps the first one; the audit reports the others. updated_at says when
-- a stream's content last changed through the pipeline, which this does not: the trigger is off for the backfill.
ALTER TABLE event_streams DISABLE TRIGGER event_stream_update_timestamp;

UPDATE event_streams AS s
SET tenant_id = (SELECT e.tenant_id FROM events e WHERE e.stream_id = s.stream_id ORDER BY e.version LIMIT 1)
WHERE s.current_version > 0;

ALTER TABLE event_streams ENABLE TRIGGER event_stream_update_timestamp;
