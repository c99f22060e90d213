namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// A deterministic generator of realistic tabular data for samples, tests and benchmarks: the same settings always
/// give the same bytes, so shipped sample files can be checked against their generator.
/// </summary>
public interface ISampleGenerator
{
    /// <summary>The name used on the command line, e.g. <c>bike-rentals</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>The CSV header line (without newline).</summary>
    string Header { get; }

    /// <summary>Rows as CSV lines (without newline), in time order.</summary>
    IEnumerable<string> Rows(SampleSettings settings);
}
