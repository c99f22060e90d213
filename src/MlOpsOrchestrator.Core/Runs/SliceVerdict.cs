using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Runs;

/// <summary>
/// A slice gate that failed on one slice: the candidate against production on the same rows of that slice, e.g.
/// <c>slice gate rmse max_increase 0.15 failed on segment=south: 9.1 vs production 5.2 (+75.0%) on 52 rows (min_rows 30)</c>.
/// </summary>
/// <param name="Metric">The gate's metric.</param>
/// <param name="Kind">max_increase or max_decrease.</param>
/// <param name="Bound">The allowed relative change.</param>
/// <param name="MinRows">The gate's min_rows.</param>
/// <param name="Column">The slice column.</param>
/// <param name="Slice">The slice (<c>segment=south</c>, <c>0&lt;=temp&lt;10</c>).</param>
/// <param name="Rows">Evaluation rows in the slice (the same rows for both models).</param>
/// <param name="Candidate">The candidate's value on the slice.</param>
/// <param name="Production">Production's value on the slice.</param>
/// <param name="Change"><c>(candidate − production) / |production|</c>.</param>
public sealed record SliceVerdict(
    string Metric, GateKind Kind, double Bound, int MinRows, string Column, string Slice, int Rows, double Candidate, double Production, double Change)
{
    /// <summary>The failure as the step's note and the run page say it.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"slice gate {Metric} {GateVerdict.KindName(Kind)} {Bound:G} failed on {Slice}: {Number(Candidate)} vs production {Number(Production)} ({Percent(Change)}) on {Rows:N0} rows (min_rows {MinRows:N0})");

    private static string Number(double value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Percent(double change) => double.IsInfinity(change)
        ? (change > 0 ? "+" : "-") + "∞%"
        : (change * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
}
