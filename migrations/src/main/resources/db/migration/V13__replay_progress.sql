-- How far `ingest replay` has republished each partition's stored events to a target topic (issue 18, operation 3),
-- so that a rerun continues after the last sequence the broker acknowledged, and `--restart` starts over. Kept in the
-- database rather than in a file of the data directory: the progress counts sequences of this store, it must survive
-- wherever the command runs (a production deployment has no `.ingest` folder, and an operator may rerun it from
-- another host), and it is written in the same place as what it describes. Only `ingest replay` writes it (run it as
-- the owner, as `ingest offsets`); the workers never read it.
--
-- start_from: the start the replay was given ('sequence N', 'since <instant>'): a rerun that names another start is
-- refused until it says --restart. acknowledged_sequence: the highest partition sequence whose record the broker
-- acknowledged (first_sequence - 1 before the first); everything up to it has been produced at least once.
CREATE TABLE replay_progress (
    target_topic          VARCHAR(249) NOT NULL,
    partition_id          INTEGER      NOT NULL,
    start_from            VARCHAR(64)  NOT NULL,
    first_sequence        BIGINT       NOT NULL,
    acknowledged_sequence BIGINT       NOT NULL,
    events_replayed       BIGINT       NOT NULL DEFAULT 0,
    started_at            TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),

    PRIMARY KEY (target_topic, partition_id),
    CONSTRAINT replay_progress_partition_check CHECK (partition_id >= 0 AND partition_id < 32),
    CONSTRAINT replay_progress_sequence_check CHECK (first_sequence > 0 AND acknowledged_sequence >= first_sequence - 1)
);
