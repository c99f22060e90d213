-- Monitoring series and the prediction log, in schema {schema}. value is NULL where the point is NaN, as in SQLite
-- (which has no NaN), so both engines hold the same rows and aggregates skip it alike; infinities are stored as such.
-- series compares byte by byte (COLLATE "C"), as SQLite's BINARY does, which also lets a prefix LIKE use the index.
-- The JSON columns are text, not jsonb: they come back exactly as serving wrote them.

CREATE TABLE {schema}.evaluation_points (
    seq           bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pipeline      text             NOT NULL,
    model         text             NOT NULL,
    model_version integer          NULL,
    run_id        text             NOT NULL,
    step_id       text             NOT NULL,
    series        text COLLATE "C" NOT NULL,
    value         double precision NULL,
    at            timestamptz      NOT NULL
);

CREATE INDEX ix_evaluation_points_pipeline_series_at ON {schema}.evaluation_points (pipeline, series, at);

CREATE TABLE {schema}.prediction_log (
    seq             bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model           text             NOT NULL,
    version         integer          NOT NULL,
    at              timestamptz      NOT NULL,
    features_json   text             NOT NULL,
    prediction_json text             NOT NULL,
    latency_ms      double precision NOT NULL
);

CREATE INDEX ix_prediction_log_model_at ON {schema}.prediction_log (model, at);
