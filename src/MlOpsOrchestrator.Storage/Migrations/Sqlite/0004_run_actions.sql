-- Who acted on a run from outside its executor. requested_by: who started it by hand (a person through the CLI, the
-- API or the dashboard; NULL for scheduled fires). retry_of: the failed or cancelled run this one retries. resumed_by:
-- who last resumed it. The cancel columns: a request to cancel, written whoever owns the run; the executor reads it
-- and ends the run as cancelled. The executor's own writes never touch them, so a request is never lost to a commit
-- racing it.
ALTER TABLE runs ADD COLUMN requested_by TEXT NULL;
ALTER TABLE runs ADD COLUMN retry_of TEXT NULL;
ALTER TABLE runs ADD COLUMN resumed_by TEXT NULL;
ALTER TABLE runs ADD COLUMN cancel_requested_by TEXT NULL;
ALTER TABLE runs ADD COLUMN cancel_reason TEXT NULL;
ALTER TABLE runs ADD COLUMN cancel_requested_at TEXT NULL;
