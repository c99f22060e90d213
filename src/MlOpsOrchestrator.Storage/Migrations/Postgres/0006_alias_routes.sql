-- The share of requests an alias answers besides the ones that name it (a canary): traffic, more than 0 and less
-- than 1, and route_key, the request row's field the split is sticky on (NULL: the X-Request-Key header, else the
-- request). Written with the alias move in one transaction; the history keeps the route each move left in effect.
ALTER TABLE {schema}.model_aliases ADD COLUMN traffic double precision NULL;
ALTER TABLE {schema}.model_aliases ADD COLUMN route_key text NULL;
ALTER TABLE {schema}.model_alias_history ADD COLUMN traffic double precision NULL;
ALTER TABLE {schema}.model_alias_history ADD COLUMN route_key text NULL;
