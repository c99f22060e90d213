using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>The outcomes of a <c>data_prep</c> step that prepared data, or found no new rows.</summary>
internal static class DataPrepOutcomes
{
    public static StepOutcome Succeeded(
        Table main, int train, int test, string how, RowDigest digest, DateColumn? timestamp, IReadOnlyDictionary<string, string> artifacts,
        WindowRows? window = null, IReadOnlyList<int>? slice = null, string? preparedAsFull = null)
    {
        DateTimeOffset? watermark = null;
        DateTimeOffset? first = null;
        if (timestamp is not null && timestamp.Count > 0)
        {
            var newest = long.MinValue;
            for (var row = 0; row < timestamp.Count; row++)
            {
                newest = Math.Max(newest, timestamp.Ticks(row));
            }

            watermark = new DateTimeOffset(newest, TimeSpan.Zero);
            var oldest = long.MaxValue;
            foreach (var row in slice ?? Enumerable.Range(0, timestamp.Count).ToList())
            {
                oldest = Math.Min(oldest, timestamp.Ticks(row));
            }

            first = oldest == long.MaxValue ? null : new DateTimeOffset(oldest, TimeSpan.Zero);
        }

        var result = new PrepResult
        {
            Rows = train + test, TrainRows = train, TestRows = test, DataHash = digest.Finish(), Watermark = watermark, First = first, PreparedAsFull = preparedAsFull,
        };
        var fullText = preparedAsFull is null ? "" : $"; incremental run prepared as full: {preparedAsFull}";
        var windowText = "";
        if (window is not null)
        {
            result = result with
            {
                WindowRows = window.Rows.Length,
                WindowStart = new DateTimeOffset(DateTime.SpecifyKind(window.Start, DateTimeKind.Utc)),
                WindowEnd = new DateTimeOffset(DateTime.SpecifyKind(window.End, DateTimeKind.Utc)),
            };
            windowText = string.Create(
                CultureInfo.InvariantCulture, $"; window {IncrementalWindow.Text(window.Window)} from {ValueText.Iso(window.Start)}: {window.Rows.Length:N0} rows to train on");
        }

        return new StepOutcome
        {
            Status = StepStatus.Succeeded,
            Artifacts = artifacts,
            Result = result,
            Metrics = new Dictionary<string, double>
            {
                ["rows_read"] = main.RowsRead,
                ["rows_dropped"] = main.RowsDropped,
                ["duplicate_fraction"] = main.Rows == 0 ? 0 : (double)digest.Duplicates / main.Rows,
            },
            Message = string.Create(
                CultureInfo.InvariantCulture,
                $"prepared {train + test:N0} rows from {main.DisplayName}: {train:N0} train, {test:N0} test ({how}); {main.RowsDropped:N0} dropped for missing values{windowText}{fullText}"),
        };
    }

    /// <summary>An incremental run with nothing newer than the watermark: a success that trains and deploys nothing.</summary>
    public static StepOutcome Empty(DateTimeOffset? watermark, Table main) => new()
    {
        Status = StepStatus.Succeeded,
        Result = new PrepResult { Empty = true },
        Message = string.Create(
            CultureInfo.InvariantCulture,
            $"no rows newer than the watermark {(watermark is { } w ? ValueText.Iso(w.UtcDateTime) : "(none)")} in {main.DisplayName} ({main.RowsRead:N0} rows read); nothing to prepare"),
    };
}
