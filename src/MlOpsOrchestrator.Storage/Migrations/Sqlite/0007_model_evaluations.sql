-- The evaluation store: every metric a train or evaluate step measured, for the whole evaluation set
-- (slice_column = slice_value = '*') and for every slice, for the candidate and the production model (role).
-- version is NULL for a candidate measured before deploy registered it; trained_by then names its train step.
-- A step writes its rows in one transaction that first deletes what the same run and step wrote before.
CREATE TABLE model_evaluations (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    model        TEXT    NOT NULL,
    version      INTEGER NULL,
    run_id       TEXT    NOT NULL,
    step_id      TEXT    NOT NULL,
    trained_by   TEXT    NULL,
    data_hash    TEXT    NULL,
    slice_column TEXT    NOT NULL,
    slice_value  TEXT    NOT NULL,
    metric       TEXT    NOT NULL,
    value        REAL    NULL,
    row_count    INTEGER NOT NULL,
    role         TEXT    NOT NULL,
    at           TEXT    NOT NULL
);

CREATE INDEX ix_model_evaluations_model ON model_evaluations (model, seq);
CREATE INDEX ix_model_evaluations_run_step ON model_evaluations (run_id, step_id);
