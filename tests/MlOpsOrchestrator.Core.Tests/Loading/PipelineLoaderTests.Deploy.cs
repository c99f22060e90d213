using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>deploy's strategy keys: <c>strategy</c>, <c>traffic</c>, <c>key</c>.</summary>
public sealed partial class PipelineLoaderTests
{
    private const string DeployKeys = "    alias: production\n    model: bike-demand";

    private static string WithDeploy(string keys) => Support.SampleYaml.Complete.Replace(DeployKeys, keys, StringComparison.Ordinal);

    [TestCase("    model: bike-demand", DeployStrategy.Replace, "production", null, null)]
    [TestCase("    strategy: replace\n    alias: staging", DeployStrategy.Replace, "staging", null, null)]
    [TestCase("    strategy: shadow", DeployStrategy.Shadow, "shadow", null, null)]
    [TestCase("    strategy: canary\n    traffic: 10%", DeployStrategy.Canary, "canary", 0.1, null)]
    [TestCase("    strategy: canary\n    traffic: 0.25\n    key: season", DeployStrategy.Canary, "canary", 0.25, "season")]
    [TestCase("    strategy: canary\n    alias: canary\n    traffic: 99.5%", DeployStrategy.Canary, "canary", 0.995, null)]
    public void LoadFile_DeployStrategy_Read(string keys, DeployStrategy strategy, string alias, double? traffic, string? key)
    {
        var result = _workspace.Load(WithDeploy(keys));

        Assert.That(result.Errors, Is.Empty);
        var deploy = result.Definition!.Spec.Steps.OfType<DeployStep>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(deploy.Strategy, Is.EqualTo(strategy));
            Assert.That(deploy.Alias, Is.EqualTo(alias));
            Assert.That(deploy.Traffic, Is.EqualTo(traffic).Within(1e-12));
            Assert.That(deploy.Key, Is.EqualTo(key));
        });
    }

    [TestCase("    strategy: canry", "steps[3].strategy: unknown value 'canry'; did you mean 'canary'?", 0)]
    [TestCase("    strategy: canary", "steps[3].strategy: strategy 'canary' needs 'traffic', the share of requests the new version answers, e.g. 'traffic: 10%'", 0)]
    [TestCase("    strategy: canary\n    traffic: 100%", "steps[3].traffic: invalid traffic '100%'; use a share of requests more than 0 % and less than 100 %, such as '10%' or 0.1", 1)]
    [TestCase("    strategy: canary\n    traffic: 0", "steps[3].traffic: invalid traffic '0'; use a share of requests more than 0 % and less than 100 %, such as '10%' or 0.1", 1)]
    [TestCase("    strategy: canary\n    traffic: lots", "steps[3].traffic: invalid traffic 'lots'; use a share of requests more than 0 % and less than 100 %, such as '10%' or 0.1", 1)]
    [TestCase("    strategy: shadow\n    traffic: 10%", "steps[3].traffic: 'traffic' applies only to 'strategy: canary' (a shadow scores every request)", 1)]
    [TestCase("    key: season", "steps[3].key: 'key' applies only to 'strategy: canary'", 0)]
    [TestCase("    strategy: shadow\n    alias: production", "steps[3].alias: strategy 'shadow' moves the alias 'shadow'; remove 'alias' (or use 'strategy: replace' to move 'production')", 1)]
    [TestCase("    strategy: canary\n    traffic: 5%\n    key: seasons", "steps[3].key: column 'seasons' does not exist in the data; did you mean 'season'?", 2)]
    public void LoadFile_DeployStrategy_BadValue_ErrorOnTheKey(string keys, string expected, int lineOffset)
    {
        var yaml = WithDeploy(keys);
        var result = _workspace.Load(yaml);

        Assert.That(result.Errors.Select(e => $"{e.Path}: {e.Message}"), Is.EqualTo(new[] { expected }));
        var first = yaml.Split('\n').ToList().FindIndex(l => l == keys.Split('\n')[0]) + 1;
        Assert.That(result.Errors.Single().Line, Is.EqualTo(first + lineOffset));
    }
}
