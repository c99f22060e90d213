using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests.Loading;

/// <summary>Mistakes: every error of a file at once, sorted, on the right line; bad input is an error, never an exception.</summary>
public sealed partial class PipelineLoaderTests
{
    [Test]
    public void LoadFile_ManyMistakes_AllErrorsAtOnceSortedByLine()
    {
        const string yaml = """
            version: 1
            name: Churn_Model
            timezone: Mars/Olympus
            triggers:
              - id: nightly
                cron: "0 2 * *"
                mod: full
            data:
              source: { type: csv, path: data/churn.csv }
              label: churned
            steps:
              - id: prep
                kind: data_prep
              - id: train
                kind: train
                neds: [prep]
                task: binary
                trainer: fast_tre
              - id: evaluate
                kind: evaluate
                needs: [trian, train]
                gates: { auc: { min: 0.7 } }
            """;

        var errors = _workspace.Load(yaml).Errors;

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Line), Is.EqualTo(new[] { 2, 3, 6, 7, 16, 18, 21 }));
            Assert.That(errors, Is.Ordered.By(nameof(PipelineError.Line)).Then.By(nameof(PipelineError.Column)));
            Assert.That(errors[0].Message, Does.StartWith("invalid name 'Churn_Model'"));
            Assert.That(errors[1].Message, Does.StartWith("unknown time zone 'Mars/Olympus'"));
            Assert.That(errors[2].Message, Does.StartWith("invalid cron '0 2 * *'"));
            Assert.That(errors[3].ToString(), Is.EqualTo("pipeline.yaml:7:5: error: triggers[0].mod: unknown key 'mod' in 'triggers[0]'; did you mean 'mode'?"));
            Assert.That(errors[4].ToString(), Is.EqualTo("pipeline.yaml:16:5: error: steps[1].neds: unknown key 'neds' in 'steps[1]'; did you mean 'needs'?"));
            Assert.That(errors[5].ToString(), Is.EqualTo("pipeline.yaml:18:14: error: steps[1].trainer: unknown trainer 'fast_tre' for task binary; did you mean 'fast_tree'?"));
            Assert.That(errors[6].ToString(), Is.EqualTo("pipeline.yaml:21:13: error: steps[2].needs[0]: unknown step 'trian'; did you mean 'train'?"));
        });
    }

    [Test]
    public void LoadFile_NeedsCycle_ErrorPrintsTheCycle()
    {
        var yaml = SampleYaml.Minimal.Replace("    kind: data_prep", "    kind: data_prep\n    needs: [train]", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors.Select(e => $"{e.Path}: {e.Message}"), Is.EqualTo(new[] { "steps[0].needs: 'needs' forms a cycle: prep -> train -> prep; steps must form a DAG" }));
    }

    [Test]
    public void LoadFile_StepNeedsItself_ErrorOnThatNeed()
    {
        var yaml = SampleYaml.Minimal.Replace("needs: [prep]", "needs: [prep, train]", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { "pipeline.yaml:11:19: error: steps[1].needs[1]: step 'train' needs itself; remove it from 'needs'" }));
    }

    [Test]
    public void LoadFile_SelfNeedInsideACycle_BothReportedAtOnce()
    {
        // The validator drops a self-needing step from the graph before looking for cycles, so the cycle through it
        // only shows up after the self-need is fixed.
        var yaml = SampleYaml.Minimal
            .Replace("    kind: data_prep", "    kind: data_prep\n    needs: [train]", StringComparison.Ordinal)
            .Replace("needs: [prep]", "needs: [prep, train]", StringComparison.Ordinal);

        var messages = _workspace.Load(yaml).Errors.Select(e => e.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(messages, Has.Some.StartsWith("step 'train' needs itself"));
            Assert.That(messages, Has.Some.StartsWith("'needs' forms a cycle: prep -> train -> prep"));
        });
    }

    [TestCase("    kind: data_prep", "    kind: data_prep\n    needs: [train]", 9, TestName = "LoadFile_NeedsCycle_ErrorOnTheNeedsLine")]
    [TestCase("    trainer: fast_tree", "    trainer: fast_tree\n  - id: evaluate\n    kind: evaluate\n    needs: [prep]", 16, TestName = "LoadFile_EvaluateNeedingNoTrainStep_ErrorOnTheNeedsLine")]
    public void LoadFile_ErrorAboutAWholeNeedsList_OnTheNeedsLine(string find, string replace, int line)
    {
        var errors = _workspace.Load(SampleYaml.Minimal.Replace(find, replace, StringComparison.Ordinal)).Errors;

        Assert.That(errors.Select(e => (e.Path, e.Line)), Has.Exactly(1).Matches<(string Path, int Line)>(e => e.Path.EndsWith(".needs", StringComparison.Ordinal) && e.Line == line),
            string.Join("\n", errors));
    }

    [TestCase("name: churn", "name: churn\nname: churn-2", 3, "name: duplicate key 'name'; a key may appear once in the pipeline")]
    [TestCase("    task: binary", "    task: binary\n    task: multiclass", 13, "steps[1].task: duplicate key 'task'; a key may appear once in 'steps[1]'")]
    [TestCase("path: data/churn.csv }", "path: data/churn.csv, type: postgres }", 4, "data.source.type: duplicate key 'type'")]
    [TestCase("  label: churned", "  label: churned\n  schema:\n    age: { type: int }\n    age: { type: float }", 8, "data.schema.age: column 'age' is declared twice")]
    public void LoadFile_DuplicateKey_ErrorOnTheRepeat(string find, string replace, int line, string expected)
    {
        var result = _workspace.Load(SampleYaml.Minimal.Replace(find, replace, StringComparison.Ordinal));

        Assert.That(result.Errors, Has.Exactly(1).Matches<PipelineError>(e => e!.Line == line && $"{e.Path}: {e.Message}".StartsWith(expected, StringComparison.Ordinal)),
            string.Join("\n", result.Errors));
    }

    [TestCase("    task: binary", "     task: binary", 12, TestName = "LoadFile_SyntaxError_BadIndentation_OneErrorOnItsLine")]
    [TestCase("  label: churned", "  label: \"churned", 5, TestName = "LoadFile_SyntaxError_UnterminatedQuote_OneErrorOnItsLine")]
    [TestCase("    kind: data_prep", "    kind: data_prep: x", 8, TestName = "LoadFile_SyntaxError_SecondColon_OneErrorOnItsLine")]
    [TestCase("    task: binary", "\ttask: binary", 12, TestName = "LoadFile_SyntaxError_TabIndentation_OneErrorOnItsLine")]
    public void LoadFile_SyntaxError_OneErrorOnItsLine(string find, string replace, int line)
    {
        var errors = _workspace.Load(SampleYaml.Minimal.Replace(find, replace, StringComparison.Ordinal)).Errors;

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].Line, Is.EqualTo(line));
            Assert.That(errors[0].Message, Does.StartWith("invalid YAML: "));
        });
    }

    [Test]
    public void LoadFile_UnclosedFlowList_OneSyntaxErrorInsteadOfAnException()
    {
        // YamlDotNet throws InvalidOperationException, not YamlException, for an unclosed '[' followed by more lines.
        var yaml = SampleYaml.Minimal.Replace("needs: [prep]", "needs: [prep", StringComparison.Ordinal);

        LoadResult? result = null;
        Assert.That(() => result = _workspace.Load(yaml), Throws.Nothing);
        Assert.That(result!.Errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(result.Errors[0].Message, Does.StartWith("invalid YAML: "));
            Assert.That(result.Errors[0].Line, Is.GreaterThanOrEqualTo(11));
        });
    }

    [Test]
    public void LoadFile_EmptyFile_OneErrorSayingWhatAPipelineNeeds()
    {
        var errors = _workspace.Load("# nothing yet\n").Errors;

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "pipeline.yaml:1:1: error: the file is empty; a pipeline needs at least 'version', 'name', 'data' and 'steps'",
        }));
    }

    [Test]
    public void LoadFile_WindowBeyondTheLargestTimeSpan_ErrorInsteadOfAnException()
    {
        var yaml = SampleYaml.Complete.Replace("window: 1h", "window: 99999999d", StringComparison.Ordinal);

        LoadResult? result = null;
        Assert.That(() => result = _workspace.Load(yaml), Throws.Nothing);
        Assert.That(result!.Errors.Select(e => e.Path), Is.EqualTo(new[] { "steps[4].window" }));
    }

    [Test]
    public void LoadFile_NulCharacterInPath_ErrorInsteadOfAnException()
    {
        var yaml = SampleYaml.Minimal.Replace("path: data/churn.csv", "path: \"data/churn\\0.csv\"", StringComparison.Ordinal);

        LoadResult? result = null;
        Assert.That(() => result = _workspace.Load(yaml), Throws.Nothing);
        Assert.That(result!.Errors.Select(e => e.Path), Is.EqualTo(new[] { "data.source.path" }));
    }

    [Test]
    public void LoadFile_PathOutOfTheDataRoot_ErrorOnThePath()
    {
        var yaml = SampleYaml.Minimal.Replace("path: data/churn.csv", "path: ../../etc/passwd", StringComparison.Ordinal);

        var errors = _workspace.Load(yaml).Errors;

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].Path, Is.EqualTo("data.source.path"));
            Assert.That(errors[0].Line, Is.EqualTo(4));
            Assert.That(errors[0].Message, Does.Contain("outside the data root"));
        });
    }
}
