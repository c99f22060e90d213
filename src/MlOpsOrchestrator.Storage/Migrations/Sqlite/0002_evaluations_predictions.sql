-- Monitoring series and the prediction log. Times are UTC text as in 0001 (fixed width, so text order is time order).
-- value is NULL where the point is NaN: SQLite has no NaN (it turns a bound NaN into NULL itself), so the column says
-- so openly and the store reads NULL back as NaN; infinities are stored as REAL infinities.

CREATE TABLE evaluation_points (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline      TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    model_version INTEGER NULL,
    run_id        TEXT    NOT NULL,
    step_id       TEXT    NOT NULL,
    series        TEXT    NOT NULL,
    value         REAL    NULL,
    at            TEXT    NOT NULL
);

CREATE INDEX ix_evaluation_points_pipeline_series_at ON evaluation_points (pipeline, series, at);

CREATE TABLE prediction_log (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    model           TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    at              TEXT    NOT NULL,
    features_json   TEXT    NOT NULL,
    prediction_json TEXT    NOT NULL,
    latency_ms      REAL    NOT NULL
);

CREATE INDEX ix_prediction_log_model_at ON prediction_log (model, at);
