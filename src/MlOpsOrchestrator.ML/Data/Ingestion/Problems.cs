using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>
/// Every problem found in the data, for one failure message. Problems of one kind in one column (say 40,000 values
/// that are not numbers) keep the first few with their rows and count the rest, so a broken file yields a readable
/// message, not a megabyte; the message is capped at <see cref="MaxLines"/> lines of at most <see cref="MaxLineChars"/>
/// characters (a column name from a header can be megabytes long).
/// </summary>
internal sealed class Problems
{
    public const int MaxLines = 20;
    public const int MaxLineChars = 500;
    private const int PerGroup = 3;

    private readonly List<Group> _groups = [];
    private readonly Dictionary<string, Group> _byKey = new(StringComparer.Ordinal);

    public bool Any => _groups.Count > 0;

    /// <summary>The number of problems, counting those beyond the per-group detail.</summary>
    public int Count => _groups.Sum(g => g.Count);

    /// <summary>A problem that stands alone.</summary>
    public void Add(string message) => Add(message, message);

    /// <summary>
    /// A problem of the kind <paramref name="group"/> (e.g. <c>not-a-number:temp</c>); <paramref name="describe"/> is
    /// only called for the first few of a group, and <paramref name="summary"/> words the remainder, given their
    /// count already formatted (<c>4,997</c>, whatever the host's culture).
    /// </summary>
    public void Add(string group, Func<string> describe, Func<string, string> summary)
    {
        var entry = Find(group, summary);
        entry.Count++;
        if (entry.Messages.Count < PerGroup)
        {
            entry.Messages.Add(describe());
        }
    }

    public string Render(string heading)
    {
        var lines = new List<string>();
        foreach (var group in _groups)
        {
            lines.AddRange(group.Messages);
            if (group.Count > group.Messages.Count)
            {
                lines.Add(group.Summary((group.Count - group.Messages.Count).ToString("N0", CultureInfo.InvariantCulture)));
            }
        }

        var builder = new StringBuilder(heading);
        foreach (var line in lines.Take(MaxLines))
        {
            builder.Append('\n').Append(Echo.Value(line, MaxLineChars));
        }

        if (lines.Count > MaxLines)
        {
            builder.Append('\n').Append(CultureInfo.InvariantCulture, $"… and {lines.Count - MaxLines:N0} more");
        }

        return builder.ToString();
    }

    private void Add(string group, string message)
    {
        var entry = Find(group, n => $"… and {n} more like this");
        entry.Count++;
        entry.Messages.Add(message);
    }

    private Group Find(string key, Func<string, string> summary)
    {
        if (!_byKey.TryGetValue(key, out var group))
        {
            group = new Group(summary);
            _byKey[key] = group;
            _groups.Add(group);
        }

        return group;
    }

    private sealed class Group(Func<string, string> summary)
    {
        public List<string> Messages { get; } = [];
        public int Count { get; set; }
        public Func<string, string> Summary => summary;
    }
}
