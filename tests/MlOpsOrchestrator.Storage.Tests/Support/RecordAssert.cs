using MlOpsOrchestrator.Runs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>Field-by-field equality: records holding dictionaries compare those by reference, the stores by content.</summary>
internal static class RecordAssert
{
    public static void SameRun(RunRecord? actual, RunRecord expected)
    {
        Assert.That(actual, Is.Not.Null, $"run {expected.RunId} should exist");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual!.RunId, Is.EqualTo(expected.RunId));
            Assert.That(actual.Pipeline, Is.EqualTo(expected.Pipeline));
            Assert.That(actual.PipelineVersion, Is.EqualTo(expected.PipelineVersion));
            Assert.That(actual.PipelineFile, Is.EqualTo(expected.PipelineFile));
            Assert.That(actual.PipelineYaml, Is.EqualTo(expected.PipelineYaml));
            Assert.That(actual.Trigger, Is.EqualTo(expected.Trigger));
            Assert.That(actual.Mode, Is.EqualTo(expected.Mode));
            Assert.That(actual.Status, Is.EqualTo(expected.Status));
            Assert.That(actual.Level, Is.EqualTo(expected.Level));
            Assert.That(actual.LevelReasons, Is.EqualTo(expected.LevelReasons));
            Assert.That(actual.Parameters, Is.EqualTo(expected.Parameters));
            Assert.That(actual.StepSubset, Is.EqualTo(expected.StepSubset));
            Assert.That(actual.CreatedAt, Is.EqualTo(expected.CreatedAt));
            Assert.That(actual.StartedAt, Is.EqualTo(expected.StartedAt));
            Assert.That(actual.FinishedAt, Is.EqualTo(expected.FinishedAt));
            Assert.That(actual.Error, Is.EqualTo(expected.Error));
            Assert.That(actual.Model, Is.EqualTo(expected.Model));
            Assert.That(actual.Owner, Is.EqualTo(expected.Owner));
            Assert.That(actual.HeartbeatAt, Is.EqualTo(expected.HeartbeatAt));
            Assert.That(actual.IdempotencyKey, Is.EqualTo(expected.IdempotencyKey));
        }
    }

    public static void SameStep(StepRecord actual, StepRecord expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual.RunId, Is.EqualTo(expected.RunId));
            Assert.That(actual.StepId, Is.EqualTo(expected.StepId));
            Assert.That(actual.Kind, Is.EqualTo(expected.Kind));
            Assert.That(actual.Status, Is.EqualTo(expected.Status));
            Assert.That(actual.Attempts, Is.EqualTo(expected.Attempts));
            Assert.That(actual.StartedAt, Is.EqualTo(expected.StartedAt));
            Assert.That(actual.FinishedAt, Is.EqualTo(expected.FinishedAt));
            Assert.That(actual.Metrics, Is.EqualTo(expected.Metrics));
            Assert.That(actual.Artifacts, Is.EqualTo(expected.Artifacts));
            Assert.That(actual.Result, Is.EqualTo(expected.Result));
            Assert.That(actual.Error, Is.EqualTo(expected.Error));
            Assert.That(actual.DecidedBy, Is.EqualTo(expected.DecidedBy));
            Assert.That(actual.Reason, Is.EqualTo(expected.Reason));
        }
    }

    public static void SameModel(ModelVersion? actual, ModelVersion expected)
    {
        Assert.That(actual, Is.Not.Null, $"model {expected.Name} v{expected.Version} should exist");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual!.Name, Is.EqualTo(expected.Name));
            Assert.That(actual.Version, Is.EqualTo(expected.Version));
            Assert.That(actual.RunId, Is.EqualTo(expected.RunId));
            Assert.That(actual.StepId, Is.EqualTo(expected.StepId));
            Assert.That(actual.PipelineVersion, Is.EqualTo(expected.PipelineVersion));
            Assert.That(actual.DataHash, Is.EqualTo(expected.DataHash));
            Assert.That(actual.Metrics, Is.EqualTo(expected.Metrics));
            Assert.That(actual.ArtifactPath, Is.EqualTo(expected.ArtifactPath));
            Assert.That(actual.Properties, Is.EqualTo(expected.Properties));
            Assert.That(actual.CreatedAt, Is.EqualTo(expected.CreatedAt));
        }
    }
}
