namespace MlOpsOrchestrator.Stores;

/// <summary>
/// The last replay of each pipeline kept in the home (<c>HOME/replays/PIPELINE/replay.json</c> and <c>replay.svg</c>),
/// so the dashboard can show it. A replay writes here only once it has completed (<c>mlops replay --save</c>), each file
/// through a temporary file renamed into place: a reader sees the previous replay or the new one, never a part, and an
/// interrupted replay leaves nothing.
/// </summary>
public sealed class SavedReplays(string home)
{
    public const string FolderName = "replays";
    public const string JsonFileName = "replay.json";
    public const string SvgFileName = "replay.svg";

    /// <summary>The folder of one pipeline's last replay.</summary>
    public string FolderOf(string pipeline) => Path.Combine(Path.GetFullPath(home), FolderName, SafeName(pipeline));

    /// <summary>Replaces the pipeline's last replay: both files are written in full first, then renamed, the report last.</summary>
    public async Task SaveAsync(string pipeline, string json, string svg, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(svg);
        var folder = FolderOf(pipeline);
        Directory.CreateDirectory(folder);
        var jsonTemp = Temporary(folder, JsonFileName);
        var svgTemp = Temporary(folder, SvgFileName);
        try
        {
            await WriteAsync(svgTemp, svg, ct);
            await WriteAsync(jsonTemp, json, ct);
            File.Move(svgTemp, Path.Combine(folder, SvgFileName), overwrite: true);
            File.Move(jsonTemp, Path.Combine(folder, JsonFileName), overwrite: true);
        }
        finally
        {
            File.Delete(svgTemp);
            File.Delete(jsonTemp);
        }
    }

    /// <summary>The pipeline's last replay, or null when none was saved.</summary>
    public async Task<SavedReplay?> FindAsync(string pipeline, CancellationToken ct)
    {
        var folder = FolderOf(pipeline);
        var jsonPath = Path.Combine(folder, JsonFileName);
        try
        {
            var json = await File.ReadAllTextAsync(jsonPath, ct);
            var svgPath = Path.Combine(folder, SvgFileName);
            var svg = File.Exists(svgPath) ? await File.ReadAllTextAsync(svgPath, ct) : null;
            return new SavedReplay(json, svg, new DateTimeOffset(File.GetLastWriteTimeUtc(jsonPath), TimeSpan.Zero));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string Temporary(string folder, string file) => Path.Combine(folder, $".{file}.{Guid.NewGuid():N}.tmp");

    private static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 14, useAsync: true);
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), ct);
            await writer.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>A pipeline name is one folder name: nothing that could leave the replays folder.</summary>
    private static string SafeName(string pipeline)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pipeline);
        if (pipeline is "." or ".." || pipeline.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) >= 0)
        {
            throw new ArgumentException($"'{pipeline}' is not a pipeline name", nameof(pipeline));
        }

        return pipeline;
    }
}
