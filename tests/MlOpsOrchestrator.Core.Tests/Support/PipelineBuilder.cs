using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Tests.Support;

/// <summary>
/// Builds <see cref="PipelineSpec"/> records directly, without the loader, so planning tests can also describe
/// pipelines the validator would refuse. Steps are added in file order; every need is written explicitly.
/// </summary>
internal sealed class PipelineBuilder(string name = "churn")
{
    private static readonly SourceMark Mark = new(1, 1);

    private readonly List<StepSpec> _steps = [];
    private readonly List<TriggerSpec> _triggers = [];
    private string _timezone = "UTC";

    /// <summary>Every step and trigger of a level 4 pipeline: prep → train → evaluate (gated) → deploy → monitor → retrain, a cron and an on: drift trigger.</summary>
    public static PipelineBuilder Full() => new PipelineBuilder()
        .DataPrep()
        .Train(needs: ["prep"])
        .Evaluate(needs: ["train"])
        .Deploy(needs: ["evaluate"])
        .Monitor(needs: ["deploy"])
        .Retrain(needs: ["monitor"])
        .Cron()
        .OnDrift();

    public PipelineBuilder DataPrep(string id = "prep", string[]? needs = null) =>
        Add(new DataPrepStep { Id = id, Mark = Mark, Needs = needs ?? [] });

    public PipelineBuilder Train(string id = "train", string[]? needs = null, string trainer = "fast_tree") =>
        Add(new TrainStep { Id = id, Mark = Mark, Needs = needs ?? [], Task = MlTask.Binary, Trainer = trainer });

    public PipelineBuilder Evaluate(string id = "evaluate", string[]? needs = null, bool gated = true) =>
        Add(new EvaluateStep
        {
            Id = id,
            Mark = Mark,
            Needs = needs ?? [],
            Gates = gated ? [new GateSpec("auc", GateKind.Min, 0.7, Mark)] : [],
        });

    public PipelineBuilder Deploy(string id = "deploy", string[]? needs = null) =>
        Add(new DeployStep { Id = id, Mark = Mark, Needs = needs ?? [], Model = name });

    public PipelineBuilder Monitor(string id = "monitor", string[]? needs = null) =>
        Add(new MonitorStep { Id = id, Mark = Mark, Needs = needs ?? [] });

    public PipelineBuilder Retrain(string id = "retrain", string[]? needs = null, string trigger = "on-drift") =>
        Add(new RetrainStep { Id = id, Mark = Mark, Needs = needs ?? [], Trigger = trigger });

    public PipelineBuilder Cron(string id = "nightly", string expression = "0 0 2 * * ?", string[]? steps = null, RunMode mode = RunMode.Full)
    {
        _triggers.Add(new TriggerSpec { Id = id, Cron = expression, Steps = steps, Mode = mode, Mark = Mark });
        return this;
    }

    public PipelineBuilder OnDrift(string id = "on-drift")
    {
        _triggers.Add(new TriggerSpec { Id = id, On = "drift", Mode = RunMode.Incremental, Mark = Mark });
        return this;
    }

    public PipelineBuilder Timezone(string timezone)
    {
        _timezone = timezone;
        return this;
    }

    /// <summary>Sets <c>automated: false</c> on the step <paramref name="id"/>.</summary>
    public PipelineBuilder Manual(string id) => Change(id, s => s with { Automated = false });

    /// <summary>Replaces the needs of step <paramref name="id"/>.</summary>
    public PipelineBuilder Needs(string id, params string[] needs) => Change(id, s => s with { Needs = needs });

    /// <summary>Points retrain step <paramref name="id"/> at another trigger.</summary>
    public PipelineBuilder Fires(string id, string trigger) => Change(id, s => ((RetrainStep)s) with { Trigger = trigger });

    /// <summary>Removes the step or trigger <paramref name="id"/>, and the step from every other step's needs.</summary>
    public PipelineBuilder Without(string id)
    {
        var removed = _steps.RemoveAll(s => s.Id == id) + _triggers.RemoveAll(t => t.Id == id);
        if (removed == 0)
        {
            throw new ArgumentException($"no step or trigger '{id}'", nameof(id));
        }

        for (var i = 0; i < _steps.Count; i++)
        {
            _steps[i] = _steps[i] with { Needs = _steps[i].Needs.Where(n => n != id).ToList() };
        }

        return this;
    }

    public PipelineSpec Build() => new()
    {
        Name = name,
        Data = new DataSpec { Source = new SourceSpec { Type = SourceType.Csv, Path = "/data/churn.csv", Mark = Mark }, Label = "churned" },
        Triggers = _triggers.Select((t, i) => t with { Position = i }).ToList(),
        Timezone = _timezone,
        Steps = _steps.Select((s, i) => s with { Position = i }).ToList(),
    };

    private PipelineBuilder Add(StepSpec step)
    {
        _steps.Add(step);
        return this;
    }

    private PipelineBuilder Change(string id, Func<StepSpec, StepSpec> change)
    {
        var index = _steps.FindIndex(s => s.Id == id);
        if (index < 0)
        {
            throw new ArgumentException($"no step '{id}'", nameof(id));
        }

        _steps[index] = change(_steps[index]);
        return this;
    }
}
