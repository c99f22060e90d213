using System.Text.RegularExpressions;

namespace MlOpsOrchestrator.Scheduling.Hangfire;

/// <summary>
/// How a process takes part in the execution queue. Every process that starts or continues runs needs the queue;
/// only <c>serve</c> and <c>worker</c> also execute (<see cref="RunServer"/>).
/// </summary>
public sealed partial record ExecutionSettings
{
    /// <summary>An Npgsql connection string: the queue lives in PostgreSQL and is shared by every process on it. Null: in memory, this process only.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Whether this process executes runs (a Hangfire server with <see cref="WorkerCount"/> workers).</summary>
    public bool RunServer { get; init; }

    /// <summary>How many runs this process executes at once.</summary>
    public int WorkerCount { get; init; } = Environment.ProcessorCount;

    /// <summary>The queues this process takes runs from, in priority order. Runs are enqueued on <c>default</c>.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [DefaultQueue];

    /// <summary>The PostgreSQL schema of Hangfire's tables, beside the project's own and Quartz's.</summary>
    public string SchemaName { get; init; } = "hangfire";

    /// <summary>The queue every run is enqueued on.</summary>
    public const string DefaultQueue = "default";

    /// <summary>Every problem at once; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PostgresConnectionString is not null && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            errors.Add("PostgresConnectionString is empty; leave it null for the in-memory queue.");
        }

        if (WorkerCount is < 1 or > 1000)
        {
            errors.Add($"WorkerCount {WorkerCount} must be between 1 and 1000.");
        }

        if (Queues is null || Queues.Count == 0)
        {
            errors.Add("Queues must name at least one queue, e.g. \"default\".");
        }
        else
        {
            errors.AddRange(Queues.Where(q => q is null || !QueueName().IsMatch(q))
                .Select(q => $"queue '{q}' must be lowercase letters, digits, '_' or '-' (Hangfire's rule for queue names)."));
        }

        if (SchemaName is null || !Schema().IsMatch(SchemaName))
        {
            errors.Add($"SchemaName '{SchemaName}' must be 1-63 lowercase letters, digits or underscores, starting with a letter or underscore.");
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9_-]{1,100}$")]
    private static partial Regex QueueName();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Schema();
}
