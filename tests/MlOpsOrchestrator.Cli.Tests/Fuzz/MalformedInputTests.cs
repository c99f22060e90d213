using System.Net;
using System.Text;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>
/// Malformed requests a careless or hostile client sends, each once: a 4xx naming the field, nothing stored. Run on
/// both storages: a NUL only reaches an error of the database on PostgreSQL.
/// </summary>
[TestFixture(FuzzStorage.Embedded)]
[TestFixture(FuzzStorage.PostgreSql)]
[NonParallelizable]
public sealed class MalformedInputTests(FuzzStorage storage)
{
    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";
    private const string Row = """ "tenure_months": 2, "monthly_charges": 95.5, "payment": "check", "support_calls": 6, "outages": 4, "last_note": "outage again" """;
    private FuzzHost _host = null!;
    private string _before = "";

    [SetUp]
    public async Task TakeSnapshot()
    {
        _host = await FuzzHost.GetAsync(storage);
        _before = await _host.SnapshotAsync();
    }

    [TestCase("/api/pipelines/churn-api/runs", """{ "mode": "\udfff" }""", "mode")]
    [TestCase("/api/pipelines/churn-api/runs", """{ "mode": "full", "params": { "reason": "\ud800" } }""", "params.reason")]
    [TestCase("/api/pipelines/churn-api/runs", """{ "params": { "": "\u0000" } }""", "params[\\\"\\\"]")] // as the JSON answer escapes it: params[""]
    [TestCase("/api/pipelines/churn-api/runs", """{ "params": { "": "x" } }""", "parameter name")]
    [TestCase("/api/pipelines/churn-api/runs", """{ "params": { "a b": "x" } }""", "parameter name")]
    [TestCase("/api/pipelines/churn-api/runs", """{ "params": { "note": "a\u0000b" } }""", "params.note")]
    [TestCase("/api/pipelines/churn-api/runs", """{ "params": { "\udc00": "x" } }""", "params")]
    [TestCase("/api/runs/{waiting}/steps/deploy/reject", """{ "reason": "\udfff" }""", "reason")]
    [TestCase("/api/runs/{waiting}/steps/deploy/reject", """{ "reason": "stop\u0000" }""", "reason")]
    [TestCase("/api/runs/{waiting}/steps/deploy/approve", """{ "by": "\ud800\ud800" }""", "by")]
    [TestCase("/api/models/churn-api/predict", $$"""{ "contract": "\udfff", {{Row}} }""", "contract")]
    [TestCase("/api/models/churn-api/predict", $$"""{ "contract": "monthly", "\udfff": 1, {{Row}} }""", "a field name")]
    [TestCase("/api/models/churn-api/predict", $$"""[{ "contract": "a\u0000", {{Row}} }]""", "[0].contract")]
    public async Task JsonStringThatIsNotText_Returns400NamingTheField(string path, string body, string field)
    {
        var (status, text) = await _host.SendAsync(HttpMethod.Post, Path(path), Encoding.UTF8.GetBytes(body), Json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.Contain(field.Contains(' ', StringComparison.Ordinal) ? field : "'" + field));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(_before), "nothing written");
    }

    [TestCase("/api/pipelines/churn-api/runs", "mode")]
    [TestCase("/api/runs/{waiting}/steps/deploy/reject", "reason")]
    [TestCase("/api/models/churn-api/predict", "contract")]
    public async Task InvalidUtf8InAJsonString_Returns400(string path, string field)
    {
        var body = Encoding.UTF8.GetBytes($"{{ \"{field}\": \"x\u00ff\" }}");
        var at = Array.IndexOf(body, (byte)0xC3);
        body[at] = 0xFF; // A byte that never starts a UTF-8 sequence.
        var (status, text) = await _host.SendAsync(HttpMethod.Post, Path(path), body, Json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(_before), "nothing written");
    }

    [Test]
    public async Task PredictNumberBeyondDouble_Returns400NamingTheField()
    {
        var body = """{ "contract": "monthly", "tenure_months": 2, "monthly_charges": 1e400, "payment": "check", "support_calls": 6, "outages": 4, "last_note": "x" }""";
        var (status, text) = await _host.SendAsync(HttpMethod.Post, "/api/models/churn-api/predict", Encoding.UTF8.GetBytes(body), Json);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.Contain("monthly_charges: is out of range"));
    }

    [TestCase("/api/runs?pipeline=%00", "pipeline")]
    [TestCase("/api/runs?pipeline=a%01b", "pipeline")]
    [TestCase("/api/runs/%00", "")]
    [TestCase("/api/runs/a%01b", "'id'")]
    [TestCase("/api/runs/a%00b/steps/deploy/approve", "")]
    [TestCase("/api/runs/a%1Bb/steps/deploy/approve", "'id'")]
    [TestCase("/api/pipelines/%7F", "'name'")]
    [TestCase("/api/models/%0A", "'name'")]
    [TestCase("/api/models/churn-api/predict?alias=%00", "alias")]
    [TestCase("/hangfire/runs?pipeline=%00", "pipeline")]
    [TestCase("/hangfire/runs/%00", "")]
    [TestCase("/hangfire/models/%00", "")]
    public async Task NulInPathOrQuery_Returns400(string path, string field)
    {
        var method = path.EndsWith("/approve", StringComparison.Ordinal) || path.Contains("/predict", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        var (status, text) = await _host.SendAsync(method, path, method == HttpMethod.Post ? "{}"u8.ToArray() : null, Json, browser: path.StartsWith("/hangfire", StringComparison.Ordinal));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.Contain(field));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(_before), "nothing written");
    }

    [TestCase("reject", "reason", "stop%00now")]
    [TestCase("reject", "reason", "stop%01now")]
    [TestCase("reject", "reason", "stop\u00FFnow")]
    [TestCase("approve", "note", "%00")]
    [TestCase("reject", "__RequestVerificationToken", "%00")]
    public async Task NulInADashboardFormValue_Returns400AndDecidesNothing(string decision, string field, string encoded)
    {
        var token = Uri.EscapeDataString(await _host.AntiforgeryTokenAsync());
        var form = field == "__RequestVerificationToken" ? $"{field}={encoded}" : $"{field}={encoded}&__RequestVerificationToken={token}";
        var (status, text) = await _host.SendAsync(HttpMethod.Post, $"/hangfire/runs/{_host.WaitingRunId}/steps/deploy/{decision}", Encoding.Latin1.GetBytes(form), Form, browser: true);
        Assert.That((int)status, Is.InRange(400, 499), text);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(_before), "nothing written");
    }

    [TestCase("%00", "1")]
    [TestCase("production", "1%00")]
    [TestCase("'; drop table model_aliases; --", "1")]
    public async Task MalformedPromoteForm_Returns400AndMovesNoAlias(string alias, string version)
    {
        var token = Uri.EscapeDataString(await _host.AntiforgeryTokenAsync());
        var form = $"alias={Uri.EscapeDataString(Uri.UnescapeDataString(alias))}&version={version}&__RequestVerificationToken={token}";
        var (status, text) = await _host.SendAsync(HttpMethod.Post, $"/hangfire/models/{FuzzHost.Model}/promote", Encoding.ASCII.GetBytes(form), Form, browser: true);
        Assert.That((int)status, Is.InRange(400, 499), text);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(_before), "nothing written");
    }

    private string Path(string template) => template.Replace("{waiting}", _host.WaitingRunId, StringComparison.Ordinal);
}
