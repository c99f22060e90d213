using System.Net;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary><c>GET /health</c> on the real host.</summary>
public sealed class HealthApiTests
{
    [Test]
    public async Task Health_EmbeddedStorage_Returns200WithStorageOk()
    {
        var (status, body) = await Serve.GetAsync("/health");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(body!["status"]!.GetValue<string>(), Is.EqualTo("ok"));
            Assert.That(body["storage"]!.GetValue<string>(), Is.EqualTo("ok"));
            Assert.That(body["storageMode"]!.GetValue<string>(), Is.EqualTo("embedded"));
            Assert.That(body["pipelines"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }
}
