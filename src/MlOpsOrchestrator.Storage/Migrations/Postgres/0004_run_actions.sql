-- Who acted on a run from outside its executor. requested_by: who started it by hand (a person through the CLI, the
-- API or the dashboard; NULL for scheduled fires). retry_of: the failed or cancelled run this one retries. resumed_by:
-- who last resumed it. The cancel columns: a request to cancel, written whoever owns the run; the executor reads it
-- and ends the run as cancelled. The executor's own writes never touch them, so a request is never lost to a commit
-- racing it.
ALTER TABLE {schema}.runs ADD COLUMN requested_by text NULL;
ALTER TABLE {schema}.runs ADD COLUMN retry_of text NULL;
ALTER TABLE {schema}.runs ADD COLUMN resumed_by text NULL;
ALTER TABLE {schema}.runs ADD COLUMN cancel_requested_by text NULL;
ALTER TABLE {schema}.runs ADD COLUMN cancel_reason text NULL;
ALTER TABLE {schema}.runs ADD COLUMN cancel_requested_at timestamptz NULL;
