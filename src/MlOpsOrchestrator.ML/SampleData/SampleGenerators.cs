using System.Text;

namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>The generators the product ships, and writing one to a file atomically.</summary>
public static class SampleGenerators
{
    public static IReadOnlyList<ISampleGenerator> All { get; } =
        [new BikeRentalsGenerator(), new CustomerChurnGenerator(), new TicketRoutingGenerator(), new StationTripsGenerator(), new StationRentalsGenerator()];

    public static ISampleGenerator? Find(string name) => All.FirstOrDefault(g => g.Name == name);

    /// <summary>Writes header and rows with LF line endings to a temporary file, then renames it into place.</summary>
    public static async Task WriteAsync(ISampleGenerator generator, SampleSettings settings, string path, CancellationToken ct)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            await writer.WriteLineAsync(generator.Header.AsMemory(), ct);
            foreach (var row in generator.Rows(settings))
            {
                await writer.WriteLineAsync(row.AsMemory(), ct);
            }

            await writer.FlushAsync(ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
