-- Which alias answered a request and how callers name it later. alias: the alias whose version produced the row
-- ('production' for every row written before). prediction_id: the id returned with the answer, which feedback names;
-- a shadow row repeats the id of the request it scored next to. request_key: the caller's routing key (sticky canary
-- splits). shadow: the answer was logged, never returned.
ALTER TABLE {schema}.prediction_log ADD COLUMN alias text NOT NULL DEFAULT 'production';
ALTER TABLE {schema}.prediction_log ADD COLUMN prediction_id text NULL;
ALTER TABLE {schema}.prediction_log ADD COLUMN request_key text NULL;
ALTER TABLE {schema}.prediction_log ADD COLUMN shadow boolean NOT NULL DEFAULT false;

CREATE INDEX ix_prediction_log_model_prediction_id ON {schema}.prediction_log (model, prediction_id);
