using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary><c>mlops worker</c> needs a queue other processes can see: it refuses the embedded default.</summary>
[NonParallelizable] // Clears MLOPS_* variables of the process.
public sealed class WorkerCommandTests
{
    [Test]
    public async Task Worker_EmbeddedDefault_Exits2SayingPostgresIsNeeded()
    {
        using var folder = new TempFolder();
        using var _ = EnvironmentScope.Without(["MLOPS_HOME", "MLOPS_POSTGRES", "MLOPS_DATA_ROOT"]);
        var result = await CliRun.RunAsync("worker", "--home", folder.Combine("home"), "--data-root", folder.Path);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("mlops worker needs PostgreSQL").And.Contain("MLOPS_POSTGRES"));
            Assert.That(result.Stdout, Is.Empty);
        });
    }

    [Test]
    public async Task Worker_BadQueueName_Exits2NamingIt()
    {
        using var folder = new TempFolder();
        using var _ = EnvironmentScope.Without(["MLOPS_HOME", "MLOPS_POSTGRES", "MLOPS_DATA_ROOT"]);
        var result = await CliRun.RunAsync("worker", "--home", folder.Combine("home"), "--postgres", "Host=127.0.0.1;Port=1;Database=x", "--queues", "GPU");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("queue 'GPU'"));
    }

    [TestCase("worker", "0")]
    [TestCase("worker", "1001")]
    [TestCase("serve", "0")]
    [TestCase("serve", "-3")]
    public async Task WorkersOutOfRange_Exits2NamingTheOptionAndTheRange(string command, string workers)
    {
        using var folder = new TempFolder();
        using var _ = EnvironmentScope.Without(["MLOPS_HOME", "MLOPS_POSTGRES", "MLOPS_DATA_ROOT"]);
        var result = await CliRun.RunAsync(command, "--home", folder.Combine("home"), "--postgres", "Host=127.0.0.1;Port=1;Database=x", "--workers", workers);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain($"--workers {workers}").And.Contain("1 to 1000"));
            Assert.That(Directory.Exists(folder.Combine("home")), Is.False, "nothing was started or written");
        });
    }
}
