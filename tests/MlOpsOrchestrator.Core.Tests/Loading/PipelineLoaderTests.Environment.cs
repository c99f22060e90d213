using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary><c>${env:NAME}</c>: replaced at load time, a missing variable is an error, and a value is never printed.</summary>
public sealed partial class PipelineLoaderTests
{
    /// <summary>Invalid as every kind of value, so each row below produces an error.</summary>
    private const string Secret = "Hunter2!";

    private const string PostgresPipeline = """
        version: 1
        name: rides
        data:
          source:
            type: postgres
            connection: ${env:FEATURES_PG}
            query: select * from rides where region = '${env:REGION}'
          label: count
        steps:
          - id: prep
            kind: data_prep

        """;

    [Test]
    public void LoadFile_EnvReferences_ReplacedByTheirValues()
    {
        _workspace.Environment["FEATURES_PG"] = "Host=db;Password=s3cret";
        _workspace.Environment["REGION"] = "north";

        var source = _workspace.Load(PostgresPipeline).Definition!.Spec.Data.Source;

        Assert.Multiple(() =>
        {
            Assert.That(source.Connection, Is.EqualTo("Host=db;Password=s3cret"));
            Assert.That(source.Query, Is.EqualTo("select * from rides where region = 'north'"));
        });
    }

    [Test]
    public void LoadFile_MissingEnvVariable_ErrorNamesItOnItsLine()
    {
        _workspace.Environment["REGION"] = "north";

        var errors = _workspace.Load(PostgresPipeline).Errors;

        Assert.That(errors, Has.Some.Matches<PipelineError>(e =>
            e!.Line == 6 && e.Message.StartsWith("environment variable 'FEATURES_PG' is not set", StringComparison.Ordinal)));
    }

    [Test]
    public void LoadFile_MissingEnvVariable_OnlyThatErrorWithItsYamlPath()
    {
        // Today the empty substitute also reports "missing required key 'connection'", and the error has no YAML path.
        _workspace.Environment["REGION"] = "north";

        var errors = _workspace.Load(PostgresPipeline).Errors;

        Assert.That(errors.Select(e => $"{e.Path}: {e.Message}"), Is.EqualTo(new[]
        {
            "data.source.connection: environment variable 'FEATURES_PG' is not set; set it before loading, or replace ${env:FEATURES_PG} with a value",
        }));
    }

    private const string SourceLine = "  source: { type: csv, path: data/churn.csv }";

    [TestCase("version: 1", "version: ${env:SECRET}")]
    [TestCase("name: churn", "name: churn\nconcurrency: ${env:SECRET}")]
    [TestCase("    task: binary", "    task: ${env:SECRET}")]
    [TestCase("    trainer: fast_tree", "    trainer: fast_tree\n    seed: ${env:SECRET}")]
    [TestCase("name: churn", "name: churn\ntimezone: ${env:SECRET}")]
    [TestCase("name: churn", "name: churn\ntriggers:\n  - id: nightly\n    cron: ${env:SECRET}")]
    [TestCase("name: churn", "name: ${env:SECRET}")]
    [TestCase(SourceLine, "  source:\n    type: csv\n    path: ${env:SECRET}")]
    [TestCase(SourceLine, "  source:\n    type: csv\n    path: data/churn.csv\n    separator: ${env:SECRET}")]
    [TestCase("  label: churned", "  label: ${env:SECRET}")]
    [TestCase("    trainer: fast_tree", "    trainer: ${env:SECRET}")]
    [TestCase("    trainer: fast_tree", "    trainer: fast_tree\n    features: [age, \"${env:SECRET}\"]")]
    [TestCase("    trainer: fast_tree", "    trainer: fast_tree\n    options:\n      learning_rate: ${env:SECRET}")]
    public void LoadFile_InvalidValueFromTheEnvironment_ErrorNeverShowsTheValue(string find, string replace)
    {
        _workspace.Environment["SECRET"] = Secret;

        var errors = _workspace.Load(SampleYaml.Minimal.Replace(find, replace, StringComparison.Ordinal)).Errors;

        Assert.That(errors, Is.Not.Empty);
        Assert.That(errors.Select(e => e.ToString()), Has.None.Contains(Secret));
    }

    [Test]
    public void LoadFile_ValidCronFromTheEnvironment_MaturityNeverShowsTheValue()
    {
        // The maturity lines (printed by 'mlops plan') quote the cron expression, wherever it came from.
        _workspace.Environment["NIGHTLY_CRON"] = "0 0 3 * * ?";
        var yaml = SampleYaml.Minimal + """
            triggers:
              - id: nightly
                cron: ${env:NIGHTLY_CRON}
            """;

        var maturity = _workspace.Load(yaml).Definition!.Maturity;

        Assert.That(maturity.Held.Concat(maturity.Blockers), Has.None.Contains("0 0 3 * * ?"));
    }

    [Test]
    public void LoadFile_EnvReferences_RedactorHidesEachValueAndTheConnectionStringsParts()
    {
        _workspace.Environment["FEATURES_PG"] = "Host=db.internal;Username=etl_reader;Password=s3cret-pw;Database=features_wh";
        _workspace.Environment["REGION"] = "north-east";

        var redactor = _workspace.Load(PostgresPipeline).Redactor;

        Assert.Multiple(() =>
        {
            Assert.That(redactor.Redact("3D000: database \"features_wh\" does not exist"), Is.EqualTo("3D000: database \"(value of ${env:FEATURES_PG})\" does not exist"));
            Assert.That(redactor.Redact("28000: role \"etl_reader\" does not exist"), Is.EqualTo("28000: role \"(value of ${env:FEATURES_PG})\" does not exist"));
            Assert.That(redactor.Redact("no rows for north-east"), Is.EqualTo("no rows for (value of ${env:REGION})"));
        });
    }
}
