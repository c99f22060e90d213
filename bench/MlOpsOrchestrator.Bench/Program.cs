using MlOpsOrchestrator.Bench;

// mlops-bench [FIGURE...]: runs the named benchmarks (all when none), rewrites bench/results/latest.json and the
// results section of docs/benchmarks.md. mlops-bench --doc-only: only the doc, from the recorded results.
if (ChildModes.TryRun(args) is { } baseline)
{
    return await baseline;
}

if (args is ["--doc-only"])
{
    // Rewrites the doc's results section from the recorded results, measuring nothing.
    var recorded = ResultsFile.DefaultPath();
    return BenchmarksDoc.Rewrite(BenchmarksDoc.DefaultPath(recorded), recorded) ? 0 : 1;
}

var figures = BenchmarkCatalog.All;
var selected = args.Length == 0 ? figures : figures.Where(f => args.Contains(f.Name)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"unknown benchmark; known: {string.Join(", ", figures.Select(f => f.Name))}");
    return 2;
}

var results = new ResultsFile(ResultsFile.DefaultPath());
var startedAt = DateTimeOffset.UtcNow;
var clock = System.Diagnostics.Stopwatch.StartNew();
foreach (var benchmark in selected)
{
    Console.Error.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    foreach (var figure in await benchmark.RunAsync(CancellationToken.None))
    {
        results.Set(figure);
        Console.WriteLine(figure.ToTableRow());
    }

    // Saved after each benchmark: a rerun stopped halfway keeps what it measured.
    results.Save();
}

if (selected.Count == figures.Count)
{
    results.SetFullRun(startedAt, clock.Elapsed, selected.Select(b => b.Name));
    Console.Error.WriteLine($"every benchmark ran in {clock.Elapsed.TotalMinutes:0.0} min");
}

results.Save();
var doc = BenchmarksDoc.DefaultPath(results.Path);
Console.Error.WriteLine(BenchmarksDoc.Rewrite(doc, results.Path)
    ? $"results written to {results.Path} and the results section of {doc}"
    : $"results written to {results.Path} ({doc} has no results section to rewrite)");
return 0;
