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

    public static Option<string?> DataRoot() => new("--data-root")
    {
        Description = "data paths may not escape this folder (default: MLOPS_DATA_ROOT, else the working directory)",
    };
}
