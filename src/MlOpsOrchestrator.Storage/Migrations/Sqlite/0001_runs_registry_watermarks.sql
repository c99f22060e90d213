-- Run history, model registry and watermarks. Times are UTC text, 'yyyy-MM-ddTHH:mm:ss.ffffffZ' (fixed width, so
-- text order is time order); dictionaries and lists are JSON text; statuses are the snake_case words of StatusNames.

CREATE TABLE runs (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id           TEXT    NOT NULL UNIQUE,
    pipeline         TEXT    NOT NULL,
    pipeline_version TEXT    NOT NULL,
    pipeline_file    TEXT    NOT NULL,
    pipeline_yaml    TEXT    NOT NULL,
    trigger_name     TEXT    NOT NULL,
    mode             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    level            INTEGER NOT NULL,
    level_reasons    TEXT    NOT NULL,
    parameters       TEXT    NOT NULL,
    step_subset      TEXT    NULL,
    created_at       TEXT    NOT NULL,
    started_at       TEXT    NULL,
    finished_at      TEXT    NULL,
    error            TEXT    NULL,
    model_name       TEXT    NULL,
    model_version    INTEGER NULL,
    owner            TEXT    NULL,
    heartbeat_at     TEXT    NULL,
    idempotency_key  TEXT    NULL UNIQUE
);

CREATE INDEX ix_runs_created ON runs (created_at DESC, seq DESC);
CREATE INDEX ix_runs_pipeline_created ON runs (pipeline, created_at DESC, seq DESC);
CREATE INDEX ix_runs_pipeline_status ON runs (pipeline, status);

CREATE TABLE steps (
    run_id      TEXT    NOT NULL REFERENCES runs (run_id),
    step_id     TEXT    NOT NULL,
    ordinal     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    attempts    INTEGER NOT NULL,
    started_at  TEXT    NULL,
    finished_at TEXT    NULL,
    metrics     TEXT    NOT NULL,
    artifacts   TEXT    NOT NULL,
    outputs     TEXT    NOT NULL,
    error       TEXT    NULL,
    decided_by  TEXT    NULL,
    reason      TEXT    NULL,
    PRIMARY KEY (run_id, step_id)
);

CREATE TABLE models (
    name           TEXT    PRIMARY KEY,
    latest_version INTEGER NOT NULL
);

CREATE TABLE model_versions (
    name             TEXT    NOT NULL REFERENCES models (name),
    version          INTEGER NOT NULL,
    run_id           TEXT    NOT NULL,
    step_id          TEXT    NOT NULL,
    pipeline_version TEXT    NOT NULL,
    data_hash        TEXT    NOT NULL,
    metrics          TEXT    NOT NULL,
    artifact_path    TEXT    NOT NULL,
    properties       TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    PRIMARY KEY (name, version),
    UNIQUE (name, run_id, step_id)
);

CREATE TABLE model_aliases (
    name    TEXT    NOT NULL,
    alias   TEXT    NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE TABLE model_alias_history (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL,
    alias            TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    previous_version INTEGER NULL,
    moved_by         TEXT    NOT NULL,
    reason           TEXT    NULL,
    moved_at         TEXT    NOT NULL,
    FOREIGN KEY (name, version) REFERENCES model_versions (name, version)
);

CREATE INDEX ix_model_alias_history_name ON model_alias_history (name, seq);

CREATE TABLE watermarks (
    pipeline  TEXT PRIMARY KEY,
    watermark TEXT NOT NULL,
    run_id    TEXT NOT NULL
);
