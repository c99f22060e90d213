using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// Headless Chromium from the distribution's package (Debian: <c>apt-get install chromium</c>), driven by Playwright's
/// bundled driver. Playwright's own browser download is never used. A missing browser follows the policy of every
/// external dependency (<see cref="TestAvailability"/>): the test fails on CI and is skipped elsewhere.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    /// <summary>Points at another Chromium or Chrome executable (e.g. on a machine that is not Debian).</summary>
    public const string EnvironmentVariable = "MLOPS_TEST_CHROMIUM";

    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>What works as root in a container: no sandbox, no GPU, nothing that talks to the network on its own.</summary>
    private static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>The executable to drive; fails (CI) or skips (elsewhere) the current test when there is none.</summary>
    public static string Require()
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } overridden ? overridden : DefaultPath;
        if (File.Exists(path))
        {
            return path;
        }

        throw TestAvailability.Unavailable(
            $"Chromium not found at {path}: install it (Debian: apt-get install -y chromium; CI's .ci/run does) or set {EnvironmentVariable}.");
    }

    /// <summary>Starts headless Chromium; Playwright gives it a new, empty profile folder and removes it on close.</summary>
    /// <param name="executable">The browser, from <see cref="Require"/>.</param>
    /// <param name="extraArguments">More switches, e.g. <c>--host-resolver-rules=MAP name 127.0.0.1</c> (still loopback only).</param>
    public static async Task<Chromium> LaunchAsync(string executable, params string[] extraArguments)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = [.. Arguments, .. extraArguments],
                Timeout = 30_000,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
