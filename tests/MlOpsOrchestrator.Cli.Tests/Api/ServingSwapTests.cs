using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// Serving under <c>serve</c> swaps model versions while requests keep coming: no request fails or waits for a load,
/// and a version whose files cannot be loaded never replaces the one being served.
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
    public async Task Predict_TwentySwapsUnderLoad_NoRequestFailsAndEveryVersionIsServed()
    {
        // A second version with its own copy of the model files, so each swap really loads a model.
        var v2 = await RegisterCopyAsync("swap-copy");
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

        for (var swap = 0; swap < 20; swap++)
        {
            var target = swap % 2 == 0 ? v2.Version : _v1.Version;
            await _registry.MoveAliasAsync(ServeHarness.Pipeline, "production", target, "test", "swap under load", DateTimeOffset.UtcNow, CancellationToken.None);
            await Task.Delay(150);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        TestContext.Out.WriteLine($"{requests} requests during 20 swaps; served versions: {string.Join(", ", versions.Select(v => $"v{v.Key} x{v.Value}"))}");
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
        var served = await PredictAsync();
        Assert.That(served, Is.EqualTo(_v1.Version.ToString(CultureInfo.InvariantCulture)));

        var broken = await RegisterCopyAsync("broken-copy", corrupt: true);
        await _registry.MoveAliasAsync(ServeHarness.Pipeline, "production", broken.Version, "test", "a bad artifact", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.That(await PredictAsync(), Is.EqualTo(_v1.Version.ToString(CultureInfo.InvariantCulture)), "the version that cannot load never replaces the served one");
    }

    private async Task<string> PredictAsync()
    {
        using var response = await _serve.Client.PostAsync($"/api/models/{ServeHarness.Pipeline}/predict", new StringContent(Customer, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("X-Model-Version").Single();
    }

    /// <summary>Registers a new version whose model zip is a copy of version 1's (or garbage, to test a failed load).</summary>
    private async Task<ModelVersion> RegisterCopyAsync(string runId, bool corrupt = false)
    {
        var artifacts = _serve.Services.GetRequiredService<IArtifactStore>();
        var path = $"runs/{runId}/train/model.zip";
        var source = artifacts.PathOf(_v1.ArtifactPath);
        await artifacts.WriteAsync(path, async (stream, ct) =>
        {
            if (corrupt)
            {
                await stream.WriteAsync("not a model"u8.ToArray(), ct);
            }
            else
            {
                await using var input = File.OpenRead(source);
                await input.CopyToAsync(stream, ct);
            }
        }, CancellationToken.None);
        return await _registry.RegisterAsync(_v1 with { RunId = runId, ArtifactPath = path, CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
    }
}
