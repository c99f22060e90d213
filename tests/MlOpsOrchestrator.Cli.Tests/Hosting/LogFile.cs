namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>Reads the host's compact JSON log files (shared with the writer, which keeps them open).</summary>
internal static class LogFile
{
    public static IReadOnlyList<string> Lines(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json").SelectMany(ReadShared).ToList()
            : [];

    /// <summary>The first line matching <paramref name="match"/>, waiting a little for the writer to flush.</summary>
    public static async Task<string> WaitForAsync(string folder, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var line = Lines(folder).FirstOrDefault(match);
            if (line is not null || DateTime.UtcNow > deadline)
            {
                return line ?? throw new InvalidOperationException($"no matching line in the logs under {folder}");
            }

            await Task.Delay(100);
        }
    }

    private static IEnumerable<string> ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
