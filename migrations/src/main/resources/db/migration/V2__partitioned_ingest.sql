-- What the wire contract and the per-partition worker need on top of the seed schema: partition sequences, event and
-- command ids on every event, the partition's owner fence and stored offsets, and one stored outcome per command.

ALTER TABLE event_streams
    ADD COLUMN partition_key VARCHAR(255);

ALTER TABLE events
    ADD COLUMN partition_id       INTEGER      NOT NULL,
    ADD COLUMN partition_sequence BIGINT       NOT NULL,
    ADD COLUMN event_id           UUID         NOT NULL,
    ADD COLUMN command_id         VARCHAR(255) NOT NULL,
    ADD CONSTRAINT events_partition_check CHECK (partition_id >= 0 AND partition_id < 32),
    ADD CONSTRAINT events_partition_sequence_check CHECK (partition_sequence > 0),
    ADD CONSTRAINT events_partition_sequence_unique UNIQUE (partition_id, partition_sequence),
    ADD CONSTRAINT events_event_id_unique UNIQUE (event_id);

CREATE INDEX idx_events_command ON events (command_id);

-- One row per partition. owner_epoch fences writers: a batch commits only while its epoch is still the current one.
-- next_offset is the first command offset not yet applied (the consumer seeks here on assignment); last_sequence the
-- highest partition sequence written. published_offset / published_sequence mark how far results and events have been
-- published: everything at or above / beyond them is republished when the partition is claimed again.
CREATE TABLE partition_state (
    partition_id       INTEGER     PRIMARY KEY,
    owner_epoch        BIGINT      NOT NULL DEFAULT 0,
    owner_id           VARCHAR(255),
    next_offset        BIGINT      NOT NULL DEFAULT 0,
    last_sequence      BIGINT      NOT NULL DEFAULT 0,
    published_offset   BIGINT      NOT NULL DEFAULT 0,
    published_sequence BIGINT      NOT NULL DEFAULT 0,
    claimed_at         TIMESTAMP WITH TIME ZONE,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),

    CONSTRAINT partition_state_partition_check CHECK (partition_id >= 0 AND partition_id < 32),
    CONSTRAINT partition_state_counters_check CHECK (owner_epoch >= 0 AND next_offset >= 0 AND last_sequence >= 0),
    CONSTRAINT partition_state_published_offset_check CHECK (published_offset <= next_offset),
    CONSTRAINT partition_state_published_sequence_check CHECK (published_sequence <= last_sequence)
);

-- The first outcome of every command, keyed by its command id (or invalid:<partition>:<offset> when the record could not
-- be decoded). A resent command id returns this row. The reply route of the delivery is kept so that a result can be
-- republished to where its command asked after a crash.
CREATE TABLE command_results (
    command_id       VARCHAR(300) PRIMARY KEY,
    partition_id     INTEGER      NOT NULL,
    command_offset   BIGINT       NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    reason           VARCHAR(32),
    message          TEXT,
    streams          JSONB        NOT NULL,
    first_sequence   BIGINT,
    last_sequence    BIGINT,
    committed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    reply_topic      VARCHAR(255),
    reply_partition  INTEGER,
    correlation_id   TEXT,

    CONSTRAINT command_results_partition_check CHECK (partition_id >= 0 AND partition_id < 32),
    CONSTRAINT command_results_status_check CHECK (status IN ('ACCEPTED', 'REJECTED')),
    CONSTRAINT command_results_reason_check CHECK ((status = 'ACCEPTED') = (reason IS NULL)),
    CONSTRAINT command_results_offset_unique UNIQUE (partition_id, command_offset)
);

-- Later deliveries of a command id that already has a result (client retries). Each gets the stored result back,
-- flagged duplicate, at its own offset and reply route; keeping them makes every applied offset accountable.
CREATE TABLE command_redeliveries (
    partition_id     INTEGER      NOT NULL,
    command_offset   BIGINT       NOT NULL,
    command_id       VARCHAR(300) NOT NULL REFERENCES command_results (command_id),
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    reply_topic      VARCHAR(255),
    reply_partition  INTEGER,
    correlation_id   TEXT,

    PRIMARY KEY (partition_id, command_offset)
);

-- True when the partition's events carry exactly the sequences 1..last_sequence of its partition_state row.
-- NULL for a partition that has never been claimed.
CREATE FUNCTION verify_partition_gapless(p_partition_id INTEGER)
RETURNS BOOLEAN
LANGUAGE sql
STABLE
AS $$
    SELECT COUNT(e.partition_sequence) = p.last_sequence
       AND COALESCE(MAX(e.partition_sequence), 0) = p.last_sequence
    FROM partition_state p
    LEFT JOIN events e ON e.partition_id = p.partition_id
    WHERE p.partition_id = p_partition_id
    GROUP BY p.partition_id, p.last_sequence
$$;
