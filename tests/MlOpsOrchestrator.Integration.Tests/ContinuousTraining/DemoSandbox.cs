using System.Globalization;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Integration.Tests.ContinuousTraining;

/// <summary>What one <c>mlops</c> command printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// A copy of <c>samples/continuous-training</c> in a temp folder (the data root): <c>pipelines/pipeline.yaml</c> with
/// its data beside it, and the home folder, so a test appends to its own copy of the data, never to the sample's.
/// </summary>
internal sealed class DemoSandbox : IDisposable
{
    public const string Pipeline = "bike-rentals-continuous";

    private DemoSandbox(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string Pipelines => Path.Combine(Root, "pipelines");

    public string PipelineFile => Path.Combine(Pipelines, "pipeline.yaml");

    public string Data => Path.Combine(Pipelines, "data", "bike-rentals.csv");

    public string Home => Path.Combine(Root, "home");

    public static DemoSandbox Create()
    {
        var sandbox = new DemoSandbox(Path.Combine(Path.GetTempPath(), $"mlops-ct-{Guid.NewGuid():N}"));
        var sample = RepositoryPaths.Combine("samples", "continuous-training");
        Directory.CreateDirectory(Path.GetDirectoryName(sandbox.Data)!);
        File.Copy(Path.Combine(sample, "pipeline.yaml"), sandbox.PipelineFile);
        File.Copy(Path.Combine(sample, "data", "bike-rentals.csv"), sandbox.Data);
        return sandbox;
    }

    /// <summary>Runs <c>mlops ARGS</c> in this process, as a user types it.</summary>
    public static async Task<CliResult> MlopsAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await MlOpsCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The timestamps of the data rows, in file order (the first field of every line after the header).</summary>
    public IReadOnlyList<DateTimeOffset> Timestamps() => File.ReadLines(Data).Skip(1)
        .Where(line => line.Length > 0)
        .Select(line => new DateTimeOffset(DateTime.ParseExact(line[..line.IndexOf(',', StringComparison.Ordinal)], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), TimeSpan.Zero))
        .ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still holds a file; the temp folder is cleaned up by the machine.
        }
    }
}
