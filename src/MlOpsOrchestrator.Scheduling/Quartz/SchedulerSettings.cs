using System.Text;
using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// Where Quartz keeps the triggers and how it behaves in a cluster. With a PostgreSQL connection string it runs on its
/// clustered ADO.NET store in that database, so any number of <c>serve</c> processes sharing it fire each trigger once.
/// With a <see cref="SqlitePath"/> (the embedded mode) it runs on its ADO.NET store in that SQLite file, not clustered:
/// one process owns the file at a time, and the triggers, their last fire times and so their misfires survive a
/// restart. With neither, it runs on its in-memory store (nothing survives a restart).
/// </summary>
public sealed partial record SchedulerSettings
{
    /// <summary>Lets Quartz generate a unique instance id (host name and time), as a cluster needs.</summary>
    public const string AutoInstanceId = "AUTO";

    /// <summary>An Npgsql connection string; null selects the SQLite file of <see cref="SqlitePath"/>, or memory.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>
    /// The SQLite file of the embedded store (created when missing, kept in WAL mode); only without
    /// <see cref="PostgresConnectionString"/>. Null with neither: the in-memory store.
    /// </summary>
    public string? SqlitePath { get; init; }

    /// <summary>The lock file that keeps a second process off <see cref="SqlitePath"/>: the path with <c>.lock</c> appended.</summary>
    public string? SqliteLockPath => SqlitePath is null ? null : SqlitePath + ".lock";

    /// <summary>Which store Quartz uses: <c>postgres</c>, <c>sqlite</c> or <c>memory</c>.</summary>
    public string StoreKind => PostgresConnectionString is not null ? "postgres" : SqlitePath is not null ? "sqlite" : "memory";

    /// <summary>The scheduler name; every node of one cluster must use the same one (it keys the Quartz rows).</summary>
    public string InstanceName { get; init; } = "mlops";

    /// <summary>Unique per process in a cluster; <see cref="AutoInstanceId"/> generates one.</summary>
    public string InstanceId { get; init; } = AutoInstanceId;

    /// <summary>
    /// How often the pipelines folder is rescanned even without a file-system event: watchers miss events on network
    /// and container file systems.
    /// </summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The Quartz table prefix, lowercase (PostgreSQL folds unquoted names).</summary>
    public string TablePrefix { get; init; } = "qrtz_";

    /// <summary>The PostgreSQL schema of the Quartz tables; null: the connection's search path (normally <c>public</c>).</summary>
    public string? Schema { get; init; }

    /// <summary>
    /// How often a cluster node records that it is alive; a node silent for twice this long is declared dead and its
    /// in-flight fires are recovered by another node, which notices at its own next check-in: 5 s gives a fail-over in
    /// about 10–15 s.
    /// </summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How late a fire may be before Quartz treats it as missed and applies the trigger's <c>misfire</c> policy. Short,
    /// so an outage of half a minute counts as downtime, yet longer than a scheduling hiccup.
    /// </summary>
    public TimeSpan MisfireThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The prefix Quartz puts before its table names: the schema, if any, then <see cref="TablePrefix"/>.</summary>
    public string QualifiedTablePrefix => Schema is null ? TablePrefix : $"{Schema}.{TablePrefix}";

    /// <summary>Every problem of these settings at once; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PostgresConnectionString is not null && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            problems.Add("PostgresConnectionString is blank; leave it null for the SQLite or in-memory store");
        }

        if (SqlitePath is not null && (string.IsNullOrWhiteSpace(SqlitePath) || !Path.IsPathFullyQualified(SqlitePath)))
        {
            problems.Add($"SqlitePath '{SqlitePath}' must be an absolute file path");
        }

        if (SqlitePath is not null && PostgresConnectionString is not null)
        {
            problems.Add("set PostgresConnectionString or SqlitePath, not both");
        }

        if (string.IsNullOrWhiteSpace(InstanceName))
        {
            problems.Add("InstanceName is required");
        }

        if (string.IsNullOrWhiteSpace(InstanceId))
        {
            problems.Add($"InstanceId is required ('{AutoInstanceId}' generates one)");
        }

        if (RescanInterval <= TimeSpan.Zero)
        {
            problems.Add($"RescanInterval must be positive, not {RescanInterval}");
        }

        if (!SqlName().IsMatch(TablePrefix))
        {
            problems.Add($"TablePrefix '{TablePrefix}' must be lowercase letters, digits and underscores, starting with a letter or underscore");
        }

        if (Schema is not null && !SqlName().IsMatch(Schema))
        {
            problems.Add($"Schema '{Schema}' must be lowercase letters, digits and underscores, starting with a letter or underscore");
        }

        if (CheckinInterval <= TimeSpan.Zero)
        {
            problems.Add($"CheckinInterval must be positive, not {CheckinInterval}");
        }

        if (MisfireThreshold <= TimeSpan.Zero)
        {
            problems.Add($"MisfireThreshold must be positive, not {MisfireThreshold}");
        }

        return problems;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid scheduler settings: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>Keeps the connection string (and its password) out of logs: only the store kind is printed.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Store = ").Append(StoreKind)
            .Append(", InstanceName = ").Append(InstanceName)
            .Append(", InstanceId = ").Append(InstanceId)
            .Append(", TablePrefix = ").Append(QualifiedTablePrefix)
            .Append(", RescanInterval = ").Append(RescanInterval)
            .Append(", CheckinInterval = ").Append(CheckinInterval)
            .Append(", MisfireThreshold = ").Append(MisfireThreshold);
        return true;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,40}$")]
    private static partial Regex SqlName();
}
