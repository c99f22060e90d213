-- Which alias answered a request and how callers name it later. alias: the alias whose version produced the row
-- ('production' for every row written before). prediction_id: the id returned with the answer, which feedback names;
-- a shadow row repeats the id of the request it scored next to. request_key: the caller's routing key (sticky canary
-- splits). shadow: the answer was logged, never returned.
ALTER TABLE prediction_log ADD COLUMN alias TEXT NOT NULL DEFAULT 'production';
ALTER TABLE prediction_log ADD COLUMN prediction_id TEXT NULL;
ALTER TABLE prediction_log ADD COLUMN request_key TEXT NULL;
ALTER TABLE prediction_log ADD COLUMN shadow INTEGER NOT NULL DEFAULT 0;

CREATE INDEX ix_prediction_log_model_prediction_id ON prediction_log (model, prediction_id);
