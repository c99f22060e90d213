using System.Data;
using System.Security.Cryptography;
using MlOpsOrchestrator.Stores;
using Npgsql;

namespace MlOpsOrchestrator.Storage.Artifacts;

/// <summary>
/// Artifacts in PostgreSQL, so a cluster needs no shared file system. A write goes to a local temporary file, is
/// hashed (SHA-256), and its blob is stored in chunks in the same transaction as the name that points to it: a name
/// leads to a whole blob or to none, a killed writer leaves nothing visible, and a second write of the same bytes
/// stores no chunk. Reads stream the chunks into a local <see cref="ArtifactCache"/> keyed by hash, so a model is
/// fetched once per process and serving reads local files.
/// </summary>
internal sealed class PostgresArtifactStore(NpgsqlDataSource dataSource, string schema, ArtifactCache cache, TimeProvider time) : IArtifactStore
{
    /// <summary>The size of one stored chunk: large enough for few rows, small enough that a chunk is the only buffer.</summary>
    public const int ChunkBytes = 1 << 20;

    private const int BufferSize = 81920;

    private const string ForeignKeyViolation = "23503";

    public string Root => cache.Root;

    public ArtifactCache Cache => cache;

    public string PathOf(string relativePath)
    {
        var name = ArtifactName.Normalize(relativePath);
        if (FindBlob(name) is not { } blob)
        {
            return cache.Missing(name);
        }

        return cache.Find(blob.Hash, name) ?? Fetch(name, blob);
    }

    public bool Exists(string relativePath) => FindBlob(ArtifactName.Normalize(relativePath)) is not null;

    public async Task<Stream> OpenReadAsync(string relativePath, CancellationToken ct)
    {
        var name = ArtifactName.Normalize(relativePath);
        var blob = await FindBlobAsync(name, ct) ?? throw new FileNotFoundException($"the artifact '{name}' does not exist in the database", name);
        var path = cache.Find(blob.Hash, name) ?? await FetchAsync(name, blob, ct);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true);
    }

    public async Task WriteAsync(string relativePath, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var name = ArtifactName.Normalize(relativePath);
        var temporary = cache.NewTemporary();
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await using (stream)
            {
                await write(stream, ct);
            }

            var blob = await HashAsync(temporary, ct);
            await StoreAsync(name, blob, temporary, ct);
            cache.Adopt(temporary, blob.Hash, name);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    public async Task ImportAsync(string relativePath, string sourceFile, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceFile);
        var source = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using (source)
        {
            await WriteAsync(relativePath, (target, token) => source.CopyToAsync(target, BufferSize, token), ct);
        }
    }

    public async Task<bool> DeleteAsync(string relativePath, CancellationToken ct)
    {
        var name = ArtifactName.Normalize(relativePath);
        string? hash;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {schema}.artifact_names WHERE path = @path RETURNING hash", connection);
            command.Parameters.AddWithValue("path", name);
            hash = await command.ExecuteScalarAsync(ct) as string;
        }

        if (hash is null)
        {
            return false;
        }

        await DeleteBlobIfUnusedAsync(hash, ct);
        return true;
    }

    /// <summary>The names under the folder: only committed writes have a name, so a write in progress is never listed.</summary>
    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string folder, CancellationToken ct)
    {
        var prefix = ArtifactName.Normalize(folder) + "/";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT path, size, written_at FROM {schema}.artifact_names WHERE starts_with(path, @prefix) ORDER BY path COLLATE \"C\"", connection);
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var entries = new List<ArtifactEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new ArtifactEntry(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return entries;
    }

    /// <summary>The content hash and size of a stored name, or null; for <c>mlops migrate-artifacts</c> to skip what is already there.</summary>
    public async Task<StoredBlob?> FindBlobAsync(string name, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = FindCommand(connection, name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new StoredBlob(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>The SHA-256 (lowercase hex) and length of a local file.</summary>
    public static async Task<StoredBlob> HashAsync(string file, CancellationToken ct)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using (stream)
        {
            var hash = await SHA256.HashDataAsync(stream, ct);
            return new StoredBlob(Convert.ToHexStringLower(hash), stream.Length);
        }
    }

    private StoredBlob? FindBlob(string name)
    {
        using var connection = dataSource.OpenConnection();
        using var command = FindCommand(connection, name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredBlob(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private NpgsqlCommand FindCommand(NpgsqlConnection connection, string name)
    {
        var command = new NpgsqlCommand($"SELECT hash, size FROM {schema}.artifact_names WHERE path = @path", connection);
        command.Parameters.AddWithValue("path", name);
        return command;
    }

    /// <summary>
    /// The blob (inserted, or already there and locked against deletion by the upsert), its chunks when it is new, and
    /// the name, in one transaction. An artifact of one chunk (schemas, profiles, small models) is one command of three
    /// statements: one round trip, one commit.
    /// </summary>
    private async Task StoreAsync(string name, StoredBlob blob, string file, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var chunks = (int)Math.Max(1, (blob.Size + ChunkBytes - 1) / ChunkBytes);
        string? previous;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            if (chunks == 1)
            {
                // One command of several statements runs as one implicit transaction.
                await using var command = new NpgsqlCommand(
                    $"{ClaimBlobSql}; INSERT INTO {schema}.artifact_chunks (hash, chunk_no, bytes) VALUES (@hash, 0, @bytes) ON CONFLICT (hash, chunk_no) DO NOTHING; {NameSql}",
                    connection);
                AddBlobParameters(command, name, blob, chunks, now);
                command.Parameters.AddWithValue("bytes", await File.ReadAllBytesAsync(file, ct));
                previous = await ReadPreviousAsync(command, ct);
            }
            else
            {
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                bool inserted;
                await using (var claim = new NpgsqlCommand($"{ClaimBlobSql} RETURNING (xmax = 0)", connection))
                {
                    AddBlobParameters(claim, name, blob, chunks, now);
                    inserted = (bool)(await claim.ExecuteScalarAsync(ct))!;
                }

                if (inserted)
                {
                    await InsertChunksAsync(connection, blob.Hash, file, ct);
                }

                await using (var upsert = new NpgsqlCommand(NameSql, connection))
                {
                    AddBlobParameters(upsert, name, blob, chunks, now);
                    previous = await ReadPreviousAsync(upsert, ct);
                }

                await transaction.CommitAsync(ct);
            }
        }

        if (previous is not null && previous != blob.Hash)
        {
            await DeleteBlobIfUnusedAsync(previous, ct);
        }
    }

    /// <summary>Inserts the blob row, or locks the existing one until the transaction ends, so retention cannot delete it meanwhile.</summary>
    private string ClaimBlobSql =>
        $"INSERT INTO {schema}.artifact_blobs (hash, size, chunks, created_at) VALUES (@hash, @size, @chunks, @at) ON CONFLICT (hash) DO UPDATE SET size = excluded.size";

    /// <summary>
    /// The hash the name pointed to before (locked, so two writers of one name queue), then the name pointed at the
    /// blob. Two statements: a <c>RETURNING</c> of the old row would read it after the upsert changed it.
    /// </summary>
    private string NameSql =>
        $"SELECT hash FROM {schema}.artifact_names WHERE path = @path FOR UPDATE; " +
        $"INSERT INTO {schema}.artifact_names (path, hash, size, written_at) VALUES (@path, @hash, @size, @at) " +
        "ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, size = excluded.size, written_at = excluded.written_at";

    private static void AddBlobParameters(NpgsqlCommand command, string name, StoredBlob blob, int chunks, DateTimeOffset now)
    {
        command.Parameters.AddWithValue("path", name);
        command.Parameters.AddWithValue("hash", blob.Hash);
        command.Parameters.AddWithValue("size", blob.Size);
        command.Parameters.AddWithValue("chunks", chunks);
        command.Parameters.AddWithValue("at", now);
    }

    /// <summary>The previous hash of the name: the only row the command's statements return.</summary>
    private static async Task<string?> ReadPreviousAsync(NpgsqlCommand command, CancellationToken ct)
    {
        string? previous = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct))
            {
                previous = reader.IsDBNull(0) ? null : reader.GetString(0);
            }
        }
        while (await reader.NextResultAsync(ct));

        return previous;
    }

    private async Task InsertChunksAsync(NpgsqlConnection connection, string hash, string file, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {schema}.artifact_chunks (hash, chunk_no, bytes) VALUES (@hash, @no, @bytes)", connection);
        command.Parameters.AddWithValue("hash", hash);
        var number = new NpgsqlParameter<int>("no", 0);
        var bytes = new NpgsqlParameter<ArraySegment<byte>>("bytes", default(ArraySegment<byte>));
        command.Parameters.Add(number);
        command.Parameters.Add(bytes);
        var buffer = new byte[ChunkBytes];
        var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using (source)
        {
            for (var chunk = 0; ; chunk++)
            {
                var filled = await source.ReadAtLeastAsync(buffer, ChunkBytes, throwOnEndOfStream: false, ct);
                if (filled == 0 && chunk > 0)
                {
                    break;
                }

                number.TypedValue = chunk;
                bytes.TypedValue = new ArraySegment<byte>(buffer, 0, filled);
                await command.ExecuteNonQueryAsync(ct);
                if (filled < ChunkBytes)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Deletes a blob no name points to; one that a concurrent write just claimed stays (the foreign key refuses).</summary>
    private async Task DeleteBlobIfUnusedAsync(string hash, CancellationToken ct)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(
                $"DELETE FROM {schema}.artifact_blobs b WHERE b.hash = @hash AND NOT EXISTS (SELECT 1 FROM {schema}.artifact_names n WHERE n.hash = @hash)", connection);
            command.Parameters.AddWithValue("hash", hash);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == ForeignKeyViolation)
        {
            // A write of the same bytes committed a name meanwhile: the blob is in use again.
        }
    }

    private string Fetch(string name, StoredBlob blob)
    {
        var temporary = cache.NewTemporary();
        try
        {
            using (var connection = dataSource.OpenConnection())
            using (var command = ChunksCommand(connection, blob.Hash))
            using (var reader = command.ExecuteReader(CommandBehavior.SequentialAccess))
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                while (reader.Read())
                {
                    using var chunk = reader.GetStream(0);
                    chunk.CopyTo(file, BufferSize);
                }

                file.Flush(flushToDisk: true);
            }

            return Adopt(temporary, name, blob);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private async Task<string> FetchAsync(string name, StoredBlob blob, CancellationToken ct)
    {
        var temporary = cache.NewTemporary();
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(ct))
            await using (var command = ChunksCommand(connection, blob.Hash))
            await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                while (await reader.ReadAsync(ct))
                {
                    await using var chunk = await reader.GetStreamAsync(0, ct);
                    await chunk.CopyToAsync(file, BufferSize, ct);
                }

                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            return Adopt(temporary, name, blob);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private NpgsqlCommand ChunksCommand(NpgsqlConnection connection, string hash)
    {
        var command = new NpgsqlCommand($"SELECT bytes FROM {schema}.artifact_chunks WHERE hash = @hash ORDER BY chunk_no", connection);
        command.Parameters.AddWithValue("hash", hash);
        return command;
    }

    private string Adopt(string temporary, string name, StoredBlob blob)
    {
        var length = new FileInfo(temporary).Length;
        if (length != blob.Size)
        {
            throw new InvalidDataException(
                $"the artifact '{name}' read back {length} bytes of the {blob.Size} recorded (its content was deleted while it was read, e.g. by retention); read it again");
        }

        return cache.Adopt(temporary, blob.Hash, name);
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the cache's tmp folder; harmless, and nothing reads it.
        }
    }
}
