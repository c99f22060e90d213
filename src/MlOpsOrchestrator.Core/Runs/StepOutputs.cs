using System.Globalization;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.Runs;

/// <summary>
/// A result as a string dictionary: the <c>outputs</c> field of a step in the API and CLI JSON, and what versions before
/// typed results stored. Both directions are here, so the names live in one place; no step reads these strings.
/// </summary>
public static class StepOutputs
{
    private const string Note = "note";

    /// <summary>The <c>outputs</c> a client sees for <paramref name="result"/> (empty without one).</summary>
    public static IReadOnlyDictionary<string, string> Of(StepResult? result)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (result)
        {
            case PrepResult prep:
                Write(outputs, prep);
                break;
            case TrainResult train:
                Write(outputs, train);
                break;
            case EvaluateResult evaluate:
                outputs["chosen"] = evaluate.Chosen;
                Set(outputs, "production_version", evaluate.ProductionVersion);
                Set(outputs, "held_back", evaluate.HeldBack);
                if (evaluate.Rejected)
                {
                    outputs["rejected"] = "true";
                }

                break;
            case DeployResult deploy:
                outputs["model_name"] = deploy.Deployed.Name;
                outputs["model_version"] = Number(deploy.Deployed.Version);
                Set(outputs, "held_back", deploy.HeldBack);
                break;
            case MonitorResult monitor:
                Write(outputs, monitor);
                break;
            case RetrainResult retrain:
                outputs["started_run"] = retrain.StartedRun;
                break;
            case UnrecognisedResult unrecognised:
                foreach (var (key, value) in unrecognised.Outputs)
                {
                    outputs[key] = value;
                }

                break;
        }

        if (result?.Note is { } note)
        {
            outputs[Note] = note;
        }

        return outputs;
    }

    /// <summary>
    /// The typed result of a step of <paramref name="kind"/> stored by an earlier version as a string dictionary; null
    /// when it stored none. A dictionary that does not read as its kind's result (a value that is not a number, a
    /// required name missing) is an <see cref="UnrecognisedResult"/>; one with only a note is a <see cref="NoteResult"/>.
    /// </summary>
    public static StepResult? Read(string kind, IReadOnlyDictionary<string, string> outputs, string json)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0)
        {
            return null;
        }

        var note = outputs.GetValueOrDefault(Note);
        if (note is not null && outputs.Count == 1)
        {
            return new NoteResult { Note = note };
        }

        StepResult? typed = kind switch
        {
            "data_prep" => ReadPrep(outputs),
            "train" => ReadTrain(outputs),
            "evaluate" => outputs.TryGetValue("chosen", out var chosen) && Int(outputs, "production_version", out var production)
                ? new EvaluateResult { Chosen = chosen, ProductionVersion = production }
                : null,
            "deploy" => outputs.TryGetValue("model_name", out var name) && Int(outputs, "model_version", out var version) && version is { } v
                ? new DeployResult { Deployed = new ModelRef(name, v) }
                : null,
            "monitor" => ReadMonitor(outputs),
            "retrain" => outputs.TryGetValue("started_run", out var started) ? new RetrainResult { StartedRun = started } : null,
            _ => null,
        };
        return typed is null
            ? new UnrecognisedResult { Kind = kind, Version = 0, Json = json, Outputs = outputs, Note = note }
            : typed with { Note = note };
    }

    /// <summary>An instant as results show it: ISO 8601 UTC, as precise as it is (<c>2025-03-21T23:00:00Z</c>).</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void Write(Dictionary<string, string> outputs, PrepResult prep)
    {
        if (prep.Empty)
        {
            outputs["empty"] = "true";
        }

        outputs["rows"] = Number(prep.Rows);
        outputs["train_rows"] = Number(prep.TrainRows);
        outputs["test_rows"] = Number(prep.TestRows);
        Set(outputs, "data_hash", prep.DataHash);
        Set(outputs, "watermark", prep.Watermark);
        Set(outputs, "window_rows", prep.WindowRows);
        Set(outputs, "window_start", prep.WindowStart);
        Set(outputs, "window_end", prep.WindowEnd);
        Set(outputs, "first", prep.First);
        if (prep.PreparedAsFull is not null)
        {
            outputs["prepared_as"] = "full";
        }
    }

    private static void Write(Dictionary<string, string> outputs, TrainResult train)
    {
        outputs["task"] = TaskName(train.Task);
        outputs["trainer"] = train.Trainer;
        Set(outputs, "measured_on", train.MeasuredOn);
        Set(outputs, "train_rows", train.TrainRows);
        Set(outputs, "test_rows", train.TestRows);
        Set(outputs, "strategy", train.Strategy is { } strategy ? StrategyName(strategy) : null);
        if (train.WarmStartFrom is { } from)
        {
            outputs["warm_start_from"] = $"{from.Name} v{Number(from.Version)}";
            outputs["warm_start_version"] = Number(from.Version);
        }
    }

    private static void Write(Dictionary<string, string> outputs, MonitorResult monitor)
    {
        outputs["verdict"] = VerdictName(monitor.Verdict);
        outputs["window_rows"] = Number(monitor.WindowRows);
        outputs["window_source"] = monitor.WindowSource == WindowSource.Predictions ? "predictions" : "data";
        outputs["model_version"] = Number(monitor.ModelVersion);
        Set(outputs, "window_end", monitor.WindowEnd);
        Set(outputs, "worst_feature", monitor.WorstFeature);
        Set(outputs, "reference", monitor.Reference);
        if (monitor.DriftAnswered)
        {
            outputs["drift_answered"] = "true";
        }

        if (monitor.WorstScore is { } score)
        {
            outputs["worst_score"] = score.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    private static PrepResult? ReadPrep(IReadOnlyDictionary<string, string> outputs) =>
        Int(outputs, "rows", out var rows) && rows is not null
        && Int(outputs, "train_rows", out var train) && Int(outputs, "test_rows", out var test)
        && Time(outputs, "watermark", out var watermark) && Int(outputs, "window_rows", out var windowRows) && Time(outputs, "window_start", out var windowStart)
        && Time(outputs, "window_end", out var windowEnd)
            ? new PrepResult
            {
                Rows = rows.Value,
                TrainRows = train ?? 0,
                TestRows = test ?? 0,
                DataHash = outputs.GetValueOrDefault("data_hash"),
                Watermark = watermark,
                Empty = outputs.GetValueOrDefault("empty") == "true",
                WindowRows = windowRows,
                WindowStart = windowStart,
                WindowEnd = windowEnd,
            }
            : null;

    private static TrainResult? ReadTrain(IReadOnlyDictionary<string, string> outputs)
    {
        if (!outputs.TryGetValue("task", out var taskName) || TaskOf(taskName) is not { } task || !outputs.TryGetValue("trainer", out var trainer)
            || !Long(outputs, "train_rows", out var trainRows) || !Long(outputs, "test_rows", out var testRows)
            || !Int(outputs, "warm_start_version", out var warmVersion))
        {
            return null;
        }

        TrainingStrategy? strategy = outputs.GetValueOrDefault("strategy") switch
        {
            "full" => TrainingStrategy.Full,
            "warm_start" => TrainingStrategy.WarmStart,
            "window" => TrainingStrategy.Window,
            _ => null,
        };
        var from = outputs.GetValueOrDefault("warm_start_from") is { } text && warmVersion is { } number
            && text.EndsWith($" v{Number(number)}", StringComparison.Ordinal)
            ? new ModelRef(text[..text.LastIndexOf(" v", StringComparison.Ordinal)], number)
            : null;
        return new TrainResult
        {
            Task = task,
            Trainer = trainer,
            MeasuredOn = outputs.GetValueOrDefault("measured_on"),
            Strategy = strategy,
            TrainRows = trainRows,
            TestRows = testRows,
            WarmStartFrom = from,
        };
    }

    private static MonitorResult? ReadMonitor(IReadOnlyDictionary<string, string> outputs)
    {
        MonitorVerdict? verdict = outputs.GetValueOrDefault("verdict") switch
        {
            "ok" => MonitorVerdict.Ok,
            "drift" => MonitorVerdict.Drift,
            "performance" => MonitorVerdict.Performance,
            _ => null,
        };
        var score = outputs.GetValueOrDefault("worst_score");
        double parsed = 0;
        return verdict is not null
            && Long(outputs, "window_rows", out var rows) && rows is not null
            && Int(outputs, "model_version", out var version) && version is not null
            && Time(outputs, "window_end", out var end)
            && (score is null || double.TryParse(score, NumberStyles.Float, CultureInfo.InvariantCulture, out parsed))
            ? new MonitorResult
            {
                Verdict = verdict.Value,
                WindowRows = rows.Value,
                WindowSource = outputs.GetValueOrDefault("window_source") == "predictions" ? WindowSource.Predictions : WindowSource.Data,
                WindowEnd = end,
                ModelVersion = version.Value,
                WorstFeature = outputs.GetValueOrDefault("worst_feature"),
                WorstScore = score is null ? null : parsed,
                Reference = outputs.GetValueOrDefault("reference"),
                DriftAnswered = outputs.GetValueOrDefault("drift_answered") == "true",
            }
            : null;
    }

    /// <summary>The task word of the pipeline file (<c>task: regression</c>).</summary>
    public static string TaskName(MlTask task) => task switch
    {
        MlTask.Binary => "binary",
        MlTask.Multiclass => "multiclass",
        _ => "regression",
    };

    private static MlTask? TaskOf(string name) => name switch
    {
        "binary" => MlTask.Binary,
        "multiclass" => MlTask.Multiclass,
        "regression" => MlTask.Regression,
        _ => null,
    };

    private static string StrategyName(TrainingStrategy strategy) => strategy switch
    {
        TrainingStrategy.WarmStart => "warm_start",
        TrainingStrategy.Window => "window",
        _ => "full",
    };

    /// <summary>The verdict as outputs, logs and messages write it (<c>drift</c>).</summary>
    public static string VerdictName(MonitorVerdict verdict) => verdict switch
    {
        MonitorVerdict.Drift => "drift",
        MonitorVerdict.Performance => "performance",
        _ => "ok",
    };

    private static void Set(Dictionary<string, string> outputs, string key, string? value)
    {
        if (value is not null)
        {
            outputs[key] = value;
        }
    }

    private static void Set(Dictionary<string, string> outputs, string key, long? value) => Set(outputs, key, value is { } v ? Number(v) : null);

    private static void Set(Dictionary<string, string> outputs, string key, DateTimeOffset? value) => Set(outputs, key, value is { } v ? Instant(v) : null);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>False when the value is there but not a number; a missing value is a null.</summary>
    private static bool Int(IReadOnlyDictionary<string, string> outputs, string key, out int? value)
    {
        value = null;
        if (!outputs.TryGetValue(key, out var text))
        {
            return true;
        }

        var ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
        value = ok ? number : null;
        return ok;
    }

    private static bool Long(IReadOnlyDictionary<string, string> outputs, string key, out long? value)
    {
        value = null;
        if (!outputs.TryGetValue(key, out var text))
        {
            return true;
        }

        var ok = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
        value = ok ? number : null;
        return ok;
    }

    private static bool Time(IReadOnlyDictionary<string, string> outputs, string key, out DateTimeOffset? value)
    {
        value = null;
        if (!outputs.TryGetValue(key, out var text))
        {
            return true;
        }

        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant);
        value = ok ? instant : null;
        return ok;
    }
}
