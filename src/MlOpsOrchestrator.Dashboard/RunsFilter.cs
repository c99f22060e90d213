using System.Globalization;
using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Dashboard;

/// <summary>
/// The Runs page's filters and page, from its query string (<c>?pipeline=&amp;status=&amp;trigger=&amp;level=&amp;page=</c>).
/// Pipeline, status and trigger go to the store (<see cref="IRunRepository.FindAsync"/>); the level is a property of the
/// pipeline version a run executed, filtered over the newest <see cref="LevelScan"/> matching runs.
/// </summary>
internal sealed record RunsFilter(string? Pipeline, RunStatus? Status, string? Trigger, int? Level, int Page)
{
    public const int PageSize = 50;

    /// <summary>How many of the newest matching runs the level filter looks through.</summary>
    public const int LevelScan = 5000;

    public static RunsFilter From(PageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? Text(string name) => request.Query(name).Trim() is { Length: > 0 } value ? value : null;
        RunStatus? status = Text("status") is { } word && Enum.GetValues<RunStatus>().FirstOrDefault(s => StatusNames.Of(s) == word) is var parsed
            && StatusNames.Of(parsed) == word ? parsed : null;
        int? level = int.TryParse(Text("level"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 0 and <= 4 ? l : null;
        var page = int.TryParse(Text("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        return new RunsFilter(Text("pipeline"), status, Text("trigger"), level, page);
    }

    public bool IsFiltered => Pipeline is not null || Status is not null || Trigger is not null || Level is not null;

    /// <summary>The runs of this page, and whether a next page exists.</summary>
    public async Task<(IReadOnlyList<RunRecord> Runs, bool More)> FindAsync(IRunRepository runs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var skip = (Page - 1) * PageSize;
        var query = new RunQuery
        {
            Pipeline = Pipeline,
            Trigger = Trigger,
            Statuses = Status is { } status ? [status] : null,
            Limit = Level is null ? skip + PageSize + 1 : LevelScan,
        };
        IEnumerable<RunRecord> found = await runs.FindAsync(query, ct);
        if (Level is { } level)
        {
            found = found.Where(r => r.Level == level);
        }

        var window = found.Skip(skip).Take(PageSize + 1).ToList();
        return (window.Take(PageSize).ToList(), window.Count > PageSize);
    }

    /// <summary>The query string of this filter on <paramref name="page"/>, for paging links.</summary>
    public string QueryString(int page)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("pipeline", Pipeline);
        Add("status", Status is { } s ? StatusNames.Of(s) : null);
        Add("trigger", Trigger);
        Add("level", Level?.ToString(CultureInfo.InvariantCulture));
        Add("page", page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
