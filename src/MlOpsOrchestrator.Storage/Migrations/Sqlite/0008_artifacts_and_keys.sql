-- The tables of the PostgreSQL migration of the same number, for one schema in both engines. The embedded mode keeps
-- artifacts as files under the home folder and data-protection keys in home/keys, so these stay empty here.
CREATE TABLE artifact_blobs (
    hash       TEXT    PRIMARY KEY,
    size       INTEGER NOT NULL,
    chunks     INTEGER NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE artifact_chunks (
    hash     TEXT    NOT NULL REFERENCES artifact_blobs (hash) ON DELETE CASCADE,
    chunk_no INTEGER NOT NULL,
    bytes    BLOB    NOT NULL,
    PRIMARY KEY (hash, chunk_no)
);

CREATE TABLE artifact_names (
    path       TEXT    PRIMARY KEY,
    hash       TEXT    NOT NULL REFERENCES artifact_blobs (hash),
    size       INTEGER NOT NULL,
    written_at TEXT    NOT NULL
);

CREATE INDEX ix_artifact_names_hash ON artifact_names (hash);

CREATE TABLE data_protection_keys (
    name       TEXT PRIMARY KEY,
    xml        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
