using System.Globalization;
using Microsoft.ML;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.ML.Data.Profiling;
using MlOpsOrchestrator.ML.Features;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>One execution of a <c>data_prep</c> step, from the sources to the artifacts.</summary>
internal sealed class DataPreparation(StepContext context, DataPrepStep step, SourceReaders sources, IArtifactStore artifactStore, IWatermarkStore watermarks, IModelRegistry registry)
{
    private readonly PipelineSpec _pipeline = context.Definition.Spec;
    private readonly Problems _problems = new();
    private readonly List<IRecordSource> _opened = [];
    private readonly PhaseClock _clock = new();
    private readonly FeatureJoin _features = new(context, sources, artifactStore);

    private DataSpec Data => _pipeline.Data;

    /// <summary>Why an incremental run prepares every row instead (see <see cref="IncrementalBase"/>); null otherwise.</summary>
    private string? _asFull;

    private bool Incremental => context.Run.Mode == RunMode.Incremental && _asFull is null;

    public async Task<StepOutcome> RunAsync(CancellationToken ct)
    {
        try
        {
            return await PrepareAsync(ct);
        }
        finally
        {
            foreach (var source in _opened)
            {
                source.Dispose();
            }

            _features.DeleteFiles();
        }
    }

    private async Task<StepOutcome> PrepareAsync(CancellationToken ct)
    {
        if (Incremental && Data.Timestamp is null)
        {
            return StepOutcome.Failed("mode: incremental needs 'data.timestamp' to know which rows are new; add it, or run in full mode");
        }

        if (Incremental && await IncrementalBase.WhyFullAsync(context, registry, artifactStore, ct) is { } why)
        {
            _asFull = why;
            context.Progress($"incremental run prepared as full: {why}");
        }

        var watermark = Incremental ? await watermarks.GetAsync(context.Definition.Name, ct) : null;

        // Window train steps need older rows too: read from watermark − largest window (see IncrementalWindow).
        var window = Incremental ? IncrementalWindow.Largest(_pipeline, step.Id) : null;
        var readFrom = IncrementalWindow.ReadFrom(watermark, window);
        // With data.features, the source read is the training set joined as of each row's time (see FeatureJoin).
        var (mainSource, testSource) = (await _features.SourceAsync(Data.Source, ct), Data.TestSource is { } given ? await _features.SourceAsync(given, ct) : null);
        if (_features.Problem is { } featureProblem)
        {
            _problems.Add(featureProblem);
            return Fail(null, null);
        }

        var main = await OpenAsync(mainSource!, readFrom, ct, isMain: true);
        var test = testSource is not null ? await OpenAsync(testSource, null, ct) : null;
        if (main is null || (Data.TestSource is not null && test is null))
        {
            return Fail(main, test);
        }

        SchemaResolver.CheckReferences(_pipeline, main.Columns, main.DisplayName, _problems);
        if (_problems.Any)
        {
            return Fail(main, test);
        }

        var undeclared = main.Columns.Where(c => SchemaResolver.NeedsInference(Data, c)).ToList();
        var inferred = TypeInferrer.Infer(main, undeclared, ct);
        var plans = SchemaResolver.Plan(_pipeline, main.Columns, inferred, _problems);
        var label = plans.Single(p => p.Role == ColumnRole.Label);
        var task = SchemaResolver.Task(_pipeline, label);
        var labelSpec = Data.Column(Data.Label);
        var positive = task == MlTask.Binary ? LabelClasses.Positive(label, labelSpec?.Positive) : null;
        var classes = task == MlTask.Regression ? null
            : new CategoryDictionary(task == MlTask.Multiclass ? LabelClasses.Listed(label, labelSpec?.Classes) : null);

        var reader = new TableReader(_problems, context.Progress);
        var mainColumns = plans.Select(p => Create(p, classes)).ToList();
        var timestamp = mainColumns.OfType<DateColumn>().FirstOrDefault(c => c.Plan.Role == ColumnRole.Timestamp);
        var mainTable = reader.Read(main, mainColumns, Indices(main, plans), isTest: false, timestamp, readFrom?.UtcTicks, ct);
        var testTable = test is null ? null : ReadTest(reader, test, plans, classes, ct);
        _clock.Lap("read");

        // The slice: the rows newer than the watermark (every row read, unless older rows were read for a window).
        var slice = window is not null && timestamp is not null
            ? IncrementalWindow.Newer(timestamp, mainTable.Rows, watermark?.UtcTicks)
            : Enumerable.Range(0, mainTable.Rows).ToArray();
        if (Incremental && slice.Length == 0 && !_problems.Any && (mainTable.RowsRead > 0 || mainTable.FiltersByWatermark))
        {
            return DataPrepOutcomes.Empty(watermark, mainTable);
        }

        Validate(mainTable, testTable, task, positive);
        _clock.Lap("checks");
        var mainOutput = Outputs(mainTable, task, positive);
        var testOutput = testTable is null ? null : Outputs(testTable, task, positive);
        var digest = Digest(plans, mainTable, mainOutput, testTable, testOutput);
        DataValidator.CheckDuplicates(mainTable, digest, step.Checks, _problems);
        _clock.Lap("hash");
        if (_problems.Any)
        {
            return Fail(main, test);
        }

        var held = !Incremental && testTable is null && step.Split.By == SplitBy.Random && timestamp is not null
            ? await HoldoutSplit.FindAsync(context, registry, artifactStore, Data, ct)
            : null;
        int[] trainRows, testRows;
        string? heldOut = null;
        if (held is not null)
        {
            (trainRows, testRows, var kept) = held.Split(step.Split, slice, timestamp!);
            heldOut = string.Create(CultureInfo.InvariantCulture, $"random split, {kept:N0} of the test rows from the holdout of production {held.Label}");
        }
        else
        {
            (trainRows, testRows) = testTable is null
                ? DataSplitter.Split(step.Split, slice, timestamp)
                : (slice, Enumerable.Range(0, testTable.Rows).ToArray());
        }

        var windowed = Window(window, timestamp, mainTable, slice, testTable is null ? testRows : [], testTable is null && step.Split.By == SplitBy.Time);
        _clock.Lap("split");
        var schema = Schema(plans, task, positive, classes);
        var profile = DataProfiler.Build(plans.Zip(mainOutput).ToList(), windowed?.Rows ?? trainRows, timestamp);
        _clock.Lap("profile");
        var artifacts = await WriteAsync(
            new ColumnarDataView(mainOutput, trainRows),
            new ColumnarDataView(testOutput ?? mainOutput, testRows),
            schema, profile, ct);
        if (windowed is not null)
        {
            artifacts[IncrementalWindow.Artifact] = $"{context.ArtifactPrefix}/window.idv";
            await ArtifactWriter.WriteDataViewAsync(
                artifactStore, artifacts[IncrementalWindow.Artifact], new MLContext(seed: 0), new ColumnarDataView(mainOutput, windowed.Rows), ct);
        }

        _clock.Lap("write");
        context.Progress($"prepared in {_clock}");
        var how = heldOut ?? (Data.TestSource is not null ? "test_source" : step.Split.By == SplitBy.Time ? "time split" : "random split");
        return _features.Annotate(DataPrepOutcomes.Succeeded(mainTable, trainRows.Length, testRows.Length, how, digest, timestamp, artifacts, windowed, slice, _asFull));
    }

    /// <summary>
    /// The rows of the <paramref name="window"/> before the held-out rows, or null when no train step retrains on a window.
    /// With a time split the test rows are the slice's newest, so the window ends where they begin (see
    /// <see cref="IncrementalWindow.End"/>): measured from the newest row, a window shorter than the test rows' span
    /// would hold almost nothing to train on.
    /// </summary>
    private static WindowRows? Window(TimeSpan? window, DateColumn? timestamp, Table main, int[] slice, int[] testRows, bool timeSplit)
    {
        if (window is not { } span || timestamp is null || slice.Length == 0)
        {
            return null;
        }

        var end = IncrementalWindow.End(timestamp, slice, testRows, timeSplit);
        var start = IncrementalWindow.StartTicks(end, span);
        return new WindowRows(
            IncrementalWindow.Rows(timestamp, main.Rows, start, testRows), span, new DateTime(start, DateTimeKind.Utc), new DateTime(end, DateTimeKind.Utc));
    }

    private async Task<IRecordSource?> OpenAsync(SourceSpec source, DateTimeOffset? watermark, CancellationToken ct, bool isMain = false)
    {
        var request = new SourceRequest
        {
            Source = source,
            SchemaNames = Data.Schema.Select(c => c.Name).ToList(),
            Watermark = watermark,
            Progress = context.Progress,
        };
        var (opened, problem) = await sources.OpenAsync(request, ct);
        if (opened is not null)
        {
            _opened.Add(opened);
        }

        if (problem is not null)
        {
            _problems.Add(isMain ? problem : $"test_source: {problem}");
        }

        return opened;
    }

    private Table? ReadTest(TableReader reader, IRecordSource test, List<ColumnPlan> plans, CategoryDictionary? classes, CancellationToken ct)
    {
        var absent = plans.Where(p => !test.Columns.Contains(p.Name)).Select(p => p.Name).ToList();
        if (absent.Count > 0)
        {
            _problems.Add($"test_source: {test.DisplayName} lacks the columns {Echo.Quoted(absent)} of the source");
            return null;
        }

        var columns = plans.Select(p => Create(p, classes)).ToList();
        return reader.Read(test, columns, Indices(test, plans), isTest: true, timestamp: null, afterTicks: null, ct);
    }

    private void Validate(Table main, Table? test, MlTask task, string? positive)
    {
        DataValidator.CheckColumns(main, step.Checks, _problems);
        DataValidator.CheckRows(main, step.Checks, Incremental, _problems);
        if (test is not null)
        {
            DataValidator.CheckColumns(test, null, _problems);
            DataValidator.CheckRows(test, null, incremental: false, _problems);
        }

        if (main.Rows > 0 && main.Columns.OfType<CategoryColumn>().FirstOrDefault(c => c.Plan.Role == ColumnRole.Label) is { } label)
        {
            if (task == MlTask.Binary)
            {
                LabelClasses.CheckBinary(label, positive, _problems);
                if (test?.Columns.OfType<CategoryColumn>().First(c => c.Plan.Role == ColumnRole.Label) is { } testLabel)
                {
                    LabelClasses.CheckBinaryTest(testLabel, label, positive, _problems);
                }
            }
            else
            {
                LabelClasses.CheckMulticlass(label, _problems);
            }
        }

        foreach (var column in main.Columns.Concat(test?.Columns ?? []))
        {
            column.Impute();
        }
    }

    /// <summary>The columns as written: a binary label's class names become Boolean.</summary>
    private static List<IOutputColumn> Outputs(Table table, MlTask task, string? positive) =>
        table.Columns.Select(c => task == MlTask.Binary && c is CategoryColumn { Plan.Role: ColumnRole.Label } label
            ? new BinaryLabelOutput(label, positive)
            : (IOutputColumn)c).ToList();

    private static RowDigest Digest(List<ColumnPlan> plans, Table main, List<IOutputColumn> mainOutput, Table? test, List<IOutputColumn>? testOutput)
    {
        var digest = new RowDigest();
        digest.AddHeader(string.Join('\t', plans.Select(p => $"{p.Name}:{SchemaResolver.Word(p.Type)}:{p.Role}")));
        digest.AddRows(mainOutput, main.Rows, countDuplicates: true);
        if (test is not null)
        {
            digest.AddHeader("test_source");
            digest.AddRows(testOutput!, test.Rows, countDuplicates: false);
        }

        return digest;
    }

    private DatasetSchema Schema(List<ColumnPlan> plans, MlTask task, string? positive, CategoryDictionary? classes) => new()
    {
        Columns = plans.Select(p => p.ToDatasetColumn()).ToList(),
        Label = Data.Label,
        Timestamp = Data.Timestamp,
        Positive = positive,
        Classes = task == MlTask.Multiclass ? classes?.Values.ToList() : BinaryClasses(positive, classes),
        ViewFeatures = _features.Columns,
    };

    /// <summary>A binary label held as two strings keeps both names (negative first), so predictions speak the data's words.</summary>
    private static List<string>? BinaryClasses(string? positive, CategoryDictionary? classes) =>
        positive is not null && classes?.Values is { Count: 2 } names && names.Contains(positive)
            ? [names.First(n => n != positive), positive]
            : null;

    private async Task<Dictionary<string, string>> WriteAsync(IDataView train, IDataView test, DatasetSchema schema, DataProfile profile, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        var artifacts = new Dictionary<string, string>
        {
            [ArtifactNames.Train] = $"{context.ArtifactPrefix}/train.idv",
            [ArtifactNames.Test] = $"{context.ArtifactPrefix}/test.idv",
            [ArtifactNames.Schema] = $"{context.ArtifactPrefix}/schema.json",
            [ArtifactNames.Profile] = $"{context.ArtifactPrefix}/profile.json",
        };
        var store = artifactStore;
        await ArtifactWriter.WriteDataViewAsync(store, artifacts[ArtifactNames.Train], ml, train, ct);
        await ArtifactWriter.WriteDataViewAsync(store, artifacts[ArtifactNames.Test], ml, test, ct);
        await store.WriteAsync(artifacts[ArtifactNames.Schema], (s, t) => DatasetSchemaJson.WriteAsync(s, schema, t), ct);
        await store.WriteAsync(artifacts[ArtifactNames.Profile], (s, t) => DataProfileJson.WriteAsync(s, profile, t), ct);
        return artifacts;
    }

    private StepOutcome Fail(IRecordSource? main, IRecordSource? test)
    {
        var count = _problems.Count;
        var names = string.Join(", ", new[] { main?.DisplayName ?? sources.DisplayName(Data.Source), test is null ? null : $"test_source {test.DisplayName}" }.Where(s => s is not null));
        return StepOutcome.Failed(_problems.Render(string.Create(
            CultureInfo.InvariantCulture, $"the data has {count:N0} {(count == 1 ? "problem" : "problems")} ({names}):")));
    }

    /// <summary>The column that reads a plan's values; a classification label reads class names into the shared class list.</summary>
    private static ColumnData Create(ColumnPlan plan, CategoryDictionary? classes) => plan switch
    {
        { Role: ColumnRole.Label } when classes is not null => new CategoryColumn(plan, classes, isLabel: true),
        { Role: ColumnRole.Label } => new NumberColumn(plan),
        { Type: ColumnType.Float or ColumnType.Int } => new NumberColumn(plan),
        { Type: ColumnType.Boolean } => new BooleanColumn(plan),
        { Type: ColumnType.Datetime } => new DateColumn(plan),
        { Type: ColumnType.Categorical } => new CategoryColumn(plan, new CategoryDictionary()),
        _ => new TextColumn(plan),
    };

    private static int[] Indices(IRecordSource file, List<ColumnPlan> plans) =>
        plans.Select(p => file.Columns.ToList().IndexOf(p.Name)).ToArray();
}
