using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MlOpsOrchestrator.Storage;

/// <summary>How the stores are opened. The defaults suit both the embedded mode and a cluster.</summary>
public sealed partial class StorageOptions
{
    /// <summary>The PostgreSQL schema of the project's tables, beside Hangfire's and Quartz's in the same database.</summary>
    public string PostgresSchema { get; set; } = "mlops";

    /// <summary>How long a SQLite writer waits for another process (a CLI run beside <c>serve</c>) before it fails.</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// PostgreSQL mode: how many bytes of artifacts each process keeps in its local cache (<c>HOME/cache/artifacts</c>)
    /// before the least recently used copies go (<c>MLOPS_ARTIFACT_CACHE_MB</c>). At least the largest model served.
    /// </summary>
    public long ArtifactCacheBytes { get; set; } = 4L << 30;

    /// <summary>The clock of the migration records.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>Every problem at once; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PostgresSchema is null || !SchemaName().IsMatch(PostgresSchema))
        {
            errors.Add($"PostgresSchema '{PostgresSchema}' must be 1-63 lowercase letters, digits or underscores, starting with a letter or underscore.");
        }

        if (SqliteBusyTimeout <= TimeSpan.Zero || SqliteBusyTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"SqliteBusyTimeout {SqliteBusyTimeout} must be positive and at most one day.");
        }

        if (ArtifactCacheBytes < 1 << 20)
        {
            errors.Add($"ArtifactCacheBytes {ArtifactCacheBytes} must be at least 1 MiB (1048576).");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider is required.");
        }

        if (LoggerFactory is null)
        {
            errors.Add("LoggerFactory is required.");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        if (Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException("Invalid storage options: " + string.Join(" ", errors));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
