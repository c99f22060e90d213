using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Scheduling.Quartz;
using MlOpsOrchestrator.Security;
using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// What <c>serve</c> and <c>worker</c> are started with, resolved from the command line and the environment before
/// anything opens; <see cref="MlOpsHostSettingsValidator"/> checks it as a whole so every problem is reported at once.
/// </summary>
internal sealed record MlOpsHostSettings
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public const string DashboardPath = "/hangfire";

    /// <summary>The embedded mode's Quartz store under the home folder (SQLite, owned by one serve at a time).</summary>
    public const string ScheduleFileName = "schedule.db";

    public required HostRole Role { get; init; }

    /// <summary>Artifacts, the embedded database and the logs (<c>MLOPS_HOME</c>).</summary>
    public required string Home { get; init; }

    /// <summary>An Npgsql connection string (<c>MLOPS_POSTGRES</c>); null for the embedded default.</summary>
    public string? Postgres { get; init; }

    /// <summary>Data paths of pipelines may not escape this folder (<c>MLOPS_DATA_ROOT</c>).</summary>
    public required string DataRoot { get; init; }

    /// <summary>The folder whose <c>*.yaml</c> files are scheduled (serve only).</summary>
    public required string PipelinesFolder { get; init; }

    /// <summary>Where the API and the dashboard listen (serve only); Kestrel URL syntax, port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>
    /// Host names the API and the dashboard answer to besides those of <see cref="Urls"/> (<c>MLOPS_ALLOWED_HOSTS</c>):
    /// the names clients use behind a proxy, a load balancer or a container's port mapping. <c>*</c> accepts any.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Web origins (<c>scheme://host[:port]</c>) besides the server's own whose pages may change state without a token
    /// (<c>MLOPS_ALLOWED_ORIGINS</c>): the public address of the dashboard behind a proxy that rewrites the host.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>The default webhooks and the dashboard's public address (<c>MLOPS_NOTIFY_WEBHOOKS</c>, <c>MLOPS_NOTIFY_EVENTS</c>, <c>MLOPS_PUBLIC_URL</c>).</summary>
    public NotifySettings Notify { get; init; } = new();

    /// <summary>What is wrong with the notification variables, reported with the other settings' problems.</summary>
    public IReadOnlyList<string> NotifyProblems { get; init; } = [];

    /// <summary>
    /// The notification settings this host runs with: a serve without <c>MLOPS_PUBLIC_URL</c> links to its own first
    /// address, when that is one a browser can open (not port 0, not a wildcard host).
    /// </summary>
    public NotifySettings Notifications()
    {
        if (Notify.DashboardUrl is not null || Role != HostRole.Serve || Urls.Count == 0
            || !Uri.TryCreate(Urls[0], UriKind.Absolute, out var own) || own.Port == 0 || own.Host is "0.0.0.0" or "[::]" or "*" or "+")
        {
            return Notify;
        }

        return Notify with { DashboardUrl = NotifySettings.Dashboard(own) };
    }

    /// <summary>How often <c>serve</c> deletes what retention no longer keeps (as <c>mlops gc</c> does).</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often <c>serve</c> judges the <c>promote_when</c> rules of its pipelines (also right after feedback arrives).</summary>
    public TimeSpan PromotionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>What is wrong with <c>MLOPS_RETENTION</c>; null when nothing.</summary>
    public string? RetentionProblem { get; init; }

    /// <summary>The Hangfire queues this process takes runs from.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [ExecutionSettings.DefaultQueue];

    /// <summary>How many runs this process executes at once. Steps are CPU-bound ML work, so one per core.</summary>
    public int WorkerCount { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>How often the pipelines folder is rescanned besides file-system events; null: the scheduler's default.</summary>
    public TimeSpan? RescanInterval { get; init; }

    /// <summary>PostgreSQL serve: how lost pending runs are found and queued again; null: <see cref="LostRunSettings.Default"/>.</summary>
    internal LostRunSettings? LostRuns { get; init; }

    /// <summary>The least level written to the console, above the process's minimum level (<see cref="LogLevel"/>, the <c>Serilog</c> configuration).</summary>
    public LogEventLevel ConsoleLogLevel { get; init; } = LogEventLevel.Verbose;

    /// <summary><c>MLOPS_LOG_LEVEL</c> as given (see <see cref="LogSettings"/>); null: the configuration's level, else Information.</summary>
    public string? LogLevel { get; init; }

    /// <summary><c>MLOPS_LOG_FORMAT</c> as given: <c>text</c> (default) or <c>json</c> on the console.</summary>
    public string? LogFormat { get; init; }

    public bool Embedded => Postgres is null;

    /// <summary>Where the logs go: <c>&lt;home&gt;/logs</c>.</summary>
    public string LogsFolder => Path.Combine(Home, "logs");

    /// <summary>The execution queue's part: Hangfire on the same PostgreSQL, or in memory; both roles execute runs.</summary>
    public ExecutionSettings Execution() => new()
    {
        PostgresConnectionString = Postgres,
        RunServer = true,
        WorkerCount = WorkerCount,
        Queues = Queues,
    };

    /// <summary>
    /// The scheduler's part (serve only): Quartz clustered on the same PostgreSQL, or (embedded) Quartz on
    /// <c>&lt;home&gt;/schedule.db</c>, so the schedule's fire times and misfires survive a restart.
    /// </summary>
    public SchedulerSettings Scheduler()
    {
        var scheduler = new SchedulerSettings
        {
            PostgresConnectionString = Postgres,
            SqlitePath = Embedded ? Path.Combine(Path.GetFullPath(Home), ScheduleFileName) : null,
            InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}",
        };
        return RescanInterval is { } rescan ? scheduler with { RescanInterval = rescan } : scheduler;
    }

    public static MlOpsHostSettings Create(HostRole role, RuntimeSettings runtime, string? pipelines) => new()
    {
        Notify = NotifySettings.FromEnvironment(Environment.GetEnvironmentVariable, out var notifyProblems),
        NotifyProblems = notifyProblems,
        RetentionProblem = Retention.RetentionDefaults.FromEnvironment(Environment.GetEnvironmentVariable, out var retentionProblem) is not null ? retentionProblem : null,
        Role = role,
        Home = runtime.Home,
        Postgres = runtime.Postgres,
        DataRoot = runtime.DataRoot,
        PipelinesFolder = Path.GetFullPath(pipelines ?? "pipelines"),
        AllowedHosts = AccessPolicy.List(Environment.GetEnvironmentVariable(Api.AllowedHosts.Variable)),
        AllowedOrigins = AccessPolicy.List(Environment.GetEnvironmentVariable(AccessPolicy.AllowedOriginsVariable)),
        LogLevel = Environment.GetEnvironmentVariable(LogSettings.LevelVariable),
        LogFormat = Environment.GetEnvironmentVariable(LogSettings.FormatVariable),
    };
}
