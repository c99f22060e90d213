-- Labels that arrive after the prediction they judge (feedback). prediction_id names the prediction log's
-- prediction_id of the same model; it is NULL while a label sent by request key and time has not found its
-- prediction yet (request_key and label_at say which). A second label for the same prediction is refused, so
-- (model, prediction_id) is unique. label is text as sent: a number for regression, a class for classification,
-- parsed when metrics are computed. received_by is who sent it, as the access rule established.
CREATE TABLE {schema}.feedback_labels (
    seq           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model         text        NOT NULL,
    prediction_id text        NULL,
    request_key   text        NULL,
    label         text        NOT NULL,
    label_at      timestamptz NULL,
    received_at   timestamptz NOT NULL,
    received_by   text        NOT NULL
);

CREATE UNIQUE INDEX ux_feedback_labels_model_prediction_id ON {schema}.feedback_labels (model, prediction_id);
CREATE INDEX ix_feedback_labels_pending_key ON {schema}.feedback_labels (model, request_key) WHERE prediction_id IS NULL;

-- A label sent by request key finds the newest returned prediction with that key at or before its time.
CREATE INDEX ix_prediction_log_model_key_at ON {schema}.prediction_log (model, request_key, at);

-- An alias can be withdrawn (a canary or shadow that lost): the history row of a withdrawal has removed set, and
-- version and previous_version both name the version the alias pointed at until then.
ALTER TABLE {schema}.model_alias_history ADD COLUMN removed boolean NOT NULL DEFAULT false;
