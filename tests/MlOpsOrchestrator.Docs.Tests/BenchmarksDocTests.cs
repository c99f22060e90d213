using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>docs/benchmarks.md shows the figures of bench/results/latest.json, each with its verdict.</summary>
public sealed class BenchmarksDocTests
{
    [Test]
    public void ResultsTable_HasEveryRecordedFigureWithItsValueAndVerdict()
    {
        var doc = File.ReadAllLines(RepositoryPaths.Combine("docs", "benchmarks.md"));
        var results = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("bench", "results", "latest.json")))!["figures"]!.AsObject();
        Assert.That(results, Is.Not.Empty);
        using (Assert.EnterMultipleScope())
        {
            foreach (var (key, node) in results)
            {
                var figure = node!.AsObject();
                var row = doc.SingleOrDefault(line => line.StartsWith($"| {figure["title"]} |", StringComparison.Ordinal));
                Assert.That(row, Is.Not.Null, $"{key}: no table row titled '{figure["title"]}'");
                if (row is null)
                {
                    continue;
                }

                var cells = row.Split('|', StringSplitOptions.TrimEntries);
                var ours = double.Parse(cells[2].Split(' ')[0], CultureInfo.InvariantCulture);
                Assert.That(ours, Is.EqualTo(figure["ours"]!.GetValue<double>()).Within(0.0005).Or.EqualTo(figure["ours"]!.GetValue<double>()).Within(0.01).Percent,
                    $"{key}: the row's value");
                Assert.That(cells[6], Is.EqualTo(figure["met"]!.GetValue<bool>() ? "met" : "MISSED"), $"{key}: the row's verdict");
            }
        }
    }
}
