namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The pipelines of a folder as a long-running service sees them. <see cref="Refresh"/> rescans the folder: a new or
/// edited valid file replaces its definition, an invalid edit keeps the last valid definition and records the errors,
/// a removed file is dropped. Thread-safe: readers get immutable snapshots.
/// </summary>
public sealed class PipelineCatalog(PipelineLoader loader, string folder, TimeProvider time)
{
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, CatalogEntry> _entries = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);

    public string Folder => folder;

    /// <summary>Every known file, in file name order.</summary>
    public IReadOnlyList<CatalogEntry> Entries => _entries.Values.OrderBy(e => e.File, StringComparer.Ordinal).ToList();

    /// <summary>The entry whose last valid definition is called <paramref name="name"/>.</summary>
    public CatalogEntry? Find(string name) => _entries.Values.FirstOrDefault(e => e.Name == name);

    public CatalogChange Refresh()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var results = Directory.Exists(folder) ? loader.LoadAll([folder]) : [];
            var next = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
            List<CatalogEntry> added = [], updated = [], removed = [];
            foreach (var result in results)
            {
                var file = Path.GetFullPath(result.File);
                _entries.TryGetValue(file, out var previous);
                if (result.Definition is { } definition)
                {
                    var entry = new CatalogEntry(file, definition, ReadText(file), [], now);
                    next[file] = previous?.Definition?.Version == definition.Version ? entry with { LoadedAt = previous.LoadedAt } : entry;
                    if (previous?.Definition is null)
                    {
                        added.Add(entry);
                    }
                    else if (previous.Definition.Version != definition.Version)
                    {
                        updated.Add(entry);
                    }
                }
                else
                {
                    next[file] = new CatalogEntry(file, previous?.Definition, previous?.Yaml, result.Errors, previous?.LoadedAt ?? now);
                }
            }

            removed.AddRange(_entries.Values.Where(e => !next.ContainsKey(e.File) && e.Definition is not null));
            _entries = next;
            return new CatalogChange(added, updated, removed);
        }
    }

    private static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
