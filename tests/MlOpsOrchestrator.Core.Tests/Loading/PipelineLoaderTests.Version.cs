using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>The version is the SHA-256 of the normalised content: layout never changes it, meaning always does.</summary>
public sealed partial class PipelineLoaderTests
{
    [Test]
    public void Version_ReformattedWithCommentsQuotingAndKeyOrder_Unchanged()
    {
        const string reformatted = """
            # The churn model: everything the minimal sample says, written differently.
            steps:
            - kind: data_prep      # the first step
              id: prep
            - {id: train, kind: train, needs: ["prep"], task: 'binary', trainer: fast_tree}
            data:
                label: churned
                source:
                    path: "data/churn.csv"
                    type: csv
            name: churn
            version: 1
            """;

        var original = _workspace.Load(SampleYaml.Minimal, "original.yaml").Definition!.Version;
        var other = _workspace.Load(reformatted, "reformatted.yaml");

        Assert.That(other.Definition?.Version, Is.EqualTo(original), string.Join("\n", other.Errors));
    }

    [TestCase("trainer: fast_tree", "trainer: lbfgs_logistic_regression")]
    [TestCase("name: churn", "name: churn-2")]
    [TestCase("  - id: train\n    kind: train\n    needs: [prep]\n    task: binary\n    trainer: fast_tree\n", "", TestName = "Version_StepRemoved_Changes")]
    [TestCase("    trainer: fast_tree", "    trainer: fast_tree\n    options: { number_of_trees: 100 }")]
    public void Version_ValueChanged_Changes(string find, string replace)
    {
        var original = _workspace.Load(SampleYaml.Minimal, "original.yaml").Definition!.Version;
        var changed = _workspace.Load(SampleYaml.Minimal.Replace(find, replace, StringComparison.Ordinal), "changed.yaml");

        Assert.That(changed.Definition?.Version, Is.Not.Null.And.Not.EqualTo(original), string.Join("\n", changed.Errors));
    }

    [Test]
    public void Version_OptionValueChanged_Changes()
    {
        var yaml = SampleYaml.Complete;
        var original = _workspace.Load(yaml, "original.yaml").Definition!.Version;

        var changed = _workspace.Load(yaml.Replace("learning_rate: 0.1", "learning_rate: 0.2", StringComparison.Ordinal), "changed.yaml").Definition!.Version;

        Assert.That(changed, Is.Not.EqualTo(original));
    }

    [Test]
    public void Version_EnvValueChanged_Unchanged()
    {
        _workspace.Environment["FEATURES_PG"] = "Host=db-a";
        _workspace.Environment["REGION"] = "north";
        var before = _workspace.Load(PostgresPipeline).Definition!.Version;

        _workspace.Environment["FEATURES_PG"] = "Host=db-b";
        _workspace.Environment["REGION"] = "south";
        var after = _workspace.Load(PostgresPipeline).Definition!.Version;

        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public void Version_TextAroundAnEnvReferenceChanged_Changes()
    {
        // Only the first variable's name enters the hash today, so the query below can change without a new version.
        _workspace.Environment["FEATURES_PG"] = "Host=db";
        _workspace.Environment["REGION"] = "north";
        var before = _workspace.Load(PostgresPipeline).Definition!.Version;

        var edited = PostgresPipeline.Replace("from rides where", "from rides_archive where", StringComparison.Ordinal);
        var after = _workspace.Load(edited).Definition!.Version;

        Assert.That(after, Is.Not.EqualTo(before));
    }
}
