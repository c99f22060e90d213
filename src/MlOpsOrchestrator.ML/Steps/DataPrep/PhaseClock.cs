using System.Diagnostics;
using System.Globalization;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// Where a <c>data_prep</c> step spent its time (read, checks, hash, split, profile, write), reported once as
/// progress at the end, so a slow step says which part to look at.
/// </summary>
internal sealed class PhaseClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, TimeSpan Elapsed)> _phases = [];
    private TimeSpan _last;

    /// <summary>Ends the phase that started when the previous one ended (or when the clock was made).</summary>
    public void Lap(string phase)
    {
        var now = _clock.Elapsed;
        _phases.Add((phase, now - _last));
        _last = now;
    }

    public override string ToString() =>
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Elapsed.TotalSeconds:0.00} s")))
        + string.Create(CultureInfo.InvariantCulture, $" (total {_clock.Elapsed.TotalSeconds:0.00} s)");
}
