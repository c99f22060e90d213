-- Artifacts in the database, so the nodes of a cluster share nothing but PostgreSQL. A blob is the content of one or
-- more artifacts, named by its SHA-256 (a second write of the same bytes stores nothing); its chunks are written in the
-- same transaction as the blob row and the name that points to it, so a name never leads to part of a blob.
CREATE TABLE {schema}.artifact_blobs (
    hash       text        PRIMARY KEY,
    size       bigint      NOT NULL,
    chunks     integer     NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE {schema}.artifact_chunks (
    hash     text    NOT NULL REFERENCES {schema}.artifact_blobs (hash) ON DELETE CASCADE,
    chunk_no integer NOT NULL,
    bytes    bytea   NOT NULL,
    PRIMARY KEY (hash, chunk_no)
);

CREATE TABLE {schema}.artifact_names (
    path       text        PRIMARY KEY,
    hash       text        NOT NULL REFERENCES {schema}.artifact_blobs (hash),
    size       bigint      NOT NULL,
    written_at timestamptz NOT NULL
);

CREATE INDEX ix_artifact_names_hash ON {schema}.artifact_names (hash);

-- Chunks are mostly compressed already (model zips): storing them out of line without another compression pass saves
-- the CPU of a pointless attempt on every write.
ALTER TABLE {schema}.artifact_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- ASP.NET Core data-protection keys (antiforgery tokens, cookies), shared by every serve of a cluster.
CREATE TABLE {schema}.data_protection_keys (
    name       text        PRIMARY KEY,
    xml        text        NOT NULL,
    created_at timestamptz NOT NULL
);
