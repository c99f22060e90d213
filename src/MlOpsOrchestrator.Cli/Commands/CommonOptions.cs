using System.CommandLine;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>Options several commands share, declared once so their names and help read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "print one JSON document on stdout (progress and logs go to stderr)" };

    public static Option<string?> Features() => new("--features")
    {
        Description = "the folder of feature views (default: a features folder beside the pipeline file or beside its folder)",
    };

    /// <summary><c>--workers N</c> of <c>serve</c> and <c>worker</c>: how many runs the process executes at once.</summary>
    public static Option<int> Workers() => new("--workers")
    {
        Description = "how many runs this process executes at once, 1 to 1000 (default: one per core)",
        DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
    };

    /// <summary>The value of <see cref="Workers"/>, or the reason it cannot be used.</summary>
    public static int WorkersValue(ParseResult parse, Option<int> workers, List<string> problems)
    {
        var value = parse.GetValue(workers);
        return value is >= 1 and <= 1000 ? value : CommandLineValues.Fail(problems, 1, $"--workers {value}: give a whole number from 1 to 1000 (how many runs this process executes at once)");
    }

    public static Option<string?> DataRoot() => new("--data-root")
    {
        Description = "data paths may not escape this folder (default: MLOPS_DATA_ROOT, else the working directory)",
    };
}
