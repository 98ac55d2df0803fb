-- The event store schema of the earlier Rust system, object for object: two tables, seven indexes, two monitoring
-- views, the gapless check and the updated_at trigger. Later migrations extend it; this file is never edited.

CREATE TABLE event_streams (
    stream_id        VARCHAR(255) PRIMARY KEY,
    partition_id     INTEGER      NOT NULL,
    current_version  BIGINT       NOT NULL DEFAULT 0,
    watermark        BIGINT       NOT NULL DEFAULT 0,
    expected_version BIGINT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),

    CONSTRAINT event_streams_watermark_check CHECK (watermark <= current_version),
    CONSTRAINT event_streams_partition_check CHECK (partition_id >= 0 AND partition_id < 32)
);

CREATE TABLE events (
    id          BIGSERIAL PRIMARY KEY,
    stream_id   VARCHAR(255) NOT NULL REFERENCES event_streams (stream_id),
    version     BIGINT       NOT NULL,
    tenant_id   VARCHAR(255) NOT NULL,
    event_type  VARCHAR(255) NOT NULL,
    entity_id   VARCHAR(255) NOT NULL,
    payload     JSONB        NOT NULL,
    metadata    JSONB,
    timestamp   TIMESTAMP WITH TIME ZONE NOT NULL,

    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version),
    CONSTRAINT events_version_check CHECK (version > 0)
);

CREATE INDEX idx_events_stream_version ON events (stream_id, version);
CREATE INDEX idx_events_tenant ON events (tenant_id);
CREATE INDEX idx_events_entity ON events (entity_id);
CREATE INDEX idx_events_type ON events (event_type);
CREATE INDEX idx_events_timestamp ON events (timestamp);
CREATE INDEX idx_stream_partition ON event_streams (partition_id);
-- Active streams: those that hold at least one event, most recently written first.
CREATE INDEX idx_stream_active ON event_streams (partition_id, updated_at DESC) WHERE current_version > 0;

CREATE VIEW partition_stats AS
SELECT partition_id,
       COUNT(*)             AS stream_count,
       SUM(current_version) AS total_events,
       AVG(current_version) AS avg_events_per_stream,
       MAX(current_version) AS max_events_in_stream
FROM event_streams
GROUP BY partition_id;

-- HAS_GAPS means committed events that have not yet been published (watermark trails current_version).
CREATE VIEW stream_health AS
SELECT stream_id,
       partition_id,
       current_version,
       watermark,
       (current_version - watermark) AS gap_size,
       CASE
           WHEN current_version = 0 THEN 'EMPTY'
           WHEN watermark < current_version THEN 'HAS_GAPS'
           ELSE 'HEALTHY'
       END AS health_status
FROM event_streams;

-- True when the stream's events carry exactly the versions 1..current_version. With UNIQUE (stream_id, version) and
-- version > 0, that holds exactly when their count and their highest version both equal current_version, which one
-- index-only scan of the stream answers. NULL for a stream that does not exist.
CREATE FUNCTION verify_stream_gapless(p_stream_id VARCHAR)
RETURNS BOOLEAN
LANGUAGE sql
STABLE
AS $$
    SELECT COUNT(e.version) = s.current_version
       AND COALESCE(MAX(e.version), 0) = s.current_version
    FROM event_streams s
    LEFT JOIN events e ON e.stream_id = s.stream_id
    WHERE s.stream_id = p_stream_id
    GROUP BY s.stream_id, s.current_version
$$;

CREATE FUNCTION event_streams_touch_updated_at()
RETURNS TRIGGER
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER event_stream_update_timestamp
    BEFORE UPDATE ON event_streams
    FOR EACH ROW
    EXECUTE FUNCTION event_streams_touch_updated_at();
