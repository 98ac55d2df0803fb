-- Bounded idempotency records (issue 18, operation 4): with the worker's result-retention-ms set, stored outcomes
-- (command_results and command_redeliveries) older than it are deleted in the background, a partition at a time, in
-- small transactions. A command id whose outcome was pruned is new again.
--
-- pruned_offset: below it, offsets of the partition's current log may have lost their outcome, so checks that account
-- for every offset (ingest verify, the audit, the chaos soak) count from here. pruned_sequence: events at or below it
-- may have lost their command's result. Both only grow, except that an offset reset lowers pruned_offset to where the
-- new log starts (0 when the topic was replaced). Defaults 0: nothing pruned, every check as before. Adding NOT NULL
-- columns with a constant default rewrites no row.
ALTER TABLE partition_state
    ADD COLUMN pruned_offset   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN pruned_sequence BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN pruned_at       TIMESTAMP WITH TIME ZONE,
    ADD CONSTRAINT partition_state_pruned_check CHECK (pruned_offset >= 0 AND pruned_sequence >= 0);

-- A result that a later delivery points at is kept until that delivery is pruned too: the check is a lookup by
-- command id, and so is the foreign key's own check on every deleted result (without this index each one would scan
-- command_redeliveries).
CREATE INDEX idx_command_redeliveries_command ON command_redeliveries (command_id);

-- Outcomes an offset reset left behind belong to no log's offsets: they are pruned by age alone, found through these.
CREATE INDEX idx_command_results_superseded ON command_results (partition_id, committed_at)
    WHERE superseded_by IS NOT NULL;
CREATE INDEX idx_command_redeliveries_superseded ON command_redeliveries (partition_id, received_at)
    WHERE superseded_by IS NOT NULL;
