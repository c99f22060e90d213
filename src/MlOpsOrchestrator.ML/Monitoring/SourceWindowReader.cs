using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// Reads the newest <c>window</c> of <c>data.source</c> with data_prep's own reading and typing (the reader registered
/// for the source's type), each column typed as the training profile recorded it. The window ends at the newest
/// timestamp in the data, not at the wall clock: <c>window: 14d</c> means the rows with
/// <c>timestamp ≥ newest − 14 days</c>, so a file that is replayed, or appended to late, is judged the same way.
/// Two passes: the first finds the newest timestamp, the second keeps only the window's rows, so memory grows with
/// the window, not with the file. Rows whose values cannot be read are left out and counted, never fail the step;
/// missing values are not a problem here (a missing label only means the row has none).
/// </summary>
internal sealed class SourceWindowReader(StepContext context, MonitoredModel model, SourceReaders sources)
{
    private DataSpec Data => context.Definition.Spec.Data;

    /// <summary>Null when the pipeline has no <c>data.timestamp</c>, so no window can be cut from its data.</summary>
    /// <exception cref="StepInputException">The source cannot be read, or lacks a column the model reads.</exception>
    public async Task<DataWindow?> ReadAsync(TimeSpan window, DriftReference reference, CancellationToken ct)
    {
        if (Data.Timestamp is not { } timestampName)
        {
            return null;
        }

        var request = new SourceRequest { Source = Data.Source, SchemaNames = Data.Schema.Select(c => c.Name).ToList(), Progress = context.Progress };
        var (opened, problem) = await sources.OpenAsync(request, ct);
        if (opened is null)
        {
            throw new StepInputException($"cannot read the data source for the window: {problem}");
        }

        using var file = opened;
        return Read(file, timestampName, window, reference, ct);
    }

    private DataWindow Read(IRecordSource file, string timestampName, TimeSpan window, DriftReference reference, CancellationToken ct)
    {
        var timestampPlan = new ColumnPlan { Name = timestampName, Type = ColumnType.Datetime, Role = ColumnRole.Timestamp, Missing = MissingPolicy.Drop };
        var unjoined = Unjoined(file);
        var (features, label) = Plans(file, unjoined);
        var stamps = new DateColumn(timestampPlan);
        new TableReader(new Problems(), context.Progress).Read(file, [stamps], [Index(file, timestampName)], false, null, null, ct);
        if (stamps.Count == 0)
        {
            return new DataWindow(new WindowSample { Description = $"{file.DisplayName} has no rows with a timestamp" }, null, 0);
        }

        var newest = Enumerable.Range(0, stamps.Count).Max(stamps.Ticks);
        var start = Math.Max(0, newest - window.Ticks);
        var timestamp = new DateColumn(timestampPlan);
        var columns = new List<ColumnData> { timestamp };
        columns.AddRange(features.Select(Create));
        var labelColumn = label is null || unjoined.Count > 0 ? null : CreateLabel(label);
        if (labelColumn is not null)
        {
            columns.Add(labelColumn);
        }

        var table = new TableReader(new Problems(), context.Progress)
            .Read(file, columns, columns.Select(c => Index(file, c.Name)).ToList(), false, timestamp, start - 1, ct);
        var sample = Sample(table, columns.Skip(1).Take(features.Count));
        sample.Description = string.Create(CultureInfo.InvariantCulture,
            $"{table.Rows:N0} rows of {file.DisplayName} from {Time(start)} to {Time(newest)}");
        sample.LeftOut = table.RowsConsidered - table.Rows;
        sample.Newest = new DateTime(newest, DateTimeKind.Utc);
        var read = labelColumn is null
            ? new DataWindow(sample, null, 0) { LabelNote = unjoined.Count > 0 ? UnjoinedNote(file, unjoined) : LabelAbsence(file) }
            : Labelled(sample, table, columns, labelColumn);
        if (reference == DriftReference.Training)
        {
            return read;
        }

        var oldest = Enumerable.Range(0, stamps.Count).Min(stamps.Ticks);
        var periods = DriftPeriods.Of(reference, window, start, newest, oldest);
        if (periods.Count == 0)
        {
            return read with { ReferenceNote = DriftPeriods.Missing(reference, window) };
        }

        var (referenceSample, note) = ReadReference(file, timestampPlan, features, periods, reference, window, ct);
        return referenceSample.Rows == 0
            ? read with { ReferenceNote = DriftPeriods.Missing(reference, window) }
            : read with { Reference = referenceSample, ReferenceNote = note };
    }

    /// <summary>The feature values of the rows in <paramref name="periods"/> (each [from, to), UTC ticks), and what they are.</summary>
    private (WindowSample Sample, string Note) ReadReference(
        IRecordSource file, ColumnPlan timestampPlan, List<ColumnPlan> features, IReadOnlyList<(long From, long To)> periods,
        DriftReference reference, TimeSpan window, CancellationToken ct)
    {
        var timestamp = new DateColumn(timestampPlan);
        var columns = new List<ColumnData> { timestamp };
        columns.AddRange(features.Select(Create));
        var table = new TableReader(new Problems(), context.Progress)
            .Read(file, columns, columns.Select(c => Index(file, c.Name)).ToList(), false, timestamp, periods.Min(p => p.From) - 1, ct);
        var rows = Enumerable.Range(0, table.Rows).Where(r => periods.Any(p => timestamp.Ticks(r) >= p.From && timestamp.Ticks(r) < p.To)).ToArray();
        var sample = Sample(table, columns.Skip(1), rows);
        return (sample, DriftPeriods.Describe(reference, window, periods, rows.Length));
    }

    /// <summary>
    /// The feature view columns (<c>view__feature</c>) the model reads that the pipeline's own data does not hold: data_prep
    /// joins them, the window does not, so they are neither drift-scored from the data nor can the model score its rows.
    /// </summary>
    private HashSet<string> Unjoined(IRecordSource file) =>
        model.Schema?.ViewFeatures?.Select(f => f.Column).Where(c => !file.Columns.Contains(c)).ToHashSet(StringComparer.Ordinal) ?? [];

    private string UnjoinedNote(IRecordSource file, HashSet<string> unjoined) =>
        $"{file.DisplayName} does not hold the feature view columns {Echo.Quoted([.. unjoined])} production model {model.Label} reads, so its rows are not scored";

    /// <summary>The model's features the file has (all of them but the feature view columns, or the step fails) and the label when the file has it.</summary>
    private (List<ColumnPlan> Features, ColumnPlan? Label) Plans(IRecordSource file, HashSet<string> unjoined)
    {
        var features = model.Schema?.Features.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var plans = model.Profile.Columns
            .Where(c => c.Role == ColumnRole.Feature && (features is null || features.ContainsKey(c.Name)) && !unjoined.Contains(c.Name))
            .Select(c => new ColumnPlan
            {
                Name = c.Name,
                Type = c.Type,
                Role = ColumnRole.Feature,
                // Never fail or drop a row for a missing value; `mean` still decides how a missing boolean is filled.
                Missing = features?.GetValueOrDefault(c.Name)?.Missing == MissingPolicy.Mean ? MissingPolicy.Mean : MissingPolicy.Zero,
            })
            .ToList();
        var absent = plans.Where(p => !file.Columns.Contains(p.Name)).Select(p => p.Name).ToList();
        if (absent.Count > 0)
        {
            throw new StepInputException($"{file.DisplayName} no longer has the columns {Echo.Quoted(absent)}, which production model {model.Label} reads");
        }

        var label = model.Profile.Columns.FirstOrDefault(c => c.Role == ColumnRole.Label);
        return label is null || model.Schema is null || model.Task is null || !file.Columns.Contains(label.Name)
            ? (plans, null)
            // Ignored, not Label: a row without a label is still a row of the window.
            : (plans, new ColumnPlan { Name = label.Name, Type = label.Type, Role = ColumnRole.Ignored, Missing = MissingPolicy.Zero });
    }

    private string LabelAbsence(IRecordSource file) =>
        model.Schema is null || model.Task is null
            ? $"production model {model.Label} records no schema or task to score it with"
            : $"{file.DisplayName} has no label column";

    private static WindowSample Sample(Table table, IEnumerable<ColumnData> features, int[]? rows = null)
    {
        rows ??= Enumerable.Range(0, table.Rows).ToArray();
        var sample = new WindowSample { Rows = rows.Length };
        var text = new StringBuilder();
        foreach (var column in features)
        {
            foreach (var row in rows)
            {
                switch (column)
                {
                    case NumberColumn numbers when !float.IsNaN(numbers[row]):
                        sample.AddNumber(column.Name, numbers[row]);
                        break;
                    case CategoryColumn categories when categories.Code(row) >= 0:
                        sample.AddCategory(column.Name, categories.Dictionary[categories.Code(row)]);
                        break;
                    case BooleanColumn booleans when !booleans.IsMissing(row):
                        text.Clear();
                        booleans.AppendCanonical(row, text);
                        sample.AddCategory(column.Name, text.ToString());
                        break;
                }
            }
        }

        return sample;
    }

    /// <summary>The rows with a label (of a known class), as the model's evaluation reads them.</summary>
    private DataWindow Labelled(WindowSample sample, Table table, List<ColumnData> columns, ColumnData label)
    {
        var classes = model.Task == MlTask.Multiclass ? model.Schema!.Classes?.Count ?? 0 : int.MaxValue;
        var rows = Enumerable.Range(0, table.Rows)
            .Where(r => !label.IsMissing(r) && (label is not CategoryColumn category || category.Code(r) < classes))
            .ToArray();
        var unknown = Enumerable.Range(0, table.Rows).Count(r => !label.IsMissing(r)) - rows.Length;
        foreach (var column in columns)
        {
            // Booleans and datetimes cannot hold a missing value in a data view; fill them as data_prep does.
            column.Impute();
        }

        var outputs = columns.Select(c => model.Task == MlTask.Binary && ReferenceEquals(c, label)
            ? new BinaryLabelOutput((CategoryColumn)c, model.Schema!.Positive)
            : (IOutputColumn)c).ToList();
        var note = unknown > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{unknown:N0} labelled rows hold a class the model does not know and are not scored")
            : null;
        return new DataWindow(sample, rows.Length == 0 ? null : new ColumnarDataView(outputs, rows), rows.Length) { LabelNote = note };
    }

    private ColumnData CreateLabel(ColumnPlan plan)
    {
        switch (model.Task)
        {
            case MlTask.Regression:
                return new NumberColumn(plan with { Type = ColumnType.Float });
            case MlTask.Binary:
                return new CategoryColumn(plan, new CategoryDictionary(), isLabel: true);
            default:
                // Open, seeded with the model's classes in key order: a class the model never saw is read, then left out.
                var classes = new CategoryDictionary();
                foreach (var name in model.Schema!.Classes ?? [])
                {
                    classes.Add(name);
                }

                return new CategoryColumn(plan, classes, isLabel: true);
        }
    }

    private static ColumnData Create(ColumnPlan plan) => plan.Type switch
    {
        ColumnType.Float or ColumnType.Int => new NumberColumn(plan),
        ColumnType.Boolean => new BooleanColumn(plan),
        ColumnType.Datetime => new DateColumn(plan),
        ColumnType.Categorical => new CategoryColumn(plan, new CategoryDictionary()),
        _ => new TextColumn(plan),
    };

    private static int Index(IRecordSource file, string name)
    {
        for (var i = 0; i < file.Columns.Count; i++)
        {
            if (file.Columns[i] == name)
            {
                return i;
            }
        }

        throw new StepInputException($"{file.DisplayName} has no column '{name}'");
    }

    private static string Time(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
