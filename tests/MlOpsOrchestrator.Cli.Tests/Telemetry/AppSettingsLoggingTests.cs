using System.Net;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Telemetry;

/// <summary>
/// The log levels change without a rebuild from an <c>appsettings.json</c> in the working folder of a real
/// <c>mlops serve</c>, as docs/operations.md "Logs" shows: its <c>Serilog</c> section lowers the default level to
/// Debug, so the (otherwise quiet) request line of a <c>/metrics</c> scrape is logged.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AppSettingsLoggingTests
{
    [Test]
    public async Task Serve_AppSettingsInTheWorkingFolder_SetsTheSerilogLevel()
    {
        using var folder = new TempFolder();
        var pipelines = TelemetryPipelines.Prepare(folder);
        await File.WriteAllTextAsync(folder.Combine("appsettings.json"), """
            {
              "Serilog": {
                "MinimumLevel": { "Default": "Debug" }
              }
            }
            """);
        await using var serve = await ServeProcess.StartAsync("serve", folder.Path, new Dictionary<string, string>(),
            "--home", folder.Combine("home"), "--pipelines", pipelines, "--data-root", folder.Path);

        using (var scrape = await serve.Http.GetAsync(new Uri("metrics", UriKind.Relative)))
        {
            Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var logged = false;
        for (var i = 0; i < 50 && !logged; i++)
        {
            logged = serve.Process.StderrLines("DBG]").Any(l => l.Contains("/metrics", StringComparison.Ordinal));
            if (!logged)
            {
                await Task.Delay(100);
            }
        }

        Assert.That(logged, Is.True, serve.Output);
    }
}
