using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Notifications;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Monitoring;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Scheduling.Hangfire;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Composition;

/// <summary>
/// What <see cref="MlOpsServiceCollectionExtensions.AddMlOps(IServiceCollection, Action{MlOpsBuilder})"/> composes:
/// where runs are stored (<see cref="UseSqlite"/> or <see cref="UsePostgres"/>) and how they are executed
/// (<see cref="UseHangfire"/> for <c>serve</c> and <c>worker</c>, <see cref="UseInProcess"/> for one-shot commands).
/// Both choices are required; the step executors of every step kind are registered by default.
/// </summary>
public sealed class MlOpsBuilder
{
    private readonly List<string> _storageCalls = [];
    private readonly List<string> _dispatcherCalls = [];

    /// <summary>The executor of each step kind: one class per kind, whose constructor takes what it uses.</summary>
    private readonly Dictionary<StepKind, Type> _executors = new()
    {
        [StepKind.DataPrep] = typeof(DataPrepExecutor),
        [StepKind.Train] = typeof(TrainExecutor),
        [StepKind.Evaluate] = typeof(EvaluateExecutor),
        [StepKind.Deploy] = typeof(DeployExecutor),
        [StepKind.Monitor] = typeof(MonitorExecutor),
        [StepKind.Retrain] = typeof(RetrainExecutor),
    };

    internal MlOpsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The collection being composed, for registrations of the host's own.</summary>
    public IServiceCollection Services { get; }

    internal StorageChoice? Storage { get; private set; }

    internal ExecutionSettings? Hangfire { get; private set; }

    internal bool InProcess { get; private set; }

    internal string? DataRoot { get; private set; }

    internal IReadOnlyDictionary<StepKind, Type> Executors => _executors;

    /// <summary>What wraps every step executor the composition makes (null: none).</summary>
    internal Func<IStepExecutor, IStepExecutor>? StepDecorator { get; private set; }

    /// <summary>What wraps every source reader the composition makes (null: none).</summary>
    internal Func<ISourceReader, ISourceReader>? SourceDecorator { get; private set; }

    /// <summary>The embedded mode: SQLite database and artifacts under <paramref name="home"/>.</summary>
    public MlOpsBuilder UseSqlite(string home)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        _storageCalls.Add(nameof(UseSqlite));
        Storage = new StorageChoice(home, null, null);
        return this;
    }

    /// <summary>The cluster mode: runs, registry and monitoring in PostgreSQL, artifacts under <paramref name="home"/> (shared).</summary>
    public MlOpsBuilder UsePostgres(string connectionString, string home)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        _storageCalls.Add(nameof(UsePostgres));
        Storage = new StorageChoice(home, connectionString, null);
        return this;
    }

    /// <summary>
    /// Stores the caller has already opened (a benchmark's own PostgreSQL schema, a test's storage): used as they are,
    /// and left open when the container is disposed; the caller disposes them.
    /// </summary>
    public MlOpsBuilder UseStorage(StorageSet storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storageCalls.Add(nameof(UseStorage));
        Storage = new StorageChoice(null, null, storage);
        return this;
    }

    /// <summary>Runs go to the Hangfire queue (PostgreSQL or in memory), executed by this process's server when it runs one.</summary>
    public MlOpsBuilder UseHangfire(ExecutionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _dispatcherCalls.Add(nameof(UseHangfire));
        Hangfire = settings;
        return this;
    }

    /// <summary>
    /// Runs are kept in this process and executed by it (<see cref="InProcessRunDispatcher"/>): the one-shot commands,
    /// which share no queue with other processes.
    /// </summary>
    public MlOpsBuilder UseInProcess()
    {
        _dispatcherCalls.Add(nameof(UseInProcess));
        InProcess = true;
        return this;
    }

    /// <summary>How notifications are delivered; null: from the process environment (<see cref="NotifySettings.FromEnvironment"/>).</summary>
    internal NotifySettings? Notifications { get; private set; }

    /// <summary>Delivers notifications as <paramref name="settings"/> say instead of as the process environment says.</summary>
    public MlOpsBuilder UseNotifications(NotifySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Notifications = settings;
        return this;
    }

    /// <summary>The folder relative <c>data.source</c> paths are resolved against (the current directory by default).</summary>
    public MlOpsBuilder UseDataRoot(string dataRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        DataRoot = dataRoot;
        return this;
    }

    /// <summary>Executes steps of <paramref name="kind"/> with <typeparamref name="TExecutor"/> instead of the product's executor.</summary>
    public MlOpsBuilder UseStepExecutor<TExecutor>(StepKind kind)
        where TExecutor : class, IStepExecutor
    {
        _executors[kind] = typeof(TExecutor);
        return this;
    }

    /// <summary>
    /// Wraps every step executor (a benchmark's or a replay's timer). The wrapper must execute the step it is given:
    /// it observes, it does not replace (use <see cref="UseStepExecutor{TExecutor}"/> for that).
    /// </summary>
    public MlOpsBuilder DecorateStepExecutors(Func<IStepExecutor, IStepExecutor> decorate)
    {
        ArgumentNullException.ThrowIfNull(decorate);
        var before = StepDecorator;
        StepDecorator = before is null ? decorate : e => decorate(before(e));
        return this;
    }

    /// <summary>Wraps every source reader (a replay shows each source as it was at its clock).</summary>
    public MlOpsBuilder DecorateSourceReaders(Func<ISourceReader, ISourceReader> decorate)
    {
        ArgumentNullException.ThrowIfNull(decorate);
        var before = SourceDecorator;
        SourceDecorator = before is null ? decorate : r => decorate(before(r));
        return this;
    }

    /// <summary>Every reason the composition cannot work, each naming the builder call that fixes it; empty when it can.</summary>
    internal IReadOnlyList<string> Problems() =>
        Problems(_storageCalls, _dispatcherCalls, _executors.Keys);

    internal static IReadOnlyList<string> Problems(IReadOnlyList<string> storageCalls, IReadOnlyList<string> dispatcherCalls, IEnumerable<StepKind> executed)
    {
        var problems = new List<string>();
        if (storageCalls.Count == 0)
        {
            problems.Add("no storage chosen: call UseSqlite(home) for the embedded mode, UsePostgres(connectionString, home) for a cluster, or UseStorage(storage) for stores already open");
        }
        else if (storageCalls.Count > 1)
        {
            problems.Add($"storage chosen {storageCalls.Count} times ({string.Join(", ", storageCalls)}): call one of UseSqlite, UsePostgres or UseStorage once");
        }

        if (dispatcherCalls.Count == 0)
        {
            problems.Add("no run dispatcher chosen: call UseHangfire(settings) for serve and worker or UseInProcess() for a one-shot command");
        }
        else if (dispatcherCalls.Count > 1)
        {
            problems.Add($"run dispatcher chosen {dispatcherCalls.Count} times ({string.Join(", ", dispatcherCalls)}): call one of UseHangfire or UseInProcess once");
        }

        var missing = Enum.GetValues<StepKind>().Except(executed).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"no executor for step kind {string.Join(", ", missing)}: register one with UseStepExecutor<TExecutor>(StepKind)");
        }

        return problems;
    }
}
