namespace MlOpsOrchestrator.Sources;

/// <summary>
/// A forward-only pass over a source's data records. <see cref="Record"/> is one object for the cursor's life, refilled
/// by each <see cref="Read"/>: readers take the fields as spans from it, one interface call per record, none per value.
/// </summary>
public interface IRecordCursor : IDisposable
{
    SourceRecord Record { get; }

    /// <summary>How much of the source has been read, from 0 to 1 (0 when unknown): to size buffers for the rows to come.</summary>
    double FractionRead { get; }

    /// <summary>Moves to the next record; false at the end of the source.</summary>
    bool Read();
}
