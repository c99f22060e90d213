using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>Reads the <c>steps:</c> list; the keys a step may hold depend on its kind.</summary>
internal sealed class StepReader(ReadContext context, string pipelineName)
{
    private static readonly string[] Common = ["id", "kind", "needs", "automated"];

    private static readonly IReadOnlyDictionary<StepKind, string[]> KindKeys = new Dictionary<StepKind, string[]>
    {
        [StepKind.DataPrep] = [.. Common, "checks", "split"],
        [StepKind.Train] = [.. Common, "task", "features", "trainer", "options", "seed", "incremental"],
        [StepKind.Evaluate] = [.. Common, "gates", "primary_metric", "min_rows", "safety", "holdout", "slices", "slice_gates"],
        [StepKind.Deploy] = [.. Common, .. DeployReader.Keys, "promote_when"],
        [StepKind.Monitor] = [.. Common, "window", "drift", "performance", "reference", "skew"],
        [StepKind.Retrain] = [.. Common, "when", "trigger", "cooldown"],
    };

    public List<StepSpec> ReadAll(YSequence? sequence, string path)
    {
        var steps = new List<StepSpec>();
        for (var i = 0; i < (sequence?.Items.Count ?? 0); i++)
        {
            var step = Read(sequence!.Items[i], $"{path}[{i}]");
            if (step is not null)
            {
                steps.Add(step with { Position = i });
            }
        }

        return steps;
    }

    private StepSpec? Read(YNode node, string path)
    {
        var kind = PeekKind(node, path);
        var fields = context.Open(node, path, kind is null ? [.. KindKeys.Values.SelectMany(k => k).Distinct()] : KindKeys[kind.Value], "a step");
        if (fields is null)
        {
            return null;
        }

        var id = fields.String("id", required: true) ?? "";
        if (fields.Has("id") && !PipelineSpecReader.Identifier().IsMatch(id))
        {
            fields.Error("id", $"invalid step id '{id}'; use letters, digits, '-' and '_', at most 63 characters");
        }

        if (kind is null)
        {
            fields.Choice("kind", Vocabulary.StepKinds, required: true);
            return null;
        }

        var needs = fields.Names("needs", "step names")?.Select(n => n.Value).ToList() ?? [];
        var automated = fields.Boolean("automated") ?? true;
        StepSpec step = kind.Value switch
        {
            StepKind.DataPrep => new DataPrepStep { Id = id, Mark = fields.Mapping.Mark, Checks = ReadChecks(fields), Split = ReadSplit(fields) },
            StepKind.Train => ReadTrain(fields, id),
            StepKind.Evaluate => new EvaluateStep
            {
                Id = id,
                Mark = fields.Mapping.Mark,
                Gates = ReadGates(fields),
                PrimaryMetric = fields.String("primary_metric"),
                MinRows = (int)(fields.Integer("min_rows", min: 1, max: int.MaxValue) ?? EvaluateStep.DefaultMinRows),
                Safety = fields.Boolean("safety") ?? true,
                Holdout = ReadHoldout(fields),
                Slices = new SliceReader(context).ReadSlices(fields),
                SliceGates = new SliceReader(context).ReadSliceGates(fields),
            },
            StepKind.Deploy => ReadDeploy(fields, id),
            StepKind.Monitor => ReadMonitor(fields, id),
            _ => new RetrainStep
            {
                Id = id,
                Mark = fields.Mapping.Mark,
                When = fields.Choice("when", Vocabulary.RetrainWhen) ?? RetrainWhen.Drift,
                Trigger = fields.String("trigger", required: true) ?? "",
                Cooldown = Durations.Read(fields, "cooldown") ?? RetrainStep.DefaultCooldown,
            },
        };
        return step with { Needs = needs, Automated = automated };
    }

    private StepKind? PeekKind(YNode node, string path)
    {
        if (node is not YMapping mapping)
        {
            return null;
        }

        var kind = mapping.Entries.FirstOrDefault(e => e.Key.Value == "kind").Value as YScalar;
        context.Marks.Record($"{path}.kind", kind?.Mark ?? mapping.Mark);
        return kind is not null && Vocabulary.StepKinds.TryGetValue(kind.Value, out var value) ? value : null;
    }

    private DataChecks ReadChecks(Fields step)
    {
        var checks = context.Open(step.Node("checks"), step.PathOf("checks"), ["min_rows", "max_missing_fraction", "max_duplicate_fraction"], "'checks'");
        return checks is null ? new DataChecks() : new DataChecks
        {
            MinRows = (int?)checks.Integer("min_rows", min: 0, max: int.MaxValue),
            MaxMissingFraction = checks.Number("max_missing_fraction", min: 0, max: 1),
            MaxDuplicateFraction = checks.Number("max_duplicate_fraction", min: 0, max: 1),
        };
    }

    private SplitSpec ReadSplit(Fields step)
    {
        var split = context.Open(step.Node("split"), step.PathOf("split"), ["by", "test_fraction", "seed"], "'split'");
        return split is null ? new SplitSpec() : new SplitSpec
        {
            By = split.Choice("by", Vocabulary.SplitBy) ?? SplitBy.Random,
            TestFraction = split.Number("test_fraction", min: 0.01, max: 0.99) ?? 0.2,
            Seed = (int)(split.Integer("seed", min: 0, max: int.MaxValue) ?? 42),
        };
    }

    private TrainStep ReadTrain(Fields step, string id)
    {
        var options = new Dictionary<string, object>(StringComparer.Ordinal);
        if (context.Open(step.Node("options"), step.PathOf("options"), allowed: null, "'options'") is { } optionFields)
        {
            foreach (var (key, value) in optionFields.Mapping.Entries)
            {
                context.Marks.Record(optionFields.PathOf(key.Value), key.Mark);
                if (value is YScalar { IsNull: false } scalar)
                {
                    options[key.Value] = ScalarValues.Natural(scalar);
                }
                else
                {
                    context.Errors.Add(value, optionFields.PathOf(key.Value), $"option '{key.Value}' needs a single value, got {value.Describe()}");
                }
            }
        }

        IncrementalSpec? incremental = null;
        if (context.Open(step.Node("incremental"), step.PathOf("incremental"), ["strategy", "window"], "'incremental'") is { } inc)
        {
            var strategy = inc.Choice("strategy", Vocabulary.Strategies, required: true) ?? IncrementalStrategy.WarmStart;
            var window = Durations.Read(inc, "window");
            if (strategy == IncrementalStrategy.Window && window is null && !inc.Has("window"))
            {
                inc.Error("window", "strategy 'window' needs 'window', e.g. 'window: 7d'");
            }

            incremental = new IncrementalSpec(strategy, window);
        }

        return new TrainStep
        {
            Id = id,
            Mark = step.Mapping.Mark,
            Task = step.Choice("task", Vocabulary.Tasks, required: true) ?? MlTask.Regression,
            Features = step.Names("features", "column names")?.Select(f => f.Value).ToList(),
            Trainer = step.String("trainer", required: true) ?? "",
            Options = options,
            Seed = (int)(step.Integer("seed", min: 0, max: int.MaxValue) ?? 42),
            Incremental = incremental,
        };
    }

    /// <summary><c>holdout: 0.2</c>, <c>holdout: 20%</c> (the newest share of the last full run's span) or <c>holdout: 7d</c>.</summary>
    private static HoldoutSpec ReadHoldout(Fields step)
    {
        var text = step.String("holdout");
        if (text is null)
        {
            return HoldoutSpec.Default;
        }

        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        if (double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            var fraction = percent ? value / 100 : value;
            if (fraction > 0 && fraction <= 1)
            {
                return new HoldoutSpec(fraction, null);
            }
        }
        else if (Durations.Parse(text) is { } duration)
        {
            return new HoldoutSpec(null, duration);
        }

        step.Error("holdout", $"invalid holdout '{text}'; use a share of the last full run's span (0.2 or 20%, more than 0 and at most 1) or a duration such as '7d'");
        return HoldoutSpec.Default;
    }

    private List<GateSpec> ReadGates(Fields step)
    {
        var gates = new List<GateSpec>();
        if (step.MappingOf("gates") is not { } mapping)
        {
            return gates;
        }

        foreach (var (metric, node) in mapping.Entries)
        {
            var path = $"{step.PathOf("gates")}.{metric.Value}";
            context.Marks.Record(path, metric.Mark);
            var gate = context.Open(node, path, [.. Vocabulary.GateKinds.Keys], $"gate '{metric.Value}'");
            if (gate is null)
            {
                continue;
            }

            if (gate.Mapping.Entries.Count == 0)
            {
                context.Errors.Add(node, path, $"gate '{metric.Value}' needs one of min, max, max_increase, max_decrease");
            }

            foreach (var (name, kind) in Vocabulary.GateKinds)
            {
                var relative = kind is GateKind.MaxIncrease or GateKind.MaxDecrease;
                if (gate.Number(name, min: relative ? 0 : double.MinValue) is { } value)
                {
                    gates.Add(new GateSpec(metric.Value, kind, value, metric.Mark));
                }
            }
        }

        return gates;
    }

    private DeployStep ReadDeploy(Fields step, string id)
    {
        var deploy = DeployReader.Read(step, id, pipelineName);
        return deploy with { PromoteWhen = PromoteWhenReader.Read(context, step, deploy.Strategy) };
    }

    private MonitorStep ReadMonitor(Fields step, string id)
    {
        var drift = context.Open(step.Node("drift"), step.PathOf("drift"), ["method", "threshold"], "'drift'");
        var performance = context.Open(step.Node("performance"), step.PathOf("performance"), ["metric", "max_increase"], "'performance'");
        var skew = context.Open(step.Node("skew"), step.PathOf("skew"), ["threshold", "max_missing_increase"], "'skew'");
        PerformanceCheck? check = null;
        if (performance is not null)
        {
            var metric = performance.String("metric", required: true);
            var maxIncrease = performance.Number("max_increase", required: true, min: 0);
            check = metric is null || maxIncrease is null ? null : new PerformanceCheck(metric, maxIncrease.Value);
        }

        return new MonitorStep
        {
            Id = id,
            Mark = step.Mapping.Mark,
            Window = Durations.Read(step, "window") ?? TimeSpan.FromHours(1),
            DriftMethod = drift?.Choice("method", Vocabulary.DriftMethods) ?? DriftMethod.Psi,
            DriftThreshold = drift?.Number("threshold", min: 0) ?? 0.2,
            Performance = check,
            Reference = step.Choice("reference", Vocabulary.DriftReferences) ?? DriftReference.Training,
            Skew = skew is null ? null : new SkewCheck
            {
                Threshold = skew.Number("threshold", min: 0) ?? SkewCheck.Default.Threshold,
                MaxMissingIncrease = skew.Number("max_missing_increase", min: 0, max: 1) ?? SkewCheck.Default.MaxMissingIncrease,
            },
        };
    }
}
