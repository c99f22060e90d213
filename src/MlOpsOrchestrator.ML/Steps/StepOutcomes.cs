using System.Globalization;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>Small helpers shared by the ML step executors.</summary>
internal static class StepOutcomes
{
    public static StepOutcome Skipped(string message) => new() { Status = StepStatus.Skipped, Message = message };

    /// <summary>A metric value for messages: at least two decimals, at most four (<c>3.90</c>, <c>0.8123</c>).</summary>
    public static string Number(double value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Describe(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.Select(m => $"{m.Key} {Number(m.Value)}"));
}
