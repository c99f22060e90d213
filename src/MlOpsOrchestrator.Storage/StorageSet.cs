using System.Data.Common;
using MlOpsOrchestrator.Storage.Evaluations;
using MlOpsOrchestrator.Storage.Features;
using MlOpsOrchestrator.Storage.Feedback;
using MlOpsOrchestrator.Storage.Keys;
using MlOpsOrchestrator.Storage.ModelEvaluations;
using MlOpsOrchestrator.Storage.Predictions;
using MlOpsOrchestrator.Storage.Registry;
using MlOpsOrchestrator.Storage.Runs;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Storage.Watermarks;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage;

/// <summary>
/// The stores of one storage mode, opened and migrated together by <see cref="MlOpsStorage"/>. Dispose it when the
/// host stops: it owns the connection pool.
/// </summary>
public sealed class StorageSet : IAsyncDisposable
{
    private readonly ISqlEngine _engine;

    internal StorageSet(ISqlEngine engine, IArtifactStore artifacts, DataProtectionKeyTable? dataProtectionKeys = null)
    {
        DataProtectionKeys = dataProtectionKeys;
        _engine = engine;
        var runs = new SqlRunStore(engine);
        Runs = runs;
        RunExecution = runs;
        Registry = new SqlModelRegistry(engine);
        Watermarks = new SqlWatermarkStore(engine);
        Evaluations = new SqlEvaluationStore(engine);
        ModelEvaluations = new SqlModelEvaluationStore(engine);
        Predictions = new SqlPredictionLog(engine);
        Feedback = new SqlFeedbackStore(engine);
        OnlineFeatures = new SqlOnlineFeatureStore(engine);
        Artifacts = artifacts;
    }

    /// <summary>Run history: create, read, list.</summary>
    public IRunRepository Runs { get; }

    /// <summary>Every change to an existing run (claim, heartbeat, commits fenced by the owner); the same store as <see cref="Runs"/>.</summary>
    public IRunExecutionStore RunExecution { get; }

    public IModelRegistry Registry { get; }

    public IWatermarkStore Watermarks { get; }

    /// <summary>The drift and metric series of <c>monitor</c> steps.</summary>
    public IEvaluationStore Evaluations { get; }

    /// <summary>Every metric train and evaluate steps measured, per model, slice and version.</summary>
    public IModelEvaluationStore ModelEvaluations { get; }

    /// <summary>The predictions served, written by serving and read by <c>monitor</c>.</summary>
    public IPredictionLog Predictions { get; }

    /// <summary>Labels fed back for served predictions, and the join online metrics are computed from.</summary>
    public IFeedbackStore Feedback { get; }

    /// <summary>The online feature store: the feature views' recent events and watermarks, read by predict by entity key.</summary>
    public IOnlineFeatureStore OnlineFeatures { get; }

    public IArtifactStore Artifacts { get; }

    /// <summary>PostgreSQL mode: the shared data-protection key ring. Null in the embedded mode, whose one <c>serve</c> keeps its keys in <c>home/keys</c>.</summary>
    public DataProtectionKeyTable? DataProtectionKeys { get; }

    /// <summary>Where the data lives, safe to log and show: <c>sqlite:/home/.mlops/mlops.db</c> or <c>postgres:host:port/db</c> (never a password).</summary>
    public string Description => _engine.Description;

    /// <summary>Whether the database answers now; for <c>GET /health</c>. Failures are the answer, not exceptions.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await _engine.OpenAsync(ct);
            await using var command = connection.Command("SELECT 1");
            return await command.ExecuteScalarAsync(ct) is not null;
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException or InvalidOperationException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}
