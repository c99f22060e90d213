-- The online feature store: per feature view, the events still inside its longest window or ttl (an event tail) and
-- the view's watermark, so serving computes a view's features for one entity at request time with the same
-- aggregation code as training. ticks are UTC ticks (100 ns), exact, since a watermark is compared to event times;
-- vals holds the event's slot values as little-endian doubles (NaN kept). seq keeps the source order of events that
-- share a time. generation grows by one per refresh: a refresh that read an older one is refused.
CREATE TABLE {schema}.online_feature_views (
    view_name          text        PRIMARY KEY,
    definition_hash    text        NOT NULL,
    source_fingerprint text        NOT NULL,
    watermark_ticks    bigint      NULL,
    refreshed_at       timestamptz NOT NULL,
    events             bigint      NOT NULL,
    entities           bigint      NOT NULL,
    generation         bigint      NOT NULL
);

CREATE TABLE {schema}.online_feature_events (
    seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name text   NOT NULL,
    entity text   NOT NULL,
    ticks  bigint NOT NULL,
    vals   bytea  NOT NULL
);

CREATE INDEX ix_online_feature_events_view_entity_ticks ON {schema}.online_feature_events (view_name, entity, ticks, seq);
CREATE INDEX ix_online_feature_events_view_ticks ON {schema}.online_feature_events (view_name, ticks);
