namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// A point-in-time training set written to a CSV file: the label source's columns and one column per feature. The
/// file (alone in its temporary folder) is deleted with the folder on <see cref="Dispose"/>. <see cref="Notes"/> say per view whether it was materialized or reused.
/// </summary>
internal sealed class TrainingSet(string path, IReadOnlyList<string> notes, IReadOnlyList<EventLog> logs) : IDisposable
{
    public string Path => path;

    public IReadOnlyList<string> Notes => notes;

    public IReadOnlyList<EventLog> Logs => logs;

    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(path)!, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing refers to it.
        }
    }
}
