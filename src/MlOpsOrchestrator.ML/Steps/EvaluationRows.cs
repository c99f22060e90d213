using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.ML.Data;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// The rows <c>evaluate</c> judges every candidate and the production model on. A full run: its data_prep test set.
/// An incremental run: its slice's test rows plus the lineage's holdout (the test rows of the full run that trained the
/// version production goes back to, <see cref="ModelProperties.Holdout"/>) restricted to its newest
/// <c>holdout</c>. Neither a warm-started candidate nor production trained on those rows, and a slice's own test rows
/// are too few to tell a better model from noise.
/// </summary>
/// <param name="View">The rows, with the columns of the data_prep test set.</param>
/// <param name="Rows">How many.</param>
/// <param name="Description">What they are, for the step's note (<c>245 rows: 5 test rows of the slice + 240 holdout rows …</c>).</param>
/// <param name="IsPrepTest">True when they are exactly the data_prep test set (a train step's own metrics on it can be reused).</param>
internal sealed record EvaluationRows(IDataView View, int Rows, string Description, bool IsPrepTest)
{
    public static EvaluationRows Build(
        MLContext ml, IArtifactStore artifacts, StepContext context, EvaluateStep step, StepRecord prep, IDataView test, DatasetSchema schema,
        ModelVersion? production, IReadOnlyList<StepRecord> trained)
    {
        var testRows = (int)TrainingWindow.Count(test);
        var plain = new EvaluationRows(test, testRows, Text(testRows, "test rows"), IsPrepTest: true);
        if (!PreparedMode.IsIncremental(context, prep) || production is null || schema.Timestamp is not { } timestamp)
        {
            return plain;
        }

        var holdoutPath = production.Properties.GetValueOrDefault(ModelProperties.Holdout);
        if (trained.Any(t => t.Result is TrainResult { Strategy: TrainingStrategy.Window } window && (holdoutPath is null || window.HoldoutExcluded != holdoutPath)))
        {
            return plain with { Description = plain.Description + " of the slice (the lineage's holdout is not used: a window candidate may have trained on it)" };
        }

        var label = $"{production.Name} v{production.Version}";
        var properties = production.Properties;
        if (!properties.TryGetValue(ModelProperties.Holdout, out var path) || !artifacts.Exists(path)
            || !TryTime(properties.GetValueOrDefault(ModelProperties.HoldoutFrom), out var from)
            || !TryTime(properties.GetValueOrDefault(ModelProperties.HoldoutThrough), out var through))
        {
            return plain with { Description = plain.Description + $" of the slice ({label} records no holdout of the full run it goes back to)" };
        }

        var start = Start(step.Holdout, from, through);
        var holdout = ml.Data.LoadFromBinary(artifacts.PathOf(path));
        try
        {
            if (Mismatch(test.Schema, holdout.Schema) is { } mismatch)
            {
                return plain with { Description = plain.Description + $" of the slice (the holdout of {label} is not used: {mismatch})" };
            }

            var (view, added) = Append(test, holdout, timestamp, start);
            var share = step.Holdout.Duration is { } d ? $"newest {DataPrep.IncrementalWindow.Text(d)}" : $"newest {(step.Holdout.Fraction ?? 0.2) * 100:0.#} %";
            return new EvaluationRows(
                view,
                testRows + added,
                string.Create(CultureInfo.InvariantCulture,
                    $"{testRows + added:N0} rows: {testRows:N0} test rows of the slice + {added:N0} holdout rows of {label}'s lineage ({share} of {ValueText.Iso(from)}..{ValueText.Iso(through)}, from {ValueText.Iso(start)})"),
                IsPrepTest: false);
        }
        finally
        {
            (holdout as IDisposable)?.Dispose();
        }
    }

    /// <summary>Where the newest <c>holdout</c> of a lineage's holdout spanning <paramref name="from"/>..<paramref name="through"/> begins.</summary>
    public static DateTime Start(HoldoutSpec holdout, DateTime from, DateTime through) => holdout.Duration is { } duration
        ? through - duration
        : through - TimeSpan.FromTicks((long)((through - from).Ticks * (holdout.Fraction ?? 0.2)));

    /// <summary>The holdout's span recorded on <paramref name="production"/>, when it records one.</summary>
    public static bool TrySpan(ModelVersion production, out DateTime from, out DateTime through)
    {
        through = default;
        return TryTime(production.Properties.GetValueOrDefault(ModelProperties.HoldoutFrom), out from)
            & TryTime(production.Properties.GetValueOrDefault(ModelProperties.HoldoutThrough), out through);
    }

    /// <summary>
    /// The rows of <paramref name="rows"/> equal in every shared column to no row of <paramref name="exclude"/> dated at or
    /// after <paramref name="start"/>, in memory, and how many were left out. A row equal in every column to a holdout
    /// row is that row (or a copy of it).
    /// </summary>
    public static (IDataView View, int Removed) Without(IDataView rows, IDataView exclude, string timestamp, DateTime start)
    {
        var all = rows.Schema.Where(c => !c.IsHidden).ToList();
        var shared = all.Where(c => exclude.Schema.GetColumnOrNull(c.Name) is { } other && other.Type.Equals(c.Type)).ToList();
        var excluded = shared.Select(_ => new List<object>()).ToList();
        if (exclude.Schema.GetColumnOrNull(timestamp) is { } time && time.Type.RawType == typeof(DateTime))
        {
            Read(exclude, shared, excluded, keep: cursor =>
            {
                var getter = cursor.GetGetter<DateTime>(time);
                return () =>
                {
                    DateTime value = default;
                    getter(ref value);
                    return value >= start;
                };
            });
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var index = Enumerable.Range(0, shared.Count).ToArray();
        for (var row = 0; row < (excluded.Count == 0 ? 0 : excluded[0].Count); row++)
        {
            keys.Add(Key(excluded, index, row));
        }

        var values = all.Select(_ => new List<object>()).ToList();
        Read(rows, all, values, keep: null);
        var positions = shared.Select(c => all.FindIndex(a => a.Name == c.Name)).ToArray();
        var kept = all.Select(_ => new List<object>()).ToList();
        var total = values.Count == 0 ? 0 : values[0].Count;
        for (var row = 0; row < total; row++)
        {
            if (keys.Count > 0 && keys.Contains(Key(values, positions, row)))
            {
                continue;
            }

            for (var i = 0; i < values.Count; i++)
            {
                kept[i].Add(values[i][row]);
            }
        }

        var builder = new DataViewSchema.Builder();
        foreach (var column in all)
        {
            builder.AddColumn(column.Name, column.Type);
        }

        var count = kept.Count == 0 ? 0 : kept[0].Count;
        return (new ArrayDataView(builder.ToSchema(), [.. all.Select((c, i) => ToArray(c.Type, kept[i]))], count), total - count);
    }

    private static string Key(List<List<object>> values, int[] columns, int row)
    {
        var key = new System.Text.StringBuilder();
        foreach (var column in columns)
        {
            key.Append(values[column][row] switch
            {
                float f => f.ToString("R", CultureInfo.InvariantCulture),
                DateTime d => d.Ticks.ToString(CultureInfo.InvariantCulture),
                var other => Convert.ToString(other, CultureInfo.InvariantCulture),
            }).Append('\u001f');
        }

        return key.ToString();
    }

    private static string Text(int rows, string what) => string.Create(CultureInfo.InvariantCulture, $"{rows:N0} {what}");

    private static bool TryTime(string? text, out DateTime time)
    {
        time = default;
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed.UtcDateTime;
        return true;
    }

    private static string? Mismatch(DataViewSchema test, DataViewSchema holdout)
    {
        foreach (var column in test.Where(c => !c.IsHidden))
        {
            var other = holdout.GetColumnOrNull(column.Name);
            if (other is null)
            {
                return $"it lacks column '{column.Name}'";
            }

            if (!other.Value.Type.Equals(column.Type))
            {
                return $"its column '{column.Name}' is {other.Value.Type}, now {column.Type}";
            }
        }

        return null;
    }

    /// <summary>Every row of <paramref name="first"/>, then the rows of <paramref name="second"/> dated at or after <paramref name="start"/>, in memory.</summary>
    private static (IDataView View, int Added) Append(IDataView first, IDataView second, string timestamp, DateTime start)
    {
        var columns = first.Schema.Where(c => !c.IsHidden).ToList();
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            builder.AddColumn(column.Name, column.Type);
        }

        var values = columns.Select(_ => new List<object>()).ToList();
        Read(first, columns, values, keep: null);
        var before = values[0].Count;
        var time = second.Schema[timestamp];
        Read(second, columns, values, keep: cursor =>
        {
            var getter = cursor.GetGetter<DateTime>(time);
            return () =>
            {
                DateTime value = default;
                getter(ref value);
                return value >= start;
            };
        });
        var rows = values[0].Count;
        var arrays = columns.Select((c, i) => ToArray(c.Type, values[i])).ToArray();
        return (new ArrayDataView(builder.ToSchema(), arrays, rows), rows - before);
    }

    internal static void Read(IDataView view, List<DataViewSchema.Column> columns, List<List<object>> values, Func<DataViewRowCursor, Func<bool>>? keep)
    {
        var own = columns.Select(c => view.Schema[c.Name]).ToList();
        using var cursor = view.GetRowCursor(view.Schema.Where(c => !c.IsHidden));
        var getters = own.Select(c => Getter(cursor, c)).ToList();
        var kept = keep?.Invoke(cursor);
        while (cursor.MoveNext())
        {
            if (kept is not null && !kept())
            {
                continue;
            }

            for (var i = 0; i < getters.Count; i++)
            {
                values[i].Add(getters[i]());
            }
        }
    }

    private static Func<object> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case NumberDataViewType when column.Type.RawType == typeof(float):
            {
                var get = cursor.GetGetter<float>(column);
                return () => { float v = 0; get(ref v); return v; };
            }
            case BooleanDataViewType:
            {
                var get = cursor.GetGetter<bool>(column);
                return () => { bool v = false; get(ref v); return v; };
            }
            case TextDataViewType:
            {
                var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                // Copied: the cursor reuses its buffers.
                return () => { ReadOnlyMemory<char> v = default; get(ref v); return v.ToString().AsMemory(); };
            }
            case DateTimeDataViewType:
            {
                var get = cursor.GetGetter<DateTime>(column);
                return () => { DateTime v = default; get(ref v); return v; };
            }
            default:
                throw new StepInputException($"column '{column.Name}' is {column.Type}, which the evaluation rows cannot hold");
        }
    }

    internal static Array ToArray(DataViewType type, List<object> values) => type switch
    {
        NumberDataViewType => values.Cast<float>().ToArray(),
        BooleanDataViewType => values.Cast<bool>().ToArray(),
        TextDataViewType => values.Cast<ReadOnlyMemory<char>>().ToArray(),
        _ => values.Cast<DateTime>().ToArray(),
    };
}
