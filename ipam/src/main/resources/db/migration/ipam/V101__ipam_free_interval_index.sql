-- Fewer indexes for the planner to pick wrongly on the hot table: next-free must read
-- ipam_free_interval_next (range_id, first_value) in order. Pool-wide deletes go through
-- ipam_range instead.
DROP INDEX ipam_free_interval_pool;
