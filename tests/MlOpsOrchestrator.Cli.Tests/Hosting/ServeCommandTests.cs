using System.Text;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary><c>mlops serve</c> as a user runs it: refusing bad settings at once, and starting and stopping cleanly.</summary>
[NonParallelizable] // Reads and clears MLOPS_* variables of the process.
public sealed class ServeCommandTests
{
    private static readonly string[] Variables = ["MLOPS_HOME", "MLOPS_POSTGRES", "MLOPS_DATA_ROOT", "MLOPS_API_TOKEN", "MLOPS_VIEWER_TOKEN", "MLOPS_ALLOWED_HOSTS", "MLOPS_ALLOWED_ORIGINS"];

    [Test]
    public async Task Serve_MissingPipelinesFolderAndBadUrl_Exits2ListingBothProblems()
    {
        using var folder = new TempFolder();
        using var _ = EnvironmentScope.Without(Variables);
        var result = await CliRun.RunAsync("serve", "--home", folder.Combine("home"), "--data-root", folder.Path,
            "--pipelines", folder.Combine("no-such-folder"), "--urls", "localhost:5080");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain($"the pipelines folder '{folder.Combine("no-such-folder")}' does not exist"));
            Assert.That(result.Stderr, Does.Contain("'localhost:5080' is not a URL to listen on"));
            Assert.That(result.Stderr, Does.Contain("2 problem(s); nothing was started"));
            Assert.That(result.Stdout, Is.Empty);
        });
    }

    [Test]
    public async Task Serve_ValidSettings_StartsPrintsWhereToLookAndStopsOnCancel()
    {
        using var folder = new TempFolder();
        using var _ = EnvironmentScope.Without(Variables);
        folder.Write(Path.Combine("pipelines", "broken.yaml"), "version: 1\nname: broken\n");
        using var stdout = new StringWriter(new StringBuilder());
        using var stderr = new StringWriter();
        var output = TextWriter.Synchronized(stdout);
        using var stop = new CancellationTokenSource();
        var serving = MlOpsCli.RunAsync(
            ["serve", "--home", folder.Combine("home"), "--data-root", folder.Path, "--pipelines", folder.Combine("pipelines"), "--urls", "http://127.0.0.1:0"],
            output, TextWriter.Synchronized(stderr), stop.Token);

        var dashboard = await WaitForLineAsync(stdout, "dashboard: ", serving);
        using var client = new HttpClient();
        var health = await client.GetAsync(new Uri(dashboard.Replace("/hangfire", "/health", StringComparison.Ordinal)));
        await stop.CancelAsync();
        var exitCode = await serving.WaitAsync(TimeSpan.FromSeconds(30));

        var printed = stdout.ToString();
        Assert.Multiple(() =>
        {
            Assert.That((int)health.StatusCode, Is.EqualTo(200));
            Assert.That(exitCode, Is.EqualTo(0), stderr.ToString());
            Assert.That(printed, Does.Contain($"storage:   sqlite:{folder.Combine("home", "mlops.db")}"));
            Assert.That(printed, Does.Contain("pipelines: 0 loaded from").And.Contain("1 invalid file(s)"));
            Assert.That(printed, Does.Contain("broken.yaml:"));
            Assert.That(dashboard, Does.Match(@"^http://127\.0\.0\.1:\d+/hangfire$"));
            Assert.That(printed, Does.Contain("hosts:     answers to 127.0.0.1, [::1], localhost; other names get 400 (add them to MLOPS_ALLOWED_HOSTS)"));
            Assert.That(stderr.ToString(), Does.Contain("stopped"));
        });
    }

    [Test]
    public async Task Serve_BadAllowedHostsAndOrigins_Exits2NamingTheVariables()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("pipelines"));
        using var _ = EnvironmentScope.Without(Variables);
        using var settings = EnvironmentScope.Set(("MLOPS_ALLOWED_HOSTS", "https://mlops.example.com"), ("MLOPS_ALLOWED_ORIGINS", "mlops.example.com"));
        var result = await CliRun.RunAsync("serve", "--home", folder.Combine("home"), "--data-root", folder.Path,
            "--pipelines", folder.Combine("pipelines"), "--urls", "http://127.0.0.1:0");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("'https://mlops.example.com' in MLOPS_ALLOWED_HOSTS is not a host name"));
            Assert.That(result.Stderr, Does.Contain("'mlops.example.com' in MLOPS_ALLOWED_ORIGINS is not a web origin"));
        });
    }

    [Test]
    public async Task Serve_AllowedHostsFromTheEnvironment_AnswersToThemAndNoOthers()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("pipelines"));
        using var _ = EnvironmentScope.Without(Variables);
        using var settings = EnvironmentScope.Set(("MLOPS_ALLOWED_HOSTS", "mlops.test; *.corp.test"));
        using var stdout = new StringWriter(new StringBuilder());
        using var stop = new CancellationTokenSource();
        var serving = MlOpsCli.RunAsync(
            ["serve", "--home", folder.Combine("home"), "--data-root", folder.Path, "--pipelines", folder.Combine("pipelines"), "--urls", "http://127.0.0.1:0"],
            TextWriter.Synchronized(stdout), TextWriter.Null, stop.Token);

        var health = new Uri((await WaitForLineAsync(stdout, "dashboard: ", serving)).Replace("/hangfire", "/health", StringComparison.Ordinal));
        using var client = new HttpClient();
        var statuses = new Dictionary<string, int>();
        foreach (var host in new[] { "mlops.test", "ml.corp.test", "evil.test" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, health);
            request.Headers.Host = $"{host}:{health.Port}";
            using var response = await client.SendAsync(request);
            statuses[host] = (int)response.StatusCode;
        }

        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EqualTo(new Dictionary<string, int> { ["mlops.test"] = 200, ["ml.corp.test"] = 200, ["evil.test"] = 400 }));
            Assert.That(stdout.ToString(), Does.Contain("answers to 127.0.0.1, [::1], localhost, mlops.test, *.corp.test;"));
        });
    }

    private static async Task<string> WaitForLineAsync(StringWriter output, string prefix, Task<int> serving)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var line = output.ToString().Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line[prefix.Length..].Trim();
            }

            if (serving.IsCompleted)
            {
                Assert.Fail($"serve ended with {await serving} before printing '{prefix}'\n{output}");
            }

            await Task.Delay(50);
        }

        Assert.Fail($"serve printed no '{prefix}' within 30 s\n{output}");
        return "";
    }
}
