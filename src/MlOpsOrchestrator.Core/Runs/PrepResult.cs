namespace MlOpsOrchestrator.Runs;

/// <summary>What a <c>data_prep</c> step prepared: row counts, the data's hash and the watermark the run advances on success.</summary>
public sealed record PrepResult : StepResult
{
    /// <summary>Rows prepared, train and test together.</summary>
    public int Rows { get; init; }

    public int TrainRows { get; init; }
    public int TestRows { get; init; }

    /// <summary>Hash of every row read (<c>sha256:…</c>): the lineage a registered version records. Null for an empty slice.</summary>
    public string? DataHash { get; init; }

    /// <summary>The newest timestamp in the consumed rows: the pipeline's watermark once the run succeeds. Null without a timestamp column.</summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>An incremental slice with no rows newer than the watermark: the run then succeeds with nothing trained or deployed.</summary>
    public bool Empty { get; init; }

    /// <summary>In an incremental run feeding a <c>strategy: window</c> train step: the rows of the window dataset and its first instant.</summary>
    public int? WindowRows { get; init; }

    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>Where the window is measured back from: the first held-out row of a time split, else the slice's newest row.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>The oldest timestamp in the consumed rows: with <see cref="Watermark"/>, the range a run says it consumed.</summary>
    public DateTimeOffset? First { get; init; }

    /// <summary>
    /// Why an incremental run's data_prep prepared every row, as a full run does (no production model yet, its files
    /// missing, another task or trainer); the steps after it then act as in a full run. Null otherwise.
    /// </summary>
    public string? PreparedAsFull { get; init; }
}
