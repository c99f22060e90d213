using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>The YAML words of version 1 and what they mean; the JSON Schema in docs/ lists the same words.</summary>
internal static class Vocabulary
{
    /// <summary>Insertion order is the order error messages list them in.</summary>
    public static readonly IReadOnlyDictionary<string, SourceEncoding> Encodings = new Dictionary<string, SourceEncoding>
    {
        ["utf-8"] = SourceEncoding.Utf8, ["latin1"] = SourceEncoding.Latin1, ["iso-8859-1"] = SourceEncoding.Latin1,
        ["windows-1252"] = SourceEncoding.Windows1252,
    };

    public static readonly IReadOnlyDictionary<string, ColumnType> ColumnTypes = new Dictionary<string, ColumnType>
    {
        ["float"] = ColumnType.Float, ["int"] = ColumnType.Int, ["boolean"] = ColumnType.Boolean,
        ["categorical"] = ColumnType.Categorical, ["text"] = ColumnType.Text, ["datetime"] = ColumnType.Datetime,
        ["ignore"] = ColumnType.Ignore,
    };

    public static readonly IReadOnlyDictionary<string, MissingPolicy> MissingPolicies = new Dictionary<string, MissingPolicy>
    {
        ["fail"] = MissingPolicy.Fail, ["drop"] = MissingPolicy.Drop, ["mean"] = MissingPolicy.Mean, ["zero"] = MissingPolicy.Zero,
    };

    public static readonly IReadOnlyDictionary<string, RunMode> Modes = new Dictionary<string, RunMode>
    {
        ["full"] = RunMode.Full, ["incremental"] = RunMode.Incremental,
    };

    public static readonly IReadOnlyDictionary<string, MisfirePolicy> Misfires = new Dictionary<string, MisfirePolicy>
    {
        ["fire_once"] = MisfirePolicy.FireOnce, ["skip"] = MisfirePolicy.Skip,
    };

    public static readonly IReadOnlyDictionary<string, ConcurrencyPolicy> Concurrency = new Dictionary<string, ConcurrencyPolicy>
    {
        ["skip"] = ConcurrencyPolicy.Skip, ["queue"] = ConcurrencyPolicy.Queue,
    };

    public static readonly IReadOnlyDictionary<string, StepKind> StepKinds = new Dictionary<string, StepKind>
    {
        ["data_prep"] = StepKind.DataPrep, ["train"] = StepKind.Train, ["evaluate"] = StepKind.Evaluate,
        ["deploy"] = StepKind.Deploy, ["monitor"] = StepKind.Monitor, ["retrain"] = StepKind.Retrain,
    };

    public static readonly IReadOnlyDictionary<string, SplitBy> SplitBy = new Dictionary<string, SplitBy>
    {
        ["random"] = Specs.SplitBy.Random, ["time"] = Specs.SplitBy.Time,
    };

    public static readonly IReadOnlyDictionary<string, MlTask> Tasks = new Dictionary<string, MlTask>
    {
        ["binary"] = MlTask.Binary, ["multiclass"] = MlTask.Multiclass, ["regression"] = MlTask.Regression,
    };

    public static readonly IReadOnlyDictionary<string, IncrementalStrategy> Strategies = new Dictionary<string, IncrementalStrategy>
    {
        ["warm_start"] = IncrementalStrategy.WarmStart, ["window"] = IncrementalStrategy.Window,
    };

    public static readonly IReadOnlyDictionary<string, DeployStrategy> DeployStrategies = new Dictionary<string, DeployStrategy>
    {
        ["replace"] = DeployStrategy.Replace, ["shadow"] = DeployStrategy.Shadow, ["canary"] = DeployStrategy.Canary,
    };

    public static readonly IReadOnlyDictionary<string, GateKind> GateKinds = new Dictionary<string, GateKind>
    {
        ["min"] = GateKind.Min, ["max"] = GateKind.Max, ["max_increase"] = GateKind.MaxIncrease, ["max_decrease"] = GateKind.MaxDecrease,
    };

    public static readonly IReadOnlyDictionary<string, DriftMethod> DriftMethods = new Dictionary<string, DriftMethod>
    {
        ["psi"] = DriftMethod.Psi, ["ks"] = DriftMethod.Ks,
    };

    public static readonly IReadOnlyDictionary<string, DriftReference> DriftReferences = new Dictionary<string, DriftReference>
    {
        ["training"] = DriftReference.Training, ["previous_window"] = DriftReference.PreviousWindow, ["same_period"] = DriftReference.SamePeriod,
    };

    public static readonly IReadOnlyDictionary<string, RetrainWhen> RetrainWhen = new Dictionary<string, RetrainWhen>
    {
        ["drift"] = Specs.RetrainWhen.Drift, ["always"] = Specs.RetrainWhen.Always,
    };

    public static readonly IReadOnlyList<string> TriggerEvents = ["drift"];

    public static readonly IReadOnlyDictionary<string, NotifyEvent> NotifyEvents = Specs.NotifyEvents.ByName;
}
