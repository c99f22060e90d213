-- The online feature store: per feature view, the events still inside its longest window or ttl (an event tail) and
-- the view's watermark, so serving computes a view's features for one entity at request time with the same
-- aggregation code as training. ticks are UTC ticks (100 ns), exact, since a watermark is compared to event times;
-- vals holds the event's slot values as little-endian doubles (NaN kept). seq keeps the source order of events that
-- share a time. generation grows by one per refresh: a refresh that read an older one is refused.
CREATE TABLE online_feature_views (
    view_name          TEXT    PRIMARY KEY,
    definition_hash    TEXT    NOT NULL,
    source_fingerprint TEXT    NOT NULL,
    watermark_ticks    INTEGER NULL,
    refreshed_at       TEXT    NOT NULL,
    events             INTEGER NOT NULL,
    entities           INTEGER NOT NULL,
    generation         INTEGER NOT NULL
);

CREATE TABLE online_feature_events (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    view_name TEXT    NOT NULL,
    entity TEXT    NOT NULL,
    ticks  INTEGER NOT NULL,
    vals   BLOB    NOT NULL
);

CREATE INDEX ix_online_feature_events_view_entity_ticks ON online_feature_events (view_name, entity, ticks, seq);
CREATE INDEX ix_online_feature_events_view_ticks ON online_feature_events (view_name, ticks);
