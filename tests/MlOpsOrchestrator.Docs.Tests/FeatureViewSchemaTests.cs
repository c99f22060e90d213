using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using MlOpsOrchestrator.Cli;
using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Docs.Tests;

/// <summary>
/// docs/feature-view.schema.json, docs/features.md and <c>mlops validate</c> agree on feature view files: every view
/// of the repository passes the validator and the schema, the views shown in the docs pass the schema, and a view
/// with a mistake the schema can see is rejected by both.
/// </summary>
[TestFixture]
public sealed partial class FeatureViewSchemaTests
{
    private const string SchemaFile = "docs/feature-view.schema.json";
    private const string ReferenceFile = "docs/features.md";

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(RepositoryPaths.Combine(SchemaFile))));

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    public static IEnumerable<TestCaseData> RepositoryViews() =>
        new[] { "pipelines", "samples" }.Select(r => RepositoryPaths.Combine(r)).Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories))
            .Where(FeatureViewFiles.IsView)
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetRelativePath(RepositoryPaths.Root, f).Replace('\\', '/')).SetArgDisplayNames(Path.GetFileName(f)));

    [Test]
    public void Repository_HasAFeatureView() => Assert.That(RepositoryViews(), Is.Not.Empty);

    [TestCaseSource(nameof(RepositoryViews))]
    public async Task RepositoryView_PassesTheValidatorAndTheSchema(string relative)
    {
        var file = RepositoryPaths.Combine(relative);

        var validate = await Mlops.RunAsync("validate", file, "--data-root", RepositoryPaths.Root);

        Assert.That(validate.ExitCode, Is.Zero, () => $"mlops validate rejects it:\n{validate.Stdout}{validate.Stderr}");
        Assert.That(Evaluate(File.ReadAllText(file)).IsValid, Is.True, $"{SchemaFile} rejects {relative}");
    }

    [Test]
    public void DocumentedViews_PassTheSchema()
    {
        var views = YamlBlock().Matches(File.ReadAllText(RepositoryPaths.Combine(ReferenceFile)).Replace("\r\n", "\n", StringComparison.Ordinal))
            .Select(m => m.Groups[1].Value).Where(y => y.Contains("kind: feature_view", StringComparison.Ordinal)).ToList();

        Assert.That(views, Is.Not.Empty);
        Assert.That(views.Where(v => !Evaluate(v).IsValid), Is.Empty, $"views in {ReferenceFile} that {SchemaFile} rejects");
    }

    [TestCase("agg: count, window: 1h", "agg: cnt, window: 1h")]
    [TestCase("agg: count, window: 1h", "agg: count, window: 1 hour")]
    [TestCase("entity: station_id", "entity: []")]
    public async Task ViewWithAMistake_RejectedByBoth(string text, string replacement)
    {
        var sample = RepositoryPaths.Combine((string)RepositoryViews().First().Arguments[0]!);
        var yaml = File.ReadAllText(sample).Replace(text, replacement, StringComparison.Ordinal);
        Assert.That(yaml, Does.Contain(replacement));
        var root = Directory.CreateTempSubdirectory("mlops-view-schema-").FullName;
        try
        {
            // The view beside a copy of its data, as in the sample (the source path is relative to the view file).
            var features = Path.Combine(root, "features");
            Directory.CreateDirectory(features);
            CopyFolder(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(sample)!)!, "data"), Path.Combine(root, "data"));
            var copy = Path.Combine(features, "view.yaml");
            await File.WriteAllTextAsync(copy, yaml);

            var validate = await Mlops.RunAsync("validate", copy, "--data-root", root);

            Assert.That(validate.ExitCode, Is.EqualTo(2), validate.Stdout + validate.Stderr);
            Assert.That(Evaluate(yaml).IsValid, Is.False);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        Assert.That(YamlToJson.TryConvert(yaml, out var json, out var problem), Is.True, () => problem ?? "");
        return Schema.Value.Evaluate(JsonSerializer.SerializeToElement(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }
}
