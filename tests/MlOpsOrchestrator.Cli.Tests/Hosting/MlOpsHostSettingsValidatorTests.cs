using MlOpsOrchestrator.Cli.Hosting;
using MlOpsOrchestrator.Cli.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Hosting;

/// <summary>The start-up check of host settings: every problem, each saying what to do.</summary>
public sealed class MlOpsHostSettingsValidatorTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        Directory.CreateDirectory(_folder.Combine("pipelines"));
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void Validate_DefaultsOnExistingFolders_NoProblems() =>
        Assert.That(MlOpsHostSettingsValidator.Validate(Serve()), Is.Empty);

    [TestCase(null, null, true)]
    [TestCase("debug", "json", true)]
    [TestCase("Warning", "TEXT", true)]
    [TestCase("info", "", true)]
    [TestCase("loud", null, false)]
    [TestCase(null, "xml", false)]
    public void Validate_LogLevelAndFormat_UnknownValueNamesTheVariable(string? level, string? format, bool valid)
    {
        var problems = MlOpsHostSettingsValidator.Validate(Serve() with { LogLevel = level, LogFormat = format });
        Assert.That(problems, valid ? Is.Empty : Has.One.Contains(level is "loud" ? "MLOPS_LOG_LEVEL='loud'" : "MLOPS_LOG_FORMAT='xml'"));
    }

    [TestCase("http://127.0.0.1:5080", true)]
    [TestCase("http://0.0.0.0:8080", true)]
    [TestCase("http://*:8080", true)]
    [TestCase("http://+:8080", true)]
    [TestCase("http://[::1]:0", true)]
    [TestCase("https://localhost:5443", true)]
    [TestCase("localhost:5080", false)]
    [TestCase("ftp://127.0.0.1:21", false)]
    [TestCase("http://127.0.0.1:5080/api", false)]
    [TestCase("5080", false)]
    public void Validate_Url_AcceptedOnlyWhenKestrelCanListenOnIt(string url, bool valid)
    {
        var problems = MlOpsHostSettingsValidator.Validate(Serve() with { Urls = [url] });
        Assert.That(problems, valid ? Is.Empty : Has.One.Contains($"'{url}'"));
    }

    [TestCase("mlops.example.com", true)]
    [TestCase("*.example.com", true)]
    [TestCase("*", true)]
    [TestCase("10.1.2.3", true)]
    [TestCase("[fd00::5]", true)]
    [TestCase("http://mlops.example.com", false)]
    [TestCase("mlops.example.com:5080", false)]
    [TestCase("mlops example", false)]
    public void Validate_AllowedHost_AcceptedOnlyAsAHostName(string host, bool valid)
    {
        var problems = MlOpsHostSettingsValidator.Validate(Serve() with { AllowedHosts = [host] });
        Assert.That(problems, valid ? Is.Empty : Has.One.Contains($"'{host}' in MLOPS_ALLOWED_HOSTS"));
    }

    [TestCase("https://mlops.example.com", true)]
    [TestCase("http://127.0.0.1:8080", true)]
    [TestCase("https://mlops.example.com/", true)]
    [TestCase("mlops.example.com", false)]
    [TestCase("https://mlops.example.com/hangfire", false)]
    [TestCase("ftp://mlops.example.com", false)]
    [TestCase("null", false)]
    public void Validate_AllowedOrigin_AcceptedOnlyAsSchemeHostPort(string origin, bool valid)
    {
        var problems = MlOpsHostSettingsValidator.Validate(Serve() with { AllowedOrigins = [origin] });
        Assert.That(problems, valid ? Is.Empty : Has.One.Contains($"'{origin}' in MLOPS_ALLOWED_ORIGINS"));
    }

    [Test]
    public void Validate_ManyProblems_ListsEveryOne()
    {
        var settings = Serve() with
        {
            PipelinesFolder = _folder.Combine("missing"),
            DataRoot = _folder.Combine("no-data"),
            Urls = ["nowhere"],
            Postgres = "Host='db;Password=unterminated",
            Queues = ["Default"],
            WorkerCount = 0,
        };
        var problems = MlOpsHostSettingsValidator.Validate(settings);
        Assert.That(problems, Has.Count.EqualTo(6), string.Join("\n", problems));
    }

    [Test]
    public void Validate_HomeIsAFile_SaysItIsNotWritable()
    {
        var file = _folder.Write("home", "not a folder");
        Assert.That(MlOpsHostSettingsValidator.Validate(Serve() with { Home = file }), Has.One.Contains("is not writable").And.Contains("MLOPS_HOME"));
    }

    [Test]
    public void Validate_WorkerWithoutPostgres_ExplainsWhy() =>
        Assert.That(MlOpsHostSettingsValidator.Validate(Serve() with { Role = HostRole.Worker, PipelinesFolder = _folder.Combine("missing") }),
            Is.EqualTo(new[] { "mlops worker needs PostgreSQL: with the embedded default the queue lives in the memory of the 'mlops serve' process and no other process can take work from it; set MLOPS_POSTGRES or pass --postgres (or run 'mlops serve' alone)" }),
            "a worker has no pipelines folder to check");

    private MlOpsHostSettings Serve() => new()
    {
        Role = HostRole.Serve,
        Home = _folder.Combine("home"),
        DataRoot = _folder.Path,
        PipelinesFolder = _folder.Combine("pipelines"),
    };
}
