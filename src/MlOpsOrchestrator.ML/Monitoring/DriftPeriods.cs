using System.Globalization;
using MlOpsOrchestrator.ML.Steps.DataPrep;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The earlier periods of the data a <c>monitor</c> step's <c>reference</c> compares its window with, as UTC tick
/// ranges [from, to). The window is [start, newest]:
/// <list type="bullet">
/// <item><c>previous_window</c>: the window just before it, [start − window, start).</item>
/// <item><c>same_period</c>: the same dates of every earlier year the data reaches, [start − k years, newest − k years]
/// for k = 1, 2, …: a fortnight of January against the Januaries before it, so a seasonal feature is judged against
/// its own season.</item>
/// </list>
/// None when the data does not go back far enough; the monitor then compares with the training data and says so.
/// </summary>
internal static class DriftPeriods
{
    /// <summary>Earlier years looked at, at most (a daily series of ten years has ten Januaries).</summary>
    private const int MaxYears = 10;

    public static IReadOnlyList<(long From, long To)> Of(DriftReference reference, TimeSpan window, long start, long newest, long oldest)
    {
        var periods = new List<(long From, long To)>();
        if (reference == DriftReference.PreviousWindow)
        {
            if (start > oldest && start - window.Ticks >= DateTime.MinValue.Ticks)
            {
                periods.Add((Math.Max(start - window.Ticks, oldest), start));
            }
        }
        else if (reference == DriftReference.SamePeriod)
        {
            var from = new DateTime(start, DateTimeKind.Utc);
            var to = new DateTime(newest, DateTimeKind.Utc);
            for (var years = 1; years <= MaxYears && from.Year - years > DateTime.MinValue.Year; years++)
            {
                var periodTo = to.AddYears(-years).Ticks + 1;
                if (periodTo <= oldest)
                {
                    break;
                }

                periods.Add((Math.Max(from.AddYears(-years).Ticks, oldest), periodTo));
            }
        }

        return periods;
    }

    /// <summary><c>the previous 14d (336 rows from 2025-07-11 23:00 to 2025-07-25 23:00)</c>, <c>the same 14d of 2 earlier years (…)</c>.</summary>
    public static string Describe(DriftReference reference, TimeSpan window, IReadOnlyList<(long From, long To)> periods, int rows)
    {
        var span = string.Join(", ", periods.Select(p => $"{Time(p.From)} to {Time(p.To)}"));
        var what = reference == DriftReference.PreviousWindow
            ? $"the previous {IncrementalWindow.Text(window)}"
            : string.Create(CultureInfo.InvariantCulture, $"the same {IncrementalWindow.Text(window)} of {periods.Count} earlier {(periods.Count == 1 ? "year" : "years")}");
        return string.Create(CultureInfo.InvariantCulture, $"{what} ({rows:N0} rows from {span})");
    }

    /// <summary>Why the reference asked for could not be cut from the data.</summary>
    public static string Missing(DriftReference reference, TimeSpan window) => reference == DriftReference.PreviousWindow
        ? $"reference previous_window: the data has no rows in the {IncrementalWindow.Text(window)} before the window, so it was compared with the training data instead"
        : $"reference same_period: the data has no earlier year with rows in the window's dates, so it was compared with the training data instead";

    private static string Time(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
