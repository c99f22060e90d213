-- Run history, model registry and watermarks, in schema {schema}. Dictionaries and lists are JSON text (text, not
-- jsonb: doubles and key order come back exactly as written); statuses are the snake_case words of StatusNames.

CREATE TABLE {schema}.runs (
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    run_id           text        PRIMARY KEY,
    pipeline         text        NOT NULL,
    pipeline_version text        NOT NULL,
    pipeline_file    text        NOT NULL,
    pipeline_yaml    text        NOT NULL,
    trigger_name     text        NOT NULL,
    mode             text        NOT NULL,
    status           text        NOT NULL,
    level            integer     NOT NULL,
    level_reasons    text        NOT NULL,
    parameters       text        NOT NULL,
    step_subset      text        NULL,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz NULL,
    finished_at      timestamptz NULL,
    error            text        NULL,
    model_name       text        NULL,
    model_version    integer     NULL,
    owner            text        NULL,
    heartbeat_at     timestamptz NULL,
    idempotency_key  text        NULL UNIQUE
);

CREATE INDEX ix_runs_created ON {schema}.runs (created_at DESC, seq DESC);
CREATE INDEX ix_runs_pipeline_created ON {schema}.runs (pipeline, created_at DESC, seq DESC);
CREATE INDEX ix_runs_pipeline_status ON {schema}.runs (pipeline, status);

CREATE TABLE {schema}.steps (
    run_id      text        NOT NULL REFERENCES {schema}.runs (run_id),
    step_id     text        NOT NULL,
    ordinal     integer     NOT NULL,
    kind        text        NOT NULL,
    status      text        NOT NULL,
    attempts    integer     NOT NULL,
    started_at  timestamptz NULL,
    finished_at timestamptz NULL,
    metrics     text        NOT NULL,
    artifacts   text        NOT NULL,
    outputs     text        NOT NULL,
    error       text        NULL,
    decided_by  text        NULL,
    reason      text        NULL,
    PRIMARY KEY (run_id, step_id)
);

CREATE TABLE {schema}.models (
    name           text    PRIMARY KEY,
    latest_version integer NOT NULL
);

CREATE TABLE {schema}.model_versions (
    name             text        NOT NULL REFERENCES {schema}.models (name),
    version          integer     NOT NULL,
    run_id           text        NOT NULL,
    step_id          text        NOT NULL,
    pipeline_version text        NOT NULL,
    data_hash        text        NOT NULL,
    metrics          text        NOT NULL,
    artifact_path    text        NOT NULL,
    properties       text        NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (name, version),
    UNIQUE (name, run_id, step_id)
);

CREATE TABLE {schema}.model_aliases (
    name    text    NOT NULL,
    alias   text    NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES {schema}.model_versions (name, version)
);

CREATE TABLE {schema}.model_alias_history (
    seq              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text        NOT NULL,
    alias            text        NOT NULL,
    version          integer     NOT NULL,
    previous_version integer     NULL,
    moved_by         text        NOT NULL,
    reason           text        NULL,
    moved_at         timestamptz NOT NULL,
    FOREIGN KEY (name, version) REFERENCES {schema}.model_versions (name, version)
);

CREATE INDEX ix_model_alias_history_name ON {schema}.model_alias_history (name, seq);

CREATE TABLE {schema}.watermarks (
    pipeline  text        PRIMARY KEY,
    watermark timestamptz NOT NULL,
    run_id    text        NOT NULL
);
