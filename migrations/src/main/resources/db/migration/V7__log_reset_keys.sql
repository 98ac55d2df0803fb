-- Which log of a partition its offsets belong to, for the keys of records without a usable command id. Such a record is
-- answered under invalid:<partition>:<offset>; after an offset reset that superseded stored outcomes (the commands
-- topic recreated, the partition moved back) the new log's offsets are consumed again, and a new such record at an
-- offset whose old record got that key would collide with it (command_results.command_id is the primary key). The
-- latest reset that superseded outcomes of the partition is kept here; while it is set, the key is
-- invalid:<partition>:<offset>:<log_reset_id>. NULL while no reset has superseded any: keys stay as before. Set by the
-- reset in its transaction, which also bumps the owner epoch, so every batch of one epoch sees one value.
ALTER TABLE partition_state ADD COLUMN log_reset_id BIGINT REFERENCES offset_resets (reset_id);

-- Partitions reset under V6 already: the latest reset that superseded any of their outcomes.
UPDATE partition_state p
SET log_reset_id = latest.reset_id
FROM (SELECT partition_id, max(superseded_by) AS reset_id
      FROM (SELECT partition_id, superseded_by FROM command_results WHERE superseded_by IS NOT NULL
            UNION ALL
            SELECT partition_id, superseded_by FROM command_redeliveries WHERE superseded_by IS NOT NULL) AS superseded
      GROUP BY partition_id) AS latest
WHERE p.partition_id = latest.partition_id;
