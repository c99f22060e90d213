using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Api;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// Serving under <c>serve</c> swaps model versions while requests keep coming: a moved alias is served within seconds
/// (the cache refreshes every second), no request fails or waits for a load, and a version whose files cannot be
/// loaded never replaces the one being served.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ServingSwapTests
{
    private const string Customer =
        """{ "tenure_months": 2, "monthly_charges": 95.5, "contract": "monthly", "payment": "check", "support_calls": 6, "outages": 4, "last_note": "third outage this week" }""";

    private ServeHarness _serve = null!;
    private IModelRegistry _registry = null!;
    private ModelVersion _v1 = null!;

    [OneTimeSetUp]
    public async Task DeployOneVersion()
    {
        _serve = await ServeHarness.StartAsync();
        var runId = await _serve.RunToApprovalAsync();
        var (status, _) = await _serve.PostAsync($"/api/runs/{runId}/steps/deploy/approve", "{}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted).Or.EqualTo(HttpStatusCode.OK));
        await _serve.WaitForRunAsync(runId, "succeeded");
        _registry = _serve.Services.GetRequiredService<IModelRegistry>();
        _v1 = (await _registry.ListVersionsAsync(ServeHarness.Pipeline, CancellationToken.None)).Single();
    }

    [OneTimeTearDown]
    public async Task Stop() => await _serve.DisposeAsync();

    [Test]
    public async Task Predict_SwapsUnderLoad_NoRequestFailsAndEveryMoveIsServedWithinSeconds()
    {
        // A second version with its own copy of the model files, so each swap really loads a model.
        var v2 = await ModelVersionCopies.RegisterAsync(_serve.Services, _v1, "swap-copy");
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentBag<string>();
        var versions = new ConcurrentDictionary<string, int>();
        var requests = 0;
        var load = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = _serve.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync($"/api/models/{ServeHarness.Pipeline}/predict", new StringContent(Customer, Encoding.UTF8, "application/json"));
                Interlocked.Increment(ref requests);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
                else if (response.Headers.TryGetValues("X-Model-Version", out var served))
                {
                    versions.AddOrUpdate(served.Single(), 1, (_, n) => n + 1);
                }
            }
        })).ToList();

        var pickedUp = new List<TimeSpan>();
        for (var swap = 0; swap < 6; swap++)
        {
            var target = swap % 2 == 0 ? v2.Version : _v1.Version;
            await _registry.MoveAliasAsync(ServeHarness.Pipeline, "production", target, "test", "swap under load", DateTimeOffset.UtcNow, CancellationToken.None);
            pickedUp.Add(await WaitUntilServedAsync(target));
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        TestContext.Out.WriteLine($"{requests} requests during 6 swaps, each served after {string.Join(", ", pickedUp.Select(t => $"{t.TotalMilliseconds:0} ms"))}; served versions: {string.Join(", ", versions.Select(v => $"v{v.Key} x{v.Value}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(5)));
            Assert.That(requests, Is.GreaterThan(100));
            Assert.That(versions.Keys, Is.SupersetOf(new[] { _v1.Version.ToString(CultureInfo.InvariantCulture), v2.Version.ToString(CultureInfo.InvariantCulture) }));
        }
    }

    [Test]
    public async Task Predict_AliasMovedToAVersionThatCannotLoad_KeepsServingThePreviousVersion()
    {
        await _registry.MoveAliasAsync(ServeHarness.Pipeline, "production", _v1.Version, "test", "baseline", DateTimeOffset.UtcNow, CancellationToken.None);
        await WaitUntilServedAsync(_v1.Version);

        var broken = await ModelVersionCopies.RegisterAsync(_serve.Services, _v1, "broken-copy", corrupt: true);
        await _registry.MoveAliasAsync(ServeHarness.Pipeline, "production", broken.Version, "test", "a bad artifact", DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(ScorerCache.RefreshInterval * 3); // Several refreshes see the move and fail to load it.

        Assert.That(await PredictAsync(), Is.EqualTo(_v1.Version.ToString(CultureInfo.InvariantCulture)), "the version that cannot load never replaces the served one");
    }

    private async Task<string> PredictAsync()
    {
        using var response = await _serve.Client.PostAsync($"/api/models/{ServeHarness.Pipeline}/predict", new StringContent(Customer, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("X-Model-Version").Single();
    }

    /// <summary>How long after the alias moved <paramref name="version"/> answered; fails after 10 s (refresh every second, plus the load).</summary>
    private async Task<TimeSpan> WaitUntilServedAsync(int version)
    {
        var expected = version.ToString(CultureInfo.InvariantCulture);
        var started = Stopwatch.StartNew();
        while (await PredictAsync() != expected)
        {
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), $"version {version} was not served within 10 s of the alias move");
            await Task.Delay(50);
        }

        return started.Elapsed;
    }
}
