using MlOpsOrchestrator.Bench;

// mlops-bench [FIGURE...]: runs the named benchmarks (all when none) and rewrites bench/results/latest.json.
if (ChildModes.TryRun(args) is { } baseline)
{
    return await baseline;
}

var figures = BenchmarkCatalog.All;
var selected = args.Length == 0 ? figures : figures.Where(f => args.Contains(f.Name)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"unknown benchmark; known: {string.Join(", ", figures.Select(f => f.Name))}");
    return 2;
}

var results = new ResultsFile(ResultsFile.DefaultPath());
foreach (var benchmark in selected)
{
    Console.Error.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    foreach (var figure in await benchmark.RunAsync(CancellationToken.None))
    {
        results.Set(figure);
        Console.WriteLine(figure.ToTableRow());
    }
}

results.Save();
Console.Error.WriteLine($"results written to {results.Path}");
return 0;
