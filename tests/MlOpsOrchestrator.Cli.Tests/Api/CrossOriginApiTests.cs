using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MlOpsOrchestrator.Cli.Tests.Hosting;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Api.ApiSetUp;

namespace MlOpsOrchestrator.Cli.Tests.Api;

/// <summary>
/// What a web page on another origin can make the operator's browser do to a loopback <c>serve</c>, sent here as the
/// browser would send it (an <c>Origin</c>, <c>Sec-Fetch-Site</c>, a "simple" content type, a rebound <c>Host</c>):
/// nothing that changes state, and nothing read under a host name the server was not configured with. Clients
/// without an <c>Origin</c> (curl, HttpClient) and callers with a token keep working.
/// </summary>
public sealed class CrossOriginApiTests
{
    private const string Evil = "http://evil.example";

    private string _waiting = null!;

    [OneTimeSetUp]
    public async Task RunToApproval()
    {
        _waiting = await Serve.RunToApprovalAsync();
    }

    [OneTimeTearDown]
    public async Task RejectTheWaitingRun()
    {
        await Serve.PostAsync($"/api/runs/{_waiting}/steps/deploy/reject", """{ "reason": "cross-origin tests are done" }""");
    }

    private string Approve => $"/api/runs/{_waiting}/steps/deploy/approve";

    private static string StartRun => $"/api/pipelines/{ServeHarness.Pipeline}/runs";

    [Test]
    public async Task Approve_TextPlainFromForeignOrigin_RefusedAndStepStillWaits()
    {
        var answer = await SendAsync(HttpMethod.Post, Approve, """{ "by": "mallory" }""", "text/plain;charset=UTF-8", origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        Assert.That(answer.Text, Does.Contain(Evil).And.Contain("MLOPS_ALLOWED_ORIGINS"));
        await AssertStillWaitingAsync();
    }

    [Test]
    public async Task Approve_JsonFromForeignOrigin_RefusedAndStepStillWaits()
    {
        var answer = await SendAsync(HttpMethod.Post, Approve, "{}", "application/json", origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        await AssertStillWaitingAsync();
    }

    [Test]
    public async Task Approve_TextPlainWithoutOrigin_Returns415SayingWhatToSend()
    {
        var answer = await SendAsync(HttpMethod.Post, Approve, "{}", "text/plain", origin: null);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), answer.Text);
        Assert.That(answer.Text, Does.Contain("Content-Type: application/json"));
        await AssertStillWaitingAsync();
    }

    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    [TestCase("text/plain")]
    public async Task StartRun_SimpleContentTypeWithoutOrigin_Returns415AndStartsNothing(string contentType)
    {
        var before = await RunCountAsync();
        var answer = await SendAsync(HttpMethod.Post, StartRun, """{ "mode": "full" }""", contentType, origin: null);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), answer.Text);
        Assert.That(await RunCountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task StartRun_NoBodyFromForeignOrigin_RefusedAndStartsNothing()
    {
        var before = await RunCountAsync();
        var answer = await SendAsync(HttpMethod.Post, StartRun, null, null, origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        Assert.That(await RunCountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task StartRun_TextPlainFromForeignOrigin_RefusedAndStartsNothing()
    {
        var before = await RunCountAsync();
        var answer = await SendAsync(HttpMethod.Post, StartRun, """{ "mode": "full" }""", "text/plain", origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        Assert.That(await RunCountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task StartRun_CrossSiteFetchWithoutOrigin_RefusedAndStartsNothing()
    {
        var before = await RunCountAsync();
        var answer = await SendAsync(HttpMethod.Post, StartRun, null, null, origin: null, secFetchSite: "cross-site");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        Assert.That(await RunCountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Predict_TextPlainFromForeignOrigin_Refused()
    {
        var answer = await SendAsync(HttpMethod.Post, $"/api/models/{ServeHarness.Pipeline}/predict", "{}", "text/plain", origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
    }

    [Test]
    public async Task ForeignOrigin_WithApiToken_PassesTheOriginRule()
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/runs/no-such-run/steps/deploy/approve", "{}", "application/json", origin: Evil, token: ServeHarness.ApiToken);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NotFound), "past the origin rule, the run is simply unknown: " + answer.Text);
    }

    [Test]
    public async Task OwnOrigin_PassesTheOriginRule()
    {
        var own = Serve.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var answer = await SendAsync(HttpMethod.Post, "/api/runs/no-such-run/steps/deploy/approve", "{}", "application/json", origin: own);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NotFound), answer.Text);
    }

    [Test]
    public async Task AllowedOrigin_PassesTheOriginRule()
    {
        var answer = await SendAsync(HttpMethod.Post, "/api/runs/no-such-run/steps/deploy/approve", "{}", "application/json", origin: ServeHarness.AllowedOrigin);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.NotFound), answer.Text);
    }

    [Test]
    public async Task Read_FromForeignOrigin_AnsweredWithoutCorsHeaders()
    {
        var answer = await SendAsync(HttpMethod.Get, "/api/runs", null, null, origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Text);
        Assert.That(answer.Headers.ContainsKey("Access-Control-Allow-Origin"), Is.False, "the browser keeps the answer from the foreign page");
    }

    [TestCase("/api/runs")]
    [TestCase("/health")]
    [TestCase("/hangfire/runs")]
    public async Task Get_ForeignHost_Returns400AndReadsNothing(string path)
    {
        var answer = await SendAsync(HttpMethod.Get, path, null, null, origin: null, host: "evil.example");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), answer.Text);
        Assert.That(answer.Text, Does.Contain("evil.example").And.Contain("MLOPS_ALLOWED_HOSTS").And.Not.Contain(ServeHarness.Pipeline));
    }

    [Test]
    public async Task Approve_ForeignHost_Returns400AndStepStillWaits()
    {
        var answer = await SendAsync(HttpMethod.Post, Approve, "{}", "application/json", origin: null, host: "evil.example");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest), answer.Text);
        await AssertStillWaitingAsync();
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    [TestCase("LOCALHOST")]
    [TestCase(ServeHarness.AllowedHost)]
    public async Task Get_LoopbackOrAllowedHost_Answers(string host)
    {
        var answer = await SendAsync(HttpMethod.Get, "/api/runs", null, null, origin: null, host: host);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Text);
    }

    [Test]
    public async Task Health_Http10WithoutHost_Answers200LikeTheContainerHealthCheck()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Serve.Client.BaseAddress!.Host, Serve.Client.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.0\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();

        Assert.That(statusLine, Does.Contain(" 200 "));
    }

    [Test]
    public async Task DashboardApprove_FormFromForeignOrigin_RefusedAndStepStillWaits()
    {
        var answer = await SendAsync(HttpMethod.Post, $"/hangfire/runs/{_waiting}/steps/deploy/approve", "x=1", "application/x-www-form-urlencoded", origin: Evil);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.Forbidden), answer.Text);
        await AssertStillWaitingAsync();
    }

    private async Task AssertStillWaitingAsync()
    {
        var (status, run) = await Serve.GetAsync($"/api/runs/{_waiting}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var deploy = run!["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "deploy")!;
        Assert.Multiple(() =>
        {
            Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("awaiting_approval"), run.ToJsonString());
            Assert.That(deploy["decidedBy"], Is.Null, run.ToJsonString());
        });
    }

    private static async Task<int> RunCountAsync()
    {
        var (status, runs) = await Serve.GetAsync($"/api/runs?pipeline={ServeHarness.Pipeline}&limit=500");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        return runs!.AsArray().Count;
    }

    /// <summary>
    /// Sends a request as a browser page would (or a CLI client, without <paramref name="origin"/>). <paramref name="host"/>
    /// is the Host header's name (the port stays the server's), as a DNS-rebound page would send it.
    /// </summary>
    private static async Task<RawAnswer> SendAsync(
        HttpMethod method, string path, string? body, string? contentType, string? origin, string? secFetchSite = null, string? token = null, string? host = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (secFetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        }

        if (token is not null)
        {
            request.Headers.Add(ServeHarness.RemoteHeader, ServeHarness.RemoteAddress);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (host is not null)
        {
            request.Headers.Host = $"{host}:{Serve.Client.BaseAddress!.Port}";
        }

        return await Serve.SendRawAsync(request);
    }
}
