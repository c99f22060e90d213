using MlOpsOrchestrator.Sources;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The <c>data.source</c> words a loader accepts, built from the <see cref="SourceKeys"/> its host's source readers
/// describe: the types, every key any of them takes (for unknown keys and did-you-mean), and per type the keys it
/// requires and those of other types it does not take.
/// </summary>
internal sealed class SourceVocabulary
{
    private readonly Dictionary<string, SourceKeys> _byType;

    public SourceVocabulary(IReadOnlyList<SourceKeys> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _byType = new Dictionary<string, SourceKeys>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!_byType.TryAdd(source.Type, source))
            {
                throw new ArgumentException($"Two source descriptions are given for type '{source.Type}'.", nameof(sources));
            }

            if (source.All.FirstOrDefault(k => !SourceKeys.Readable.Contains(k)) is { } unreadable)
            {
                throw new ArgumentException(
                    $"Source type '{source.Type}' takes key '{unreadable}', which the loader cannot read (it reads {string.Join(", ", SourceKeys.Readable)}).",
                    nameof(sources));
            }
        }

        Types = [.. _byType.Keys.Order(StringComparer.Ordinal)];
        Keys = ["type", .. Types.SelectMany(t => _byType[t].All).Distinct(StringComparer.Ordinal).OrderBy(k => IndexOf(k))];
    }

    /// <summary>The <c>type:</c> words, in order.</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary><c>type</c> and every key of any type, in the order messages list them.</summary>
    public IReadOnlyList<string> Keys { get; }

    public IReadOnlyList<string> Required(string type) => _byType[type].Required;

    /// <summary>The keys of other types that a source of <paramref name="type"/> does not take.</summary>
    public IEnumerable<string> NotTaken(string type) => Keys.Skip(1).Except(_byType[type].All, StringComparer.Ordinal);

    public bool Takes(string type, string key) => _byType[type].All.Contains(key, StringComparer.Ordinal);

    private static int IndexOf(string key)
    {
        for (var i = 0; i < SourceKeys.Readable.Count; i++)
        {
            if (SourceKeys.Readable[i] == key)
            {
                return i;
            }
        }

        return -1;
    }
}
