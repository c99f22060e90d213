-- The evaluation store: every metric a train or evaluate step measured, for the whole evaluation set
-- (slice_column = slice_value = '*') and for every slice, for the candidate and the production model (role).
-- version is NULL for a candidate measured before deploy registered it; trained_by then names its train step.
-- A step writes its rows in one transaction that first deletes what the same run and step wrote before.
CREATE TABLE {schema}.model_evaluations (
    seq          bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model        text             NOT NULL,
    version      integer          NULL,
    run_id       text             NOT NULL,
    step_id      text             NOT NULL,
    trained_by   text             NULL,
    data_hash    text             NULL,
    slice_column text             NOT NULL,
    slice_value  text             NOT NULL,
    metric       text             NOT NULL,
    value        double precision NULL,
    row_count    integer          NOT NULL,
    role         text             NOT NULL,
    at           timestamptz      NOT NULL
);

CREATE INDEX ix_model_evaluations_model ON {schema}.model_evaluations (model, seq);
CREATE INDEX ix_model_evaluations_run_step ON {schema}.model_evaluations (run_id, step_id);
