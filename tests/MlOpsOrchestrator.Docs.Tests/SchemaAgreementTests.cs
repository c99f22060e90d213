using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.ML.Trainers;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>
/// docs/pipeline.schema.json (what editors check), docs/pipeline-yaml.md (what authors read) and <c>mlops validate</c>
/// (what the product enforces) must agree: every valid pipeline of the repository and of the docs passes both the
/// validator and the schema; every file of the invalid corpus is rejected by the validator, and by the schema exactly
/// when its header says so.
/// </summary>
[TestFixture]
public sealed partial class SchemaAgreementTests
{
    private const string SchemaFile = "docs/pipeline.schema.json";
    private const string ReferenceFile = "docs/pipeline-yaml.md";
    private const string InvalidCorpus = "tests/MlOpsOrchestrator.Cli.Tests/Pipelines/invalid";

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(RepositoryPaths.Combine(SchemaFile))));

    private string _temp = "";

    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReference();

    [GeneratedRegex(@"^# schema: (rejects|accepts)\s*$", RegexOptions.Multiline)]
    private static partial Regex SchemaHeader();

    [GeneratedRegex(@"version [0-9a-f]{12}")]
    private static partial Regex ShortVersion();

    [GeneratedRegex(@"^(\s+next:).*$")]
    private static partial Regex NextFireTimes();

    [SetUp]
    public void SetUp()
    {
        _temp = Path.Combine(Path.GetTempPath(), $"mlops-docs-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_temp);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    [Test]
    public void Schema_IsAValidDraft202012JsonSchema()
    {
        var text = File.ReadAllText(RepositoryPaths.Combine(SchemaFile));
        using var document = JsonDocument.Parse(text);

        var meta = MetaSchemas.Draft202012.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("$schema").GetString(), Is.EqualTo("https://json-schema.org/draft/2020-12/schema"));
            Assert.That(meta.IsValid, Is.True, () => $"the schema does not conform to the 2020-12 meta-schema:\n{Describe(meta)}");
            Assert.That(() => Schema.Value, Throws.Nothing);
        });
    }

    [Test]
    public void Schema_TrainerNamesPerTask_AreTheCatalogs()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine(SchemaFile)));
        var train = document.RootElement.GetProperty("$defs").GetProperty("trainStep");
        var perTask = train.GetProperty("allOf").EnumerateArray().ToDictionary(
            branch => branch.GetProperty("if").GetProperty("properties").GetProperty("task").GetProperty("const").GetString()!,
            branch => Strings(branch.GetProperty("then").GetProperty("properties").GetProperty("trainer").GetProperty("enum")));
        var all = Strings(train.GetProperty("properties").GetProperty("trainer").GetProperty("enum"));

        Assert.Multiple(() =>
        {
            foreach (var task in Enum.GetValues<MlTask>())
            {
                var name = task.ToString().ToLowerInvariant();
                Assert.That(perTask.GetValueOrDefault(name), Is.EqualTo(MlNetTrainerCatalog.Default.TrainerNames(task)), $"trainers of task {name}");
            }

            var catalog = Enum.GetValues<MlTask>().SelectMany(MlNetTrainerCatalog.Default.TrainerNames).Distinct();
            Assert.That(all, Is.EquivalentTo(catalog), "the trainer enum (every task)");
        });
    }

    [Test]
    public void Schema_MetricNames_AreTheCatalogs()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine(SchemaFile)));
        var defs = document.RootElement.GetProperty("$defs");
        var metrics = Strings(defs.GetProperty("metric").GetProperty("enum"));
        var described = defs.GetProperty("evaluateStep").GetProperty("properties").GetProperty("gates").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(metrics, Is.EquivalentTo(Metrics.All));
            Assert.That(described, Is.EquivalentTo(Metrics.All), "gates.properties (the metric descriptions editors show)");
        });
    }

    [Test]
    public void Reference_ListsEveryTrainerAndMetric()
    {
        var reference = File.ReadAllText(RepositoryPaths.Combine(ReferenceFile));
        var names = Enum.GetValues<MlTask>().SelectMany(MlNetTrainerCatalog.Default.TrainerNames).Concat(Metrics.All).Distinct();

        Assert.Multiple(() =>
        {
            foreach (var name in names)
            {
                Assert.That(reference, Does.Contain($"`{name}`"), $"{ReferenceFile} does not mention `{name}`");
            }
        });
    }

    [Test]
    public void Reference_HasValidInvalidAndPlanExamples()
    {
        var examples = DocExamples.Parse(File.ReadAllText(RepositoryPaths.Combine(ReferenceFile)));
        var levels = examples
            .Where(e => e.Shown?.Command.StartsWith("mlops plan", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Shown!.Output.Where(l => l.StartsWith("maturity level ", StringComparison.Ordinal)))
            .Select(l => l["maturity level ".Length..][..1])
            .ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(examples.Count(e => !e.Invalid), Is.GreaterThanOrEqualTo(7), "valid examples (minimal, complete, one per level)");
            Assert.That(examples.Count(e => e.Invalid), Is.GreaterThanOrEqualTo(1), "invalid examples with their validate output");
            Assert.That(levels, Is.EquivalentTo(new[] { "0", "1", "2", "3", "4" }), "a plan example for every maturity level");
        });
    }

    [Test]
    public void Schema_EveryKeyItDefines_IsUsedByAValidExample()
    {
        // A key the schema offers for completion but the validator does not know would be worse than none; each
        // valid example passes the validator, so a key used by one of them is a key the validator accepts.
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine(SchemaFile)));
        var defined = new SortedSet<string>(StringComparer.Ordinal);
        CollectPropertyNames(document.RootElement, defined);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var example in DocExamples.Parse(File.ReadAllText(RepositoryPaths.Combine(ReferenceFile))).Where(e => !e.Invalid))
        {
            Assert.That(YamlToJson.TryConvert(example.Yaml, out var json, out var problem), Is.True, () => $"{example}: {problem}");
            CollectKeys(json, used);
        }

        Assert.That(defined.Except(used).ToList(), Is.Empty, $"keys of {SchemaFile} that no valid example of {ReferenceFile} uses");
    }

    public static IEnumerable<TestCaseData> ValidPipelines()
    {
        foreach (var folder in new[] { "pipelines", "samples" })
        {
            var root = RepositoryPaths.Combine(folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            // Feature view files are not pipelines: FeatureViewSchemaTests checks them against their own schema.
            foreach (var file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories).Where(IsYaml).Where(f => !FeatureViewFiles.IsView(f)).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');
                yield return new TestCaseData(new ValidCase(relative, null)).SetArgDisplayNames(relative);
            }
        }

        foreach (var example in DocExamples.Parse(File.ReadAllText(RepositoryPaths.Combine(ReferenceFile))).Where(e => !e.Invalid))
        {
            yield return new TestCaseData(new ValidCase(null, example)).SetArgDisplayNames(example.ToString());
        }
    }

    [TestCaseSource(nameof(ValidPipelines))]
    public async Task ValidPipeline_PassesTheValidatorAndTheSchema(ValidCase pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var (file, dataRoot, yaml) = pipeline.Example is { } example
            ? WriteExample(example)
            : (RepositoryPaths.Combine(pipeline.RepositoryFile!), RepositoryPaths.Root, File.ReadAllText(RepositoryPaths.Combine(pipeline.RepositoryFile!)));

        using var environment = DummyEnvironment.For(yaml);
        var validate = await Mlops.RunAsync("validate", file, "--data-root", dataRoot);
        Assert.That(validate.ExitCode, Is.Zero, () => $"mlops validate rejects it:\n{validate.Stdout}{validate.Stderr}");

        Assert.That(YamlToJson.TryConvert(yaml, out var json, out var problem), Is.True, () => problem ?? "");
        var result = Evaluate(json);
        Assert.That(result.IsValid, Is.True, () => $"{SchemaFile} rejects it:\n{Describe(result)}");

        if (pipeline.Example?.Shown is { } shown && shown.Command.StartsWith("mlops plan", StringComparison.Ordinal))
        {
            var plan = await Mlops.RunAsync("plan", file, "--data-root", dataRoot);
            Assert.That(plan.ExitCode, Is.Zero, () => plan.Stderr);
            var printed = Lines(plan.Stdout + plan.Stderr);
            Assert.That(NormalizePlan(printed), Is.EqualTo(NormalizePlan(shown.Output)), () => $"the output of '{shown.Command}' shown in {ReferenceFile} is out of date; it is now:\n{string.Join('\n', printed)}");
        }
    }

    public static IEnumerable<TestCaseData> InvalidPipelines()
    {
        var corpus = RepositoryPaths.Combine(InvalidCorpus);
        if (Directory.Exists(corpus))
        {
            foreach (var file in Directory.EnumerateFiles(corpus, "*.*", SearchOption.TopDirectoryOnly).Where(IsYaml).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                yield return new TestCaseData(new InvalidCase($"{InvalidCorpus}/{name}", null)).SetArgDisplayNames(name);
            }
        }

        foreach (var example in DocExamples.Parse(File.ReadAllText(RepositoryPaths.Combine(ReferenceFile))).Where(e => e.Invalid))
        {
            yield return new TestCaseData(new InvalidCase(null, example)).SetArgDisplayNames(example.ToString());
        }
    }

    [TestCaseSource(nameof(InvalidPipelines))]
    public async Task InvalidPipeline_IsRejectedByTheValidator_AndByTheSchemaAsItsHeaderSays(InvalidCase pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        string file, dataRoot, yaml, verdict;
        if (pipeline.Example is { } example)
        {
            (file, dataRoot, yaml) = WriteExample(example);
            verdict = example.SchemaVerdict!;
        }
        else
        {
            file = RepositoryPaths.Combine(pipeline.CorpusFile!);
            dataRoot = Path.GetDirectoryName(file)!;
            yaml = File.ReadAllText(file);
            var header = SchemaHeader().Match(yaml);
            Assert.That(header.Success, Is.True, "the file has no '# schema: rejects|accepts' header line");
            verdict = header.Groups[1].Value;
        }

        var validate = await Mlops.RunAsync("validate", file, "--data-root", dataRoot);
        Assert.That(validate.ExitCode, Is.EqualTo(2), () => $"mlops validate does not reject it (exit {validate.ExitCode}):\n{validate.Stdout}{validate.Stderr}");
        if (pipeline.Example?.Shown is { } shown)
        {
            var printed = Lines((validate.Stdout + validate.Stderr).Replace(Path.GetDirectoryName(file) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
            Assert.That(printed, Is.EqualTo(shown.Output), () => $"the output of '{shown.Command}' shown in {ReferenceFile} is out of date; it is now:\n{string.Join('\n', printed)}");
        }

        if (!YamlToJson.TryConvert(yaml, out var json, out var problem))
        {
            TestContext.Out.WriteLine($"schema part skipped: {problem}");
            return;
        }

        var result = Evaluate(json);
        if (verdict == "rejects")
        {
            Assert.That(result.IsValid, Is.False, $"the header says '# schema: rejects', but {SchemaFile} accepts it");
        }
        else
        {
            Assert.That(result.IsValid, Is.True, () => $"the header says '# schema: accepts' (a mistake only the validator can see), but {SchemaFile} rejects it:\n{Describe(result)}");
        }
    }

    /// <summary>A pipeline that must be valid: a file of the repository, or an example of the reference.</summary>
    public sealed record ValidCase(string? RepositoryFile, DocExample? Example)
    {
        public override string ToString() => RepositoryFile ?? Example!.ToString();
    }

    /// <summary>A pipeline that must be rejected: a file of the invalid corpus, or an invalid example of the reference.</summary>
    public sealed record InvalidCase(string? CorpusFile, DocExample? Example)
    {
        public override string ToString() => CorpusFile ?? Example!.ToString();
    }

    /// <summary>Writes a docs example, and the CSV files it reads, into a fresh folder that is also the data root.</summary>
    private (string File, string DataRoot, string Yaml) WriteExample(DocExample example)
    {
        var file = Path.Combine(_temp, example.FileName);
        File.WriteAllText(file, example.Yaml);
        if (YamlToJson.TryConvert(example.Yaml, out var json, out _))
        {
            DocData.WriteFor(json, _temp);
        }

        return (file, _temp, example.Yaml);
    }

    private static EvaluationResults Evaluate(JsonNode? json)
    {
        var element = JsonSerializer.SerializeToElement(json);
        return Schema.Value.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? [])
            .Where(d => !d.IsValid && d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Value} ({d.EvaluationPath})")));

    /// <summary>The names under every <c>properties</c> of the schema, except the metric names listed under <c>gates</c>.</summary>
    private static void CollectPropertyNames(JsonElement element, ISet<string> names, string? parent = null)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "properties" && parent != "gates" && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in property.Value.EnumerateObject())
                        {
                            names.Add(name.Name);
                        }
                    }

                    CollectPropertyNames(property.Value, names, property.Name);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectPropertyNames(item, names, parent);
                }

                break;
        }
    }

    private static void CollectKeys(JsonNode? node, ISet<string> keys)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (key, value) in json)
                {
                    keys.Add(key);
                    CollectKeys(value, keys);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectKeys(item, keys);
                }

                break;
        }
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static List<string> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').ToList();

    /// <summary>The plan without what changes by itself: the version hash and the next fire times.</summary>
    private static List<string> NormalizePlan(IEnumerable<string> lines) =>
        lines.Select(l => NextFireTimes().Replace(ShortVersion().Replace(l, "version …"), "$1 …")).ToList();

    /// <summary>
    /// Sets every <c>${env:NAME}</c> a valid pipeline references and the environment lacks to a placeholder, for the
    /// duration of one test (valid examples show secrets coming from the environment).
    /// </summary>
    private sealed class DummyEnvironment : IDisposable
    {
        private readonly List<string> _set = [];

        public static DummyEnvironment For(string yaml)
        {
            var dummy = new DummyEnvironment();
            foreach (var name in EnvReference().Matches(yaml).Select(m => m.Groups[1].Value).Distinct())
            {
                if (Environment.GetEnvironmentVariable(name) is null)
                {
                    Environment.SetEnvironmentVariable(name, $"placeholder-for-{name}");
                    dummy._set.Add(name);
                }
            }

            return dummy;
        }

        public void Dispose()
        {
            foreach (var name in _set)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}

/// <summary>The <c>mlops</c> command line, in-process, exactly as users run it.</summary>
internal static class Mlops
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MlOpsCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
