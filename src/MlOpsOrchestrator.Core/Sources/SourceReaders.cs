using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Sources;

/// <summary>The host's <see cref="ISourceReader"/>s by source type: the one place a source is opened through.</summary>
public sealed class SourceReaders
{
    private readonly Dictionary<string, ISourceReader> _readers = new(StringComparer.Ordinal);

    public SourceReaders(IEnumerable<ISourceReader> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        foreach (var reader in readers)
        {
            if (reader.Keys.Type != reader.Type)
            {
                throw new ArgumentException($"The source reader for type '{reader.Type}' describes the keys of type '{reader.Keys.Type}'.", nameof(readers));
            }

            if (!_readers.TryAdd(reader.Type, reader))
            {
                throw new ArgumentException($"Two source readers are registered for type '{reader.Type}'.", nameof(readers));
            }
        }
    }

    /// <summary>The registered types, in order.</summary>
    public IReadOnlyList<string> Types => _readers.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>How messages name <paramref name="source"/>.</summary>
    public string DisplayName(SourceSpec source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _readers.TryGetValue(source.Type, out var reader) ? reader.DisplayName(source) : $"the {source.Type} source";
    }

    /// <summary>Opens the request's source with the reader of its type.</summary>
    public Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _readers.TryGetValue(request.Source.Type, out var reader)
            ? reader.OpenAsync(request, ct)
            : Task.FromResult(SourceOpening.Failed(
                $"no reader for source type '{request.Source.Type}' is registered in this host (registered: {string.Join(", ", Types)})"));
    }
}
