-- Which log a partition's stored offsets belong to (issue 14, finding 1). A Kafka offset means something only in the
-- topic it was read from: when the commands topic is deleted and created again, its offsets start over, and a stored
-- next offset of 2 would silently skip the new log's first two commands. The worker remembers the topic's id (Kafka
-- topic ids, base64) at the first claim that finds the log matching, and holds the partition (consumes nothing) when
-- the id changes or the stored next offset lies outside the log, until an operator resets it.
ALTER TABLE partition_state ADD COLUMN topic_id VARCHAR(64);

-- Every move of a partition's stored next offset by an operator (`ingest offsets --reset-to`): from where to where, in
-- which log, who did it from which host, and why. The worker never skips an offset without such a row.
CREATE TABLE offset_resets (
    reset_id       BIGSERIAL    PRIMARY KEY,
    partition_id   INTEGER      NOT NULL,
    from_offset    BIGINT       NOT NULL,
    to_offset      BIGINT       NOT NULL,
    from_topic_id  VARCHAR(64),
    topic_id       VARCHAR(64)  NOT NULL,
    operator       VARCHAR(255) NOT NULL,
    host           VARCHAR(255) NOT NULL,
    reason         TEXT         NOT NULL,
    reset_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),

    CONSTRAINT offset_resets_partition_check CHECK (partition_id >= 0 AND partition_id < 32),
    CONSTRAINT offset_resets_offsets_check CHECK (from_offset >= 0 AND to_offset >= 0),
    CONSTRAINT offset_resets_reason_check CHECK (length(btrim(reason)) > 0)
);

CREATE INDEX idx_offset_resets_partition ON offset_resets (partition_id, reset_id);

-- The outcomes stored at offsets of a log that a reset left behind: they stay (a resent command id still finds its
-- first result), marked with the reset that superseded them, so that the new log's commands can take the same offsets.
-- An offset is unique among the outcomes of the partition's current log only.
ALTER TABLE command_results ADD COLUMN superseded_by BIGINT REFERENCES offset_resets (reset_id);
ALTER TABLE command_results DROP CONSTRAINT command_results_offset_unique;
CREATE UNIQUE INDEX command_results_offset_unique ON command_results (partition_id, command_offset)
    WHERE superseded_by IS NULL;

ALTER TABLE command_redeliveries ADD COLUMN superseded_by BIGINT REFERENCES offset_resets (reset_id);
ALTER TABLE command_redeliveries DROP CONSTRAINT command_redeliveries_pkey;
CREATE UNIQUE INDEX command_redeliveries_offset_unique ON command_redeliveries (partition_id, command_offset)
    WHERE superseded_by IS NULL;
