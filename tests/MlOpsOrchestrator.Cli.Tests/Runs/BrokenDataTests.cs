using System.Globalization;
using System.Text.Json.Nodes;
using MlOpsOrchestrator.Cli.Tests.Support;
using MlOpsOrchestrator.TestSupport;
using Npgsql;
using NUnit.Framework;
using static MlOpsOrchestrator.Cli.Tests.Runs.RunJson;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// Acceptance: "Broken data (wrong column type, missing label column, empty file, all-missing column, label with one
/// class) fails the run at data_prep with a message that names the column or row; the registry is unchanged."
/// <para>
/// The story is a nightly export: the pipeline ran on a good export and deployed version 1; then tonight's export
/// arrives broken and <c>mlops run</c> is started again on the same pipeline. Types are declared in the schema, as a
/// user who knows the export would, so a bad value is an error and not a silently inferred text column.
/// </para>
/// <para>
/// A missing label column in <c>data.source</c> is caught when the pipeline is loaded (the CSV header is checked,
/// exit 2, no run), so a run can only meet it where the columns are not known at load time. These are the paths a
/// user really hits, each tested here: a separate hold-out export (<c>data.test_source</c>, whose header the loader
/// does not check) that comes without the label; a <c>postgres</c> source whose table lost the column upstream; and
/// an export replaced while a run waited for a person to approve its manual data_prep.
/// </para>
/// </summary>
[TestFixture]
[NonParallelizable] // The session removes MLOPS_* variables from the process environment; one test sets CHURN_PG.
public sealed class BrokenDataTests
{
    private const string Model = "churn-export";

    private CliSession _session = null!;
    private string _pipeline = null!;
    private string _holdoutPipeline = null!;
    private string _registryBefore = null!;
    private string _firstRun = null!;

    public static IEnumerable<TestCaseData> BrokenExports()
    {
        yield return Case(
            "wrong type: 'abc' in a float column",
            customers: ChurnExport.WithValue(7, 2, "abc"),
            "row 7 (line 8), column 'monthly_charges': 'abc' is not a number");
        yield return Case(
            "wrong type: a fraction in an int column",
            customers: ChurnExport.WithValue(12, 3, "2.5"),
            "row 12 (line 13), column 'support_calls': '2.5' is not a whole number");
        yield return Case(
            "wrong type: a word in the datetime column",
            customers: ChurnExport.WithValue(40, 0, "yesterday"),
            "row 40 (line 41), column 'signup_ts': 'yesterday' is not a date");
        yield return Case(
            "missing label column: the hold-out export comes without it",
            customers: null,
            "test_source: holdout.csv lacks the columns 'churned'",
            holdout: ChurnExport.Without(4));
        yield return Case("empty file", customers: "", "customers.csv is empty");
        yield return Case("header but no rows", customers: ChurnExport.Header + "\n", "customers.csv has no data rows");
        yield return Case(
            "all-missing column",
            customers: ChurnExport.WithColumn(2, ""),
            $"column 'monthly_charges' has no values: it is missing in all {ChurnExport.Rows} rows read");
        yield return Case(
            "label with one class",
            customers: ChurnExport.WithColumn(4, "no"),
            "the positive class 'yes' never appears in the label 'churned'");
        yield return Case(
            "label missing in one row",
            customers: ChurnExport.WithValue(5, 4, ""),
            "the label 'churned' has 1 missing value (row 5");
    }

    [OneTimeSetUp]
    public async Task DeployVersion1FromAGoodExport()
    {
        _session = await CliSession.OpenAsync(StorageEngine.Sqlite);
        _pipeline = _session.Temp.Write("churn-export.yaml", ChurnExport.Pipeline);
        _holdoutPipeline = _session.Temp.Write("churn-export-holdout.yaml", ChurnExport.PipelineWithHoldout);
        WriteGoodExports();
        var (_, run) = await _session.JsonAsync(0, "run", _pipeline);
        Assert.That(ModelRef(run)?["version"]?.GetValue<int>(), Is.EqualTo(1), run.ToJsonString());
        _firstRun = RunId(run);
        _registryBefore = (await _session.ModelsAsync(Model)).ToJsonString();
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _session?.Dispose();

    [TearDown]
    public void RestoreTheGoodExports() => WriteGoodExports();

    [TestCaseSource(nameof(BrokenExports))]
    public async Task Run_BrokenExport_FailsAtDataPrepNamingTheColumnOrRow_RegistryUnchanged(string? customers, string? holdout, string expected)
    {
        var pipeline = _pipeline;
        if (customers is not null)
        {
            _session.Temp.Write("exports/customers.csv", customers);
        }

        if (holdout is not null)
        {
            _session.Temp.Write("exports/holdout.csv", holdout);
            pipeline = _holdoutPipeline;
        }

        var (result, run) = await _session.JsonAsync(1, "run", pipeline);

        await AssertFailedAtPrepAsync(result, run, expected);
    }

    [Test]
    public async Task Run_SeveralBrokenValues_ListsEachWithItsRowAndCountsTheRest()
    {
        var rows = ChurnExport.GoodRows();
        for (var row = 50; row < 60; row++)
        {
            rows[row - 1][2] = "n/a";
        }

        rows[11][3] = "2.5";
        _session.Temp.Write("exports/customers.csv", ChurnExport.Csv(rows));

        var (result, run) = await _session.JsonAsync(1, "run", _pipeline);

        await AssertFailedAtPrepAsync(result, run, "the data has 11 problems");
        var error = Str(Step(run, "prep"), "error");
        Assert.Multiple(() =>
        {
            Assert.That(error, Does.Contain("row 12 (line 13), column 'support_calls'"));
            Assert.That(error, Does.Contain("row 50 (line 51), column 'monthly_charges': 'n/a' is not a number"));
            Assert.That(error, Does.Contain("row 52 (line 53)"));
            Assert.That(error, Does.Contain("… and 7 more bad values in column 'monthly_charges'"));
            Assert.That(error.Split('\n'), Has.Length.LessThanOrEqualTo(21), "a readable message, not one line per bad value");
        });
    }

    [Test]
    public async Task Run_LabelColumnRemovedFromTheSourceFile_IsABadPipelineAtLoadTime_NoRunStarts()
    {
        var (_, runsBefore) = await _session.JsonAsync(0, "runs", Model, "--limit", "1000");
        _session.Temp.Write("exports/customers.csv", ChurnExport.Without(4));

        var result = await _session.RunAsync("run", _pipeline);

        var (_, runsAfter) = await _session.JsonAsync(0, "runs", Model, "--limit", "1000");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("data.label: column 'churned' does not exist in the data"));
            Assert.That(runsAfter.AsArray(), Has.Count.EqualTo(runsBefore.AsArray().Count), "no run is recorded");
        });
        await AssertRegistryUnchangedAsync();
    }

    [Test]
    public async Task Resume_FailedRunAfterTheExportIsFixed_RedoesDataPrepAndDeploysVersion1()
    {
        using var fresh = await CliSession.OpenAsync(StorageEngine.Sqlite);
        var pipeline = fresh.Temp.Write("churn-export.yaml", ChurnExport.Pipeline);
        fresh.Temp.Write("exports/customers.csv", ChurnExport.WithValue(7, 2, "abc"));
        var (_, failed) = await fresh.JsonAsync(1, "run", pipeline);
        var noModel = await fresh.RunAsync("models", Model, "--json");
        Assert.That(noModel.ExitCode, Is.EqualTo(2), $"a failed run registers nothing\n{noModel}");
        fresh.Temp.Write("exports/customers.csv", ChurnExport.Good());

        var (result, resumed) = await fresh.JsonAsync(0, "resume", RunId(failed));

        Assert.Multiple(() =>
        {
            Assert.That(Status(resumed), Is.EqualTo("succeeded"), result.ToString());
            Assert.That(resumed["error"], Is.Null, "the old failure is cleared");
            Assert.That(Attempts(Step(resumed, "prep")), Is.EqualTo(2), "the failed step runs again");
            Assert.That(Step(resumed, "prep")["error"], Is.Null);
            Assert.That(new[] { "train", "evaluate", "deploy" }.Select(s => Attempts(Step(resumed, s))), Is.All.EqualTo(1), "skipped steps run once");
            Assert.That(ModelRef(resumed)?["version"]?.GetValue<int>(), Is.EqualTo(1));
        });
        Assert.That(Versions(await fresh.ModelsAsync(Model)), Is.EqualTo(new[] { 1 }));
    }

    /// <summary>
    /// A person looks at each export before it is used (manual data_prep). While the run waits, the export is replaced
    /// by one without the label column; the approval then runs data_prep on it. Expected: data_prep fails naming the
    /// column, later steps skipped. Today the run fails before any step, with "the pipeline no longer loads", and a
    /// failed run is left with every step still pending (the same happens to <c>mlops resume</c> of a failed run after
    /// the file changed).
    /// </summary>
    [Test]
    public async Task Approve_ManualDataPrepAfterTheExportLostItsLabel_FailsAtDataPrepNamingTheColumn()
    {
        var manual = _session.Temp.Write(
            "churn-export-reviewed.yaml",
            ChurnExport.Pipeline.Replace("{ id: prep, kind: data_prep,", "{ id: prep, kind: data_prep, automated: false,", StringComparison.Ordinal));
        var (_, waiting) = await _session.JsonAsync(3, "run", manual);
        Assert.That(Status(Step(waiting, "prep")), Is.EqualTo("awaiting_approval"));
        _session.Temp.Write("exports/customers.csv", ChurnExport.Without(4));

        var (result, run) = await _session.JsonAsync(1, "approve", RunId(waiting), "prep", "--by", "alice");

        await AssertFailedAtPrepAsync(result, run, "'churned'");
    }

    /// <summary>A warehouse table read with <c>select *</c>: upstream renames the label column; the next run meets it.</summary>
    [Test]
    [Category("Postgres")]
    public async Task Run_PostgresSourceLostTheLabelColumn_FailsAtDataPrepNamingIt_RegistryUnchanged()
    {
        var server = await PostgresTestEnvironment.RequireAsync();
        var database = await server.CreateDatabaseAsync("churn_warehouse");
        await ExecuteAsync(database, CreateCustomersTable());
        using var environment = EnvironmentScope.Set(("CHURN_PG", database));
        var pipeline = _session.Temp.Write("churn-warehouse.yaml", """
            version: 1
            name: churn-warehouse
            data:
              source:
                type: postgres
                connection: ${env:CHURN_PG}
                query: select * from customers order by signup_ts
              timestamp: signup_ts
              label: churned
              schema:
                churned: { type: categorical, positive: "yes" }
            steps:
              - { id: prep, kind: data_prep }
              - { id: train, kind: train, needs: prep, task: binary, trainer: lbfgs_logistic_regression }
              - { id: deploy, kind: deploy, needs: train }

            """);
        var (_, good) = await _session.JsonAsync(0, "run", pipeline);
        Assert.That(ModelRef(good)?["version"]?.GetValue<int>(), Is.EqualTo(1), good.ToJsonString());
        var before = (await _session.ModelsAsync("churn-warehouse")).ToJsonString();
        await ExecuteAsync(database, "alter table customers rename column churned to churn_flag");

        var (result, run) = await _session.JsonAsync(1, "run", pipeline);

        await AssertFailedAtPrepAsync(result, run, "the label column 'churned' is not in the postgres query", registry: ("churn-warehouse", before));
        Assert.That(Str(Step(run, "prep"), "error"), Does.Contain("'churn_flag'"), "the message lists the columns the query returned");
        Assert.That(Str(Step(run, "prep"), "error"), Does.Not.Contain(database), "the connection string never appears");
    }

    private async Task AssertFailedAtPrepAsync(CliResult result, JsonNode run, string expected, (string Name, string Json)? registry = null)
    {
        var prep = Step(run, "prep");
        Assert.Multiple(() =>
        {
            Assert.That(Status(run), Is.EqualTo("failed"), result.ToString());
            Assert.That(Status(prep), Is.EqualTo("failed"), result.ToString());
            Assert.That(prep["error"]?.GetValue<string>(), Does.StartWith("the data has ").And.Contain(expected), result.ToString());
            Assert.That(Attempts(prep), Is.EqualTo(1));
            Assert.That(Str(run, "error"), Does.StartWith("step 'prep' failed: "));
            Assert.That(ModelRef(run), Is.Null);
            Assert.That(result.Stderr, Does.Contain("[prep] failed"));
            AssertRunShape(run);
            foreach (var step in Steps(run).Where(s => Str(s, "id") != "prep"))
            {
                AssertStepShape(step!);
                Assert.That(Status(step!), Is.EqualTo("skipped"), $"{Str(step, "id")}: {result}");
                Assert.That(step!["error"]?.GetValue<string>(), Does.StartWith("not run: upstream step"));
                Assert.That(Attempts(step), Is.EqualTo(0));
                Assert.That(step["startedAt"], Is.Null);
            }
        });

        if (registry is { } expectedRegistry)
        {
            Assert.That((await _session.ModelsAsync(expectedRegistry.Name)).ToJsonString(), Is.EqualTo(expectedRegistry.Json), "the registry is unchanged");
        }
        else
        {
            await AssertRegistryUnchangedAsync();
        }
    }

    private async Task AssertRegistryUnchangedAsync()
    {
        var models = await _session.ModelsAsync(Model);
        Assert.That(models.ToJsonString(), Is.EqualTo(_registryBefore), "the registry is unchanged: same versions, aliases and history");
        Assert.That(Versions(models), Is.EqualTo(new[] { 1 }));
        Assert.That(Str(models["versions"]![0], "runId"), Is.EqualTo(_firstRun));
    }

    private void WriteGoodExports()
    {
        _session.Temp.Write("exports/customers.csv", ChurnExport.Good());
        _session.Temp.Write("exports/holdout.csv", ChurnExport.Csv(ChurnExport.GoodRows(rows: 100, seed: 12)));
    }

    private static TestCaseData Case(string name, string? customers, string expected, string? holdout = null) =>
        new TestCaseData(customers, holdout, expected).SetArgDisplayNames(name);

    private static string CreateCustomersTable()
    {
        var values = ChurnExport.GoodRows().Select(r => string.Create(
            CultureInfo.InvariantCulture,
            $"(timestamptz '{r[0]}+00', '{r[1]}', {r[2]}, {r[3]}, '{r[4]}')"));
        return $"""
            create table customers (signup_ts timestamptz not null, plan text, monthly_charges double precision, support_calls integer, churned text);
            insert into customers values {string.Join(",\n", values)};
            """;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
