using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Planning;

/// <summary>
/// Decides the maturity level (spec "Maturity level") from which steps run without a human. Each level adds rules
/// to the one below; a level holds when its rules and all lower levels' rules hold.
/// </summary>
public static class MaturityClassifier
{
    private delegate string? Rule(PipelineSpec pipeline, StepGraph graph, List<string> held);

    private static readonly Rule[][] Levels =
    [
        [DataPrepAutomated],
        [TrainAutomated, HasCronTrigger],
        [GatedEvaluateThenDeploy],
        [Automated(StepKind.Monitor, "monitor"), Automated(StepKind.Retrain, "retrain"), RetrainsOnDrift, PromotesOnEvidence],
    ];

    public static MaturityAssessment Classify(PipelineSpec pipeline)
    {
        var graph = new StepGraph(pipeline.Steps);
        var held = new List<string>();
        var blockers = new List<string>();
        var level = 0;
        for (var i = 0; i < Levels.Length; i++)
        {
            var levelHeld = new List<string>();
            var failure = Levels[i].Select(rule => rule(pipeline, graph, levelHeld)).FirstOrDefault(f => f is not null);
            if (failure is null && level == i)
            {
                level = i + 1;
                held.AddRange(levelHeld.Select(h => $"level {i + 1}: {h}"));
            }
            else
            {
                blockers.Add($"level {i + 1}: {failure ?? $"needs level {level + 1} first"}");
            }
        }

        return new MaturityAssessment(level, held, blockers);
    }

    /// <summary>
    /// Never holds a pipeline back: a deploy step with <c>promote_when</c> lets evidence from production traffic
    /// (labels fed back) move production, which belongs with the rest of level 4's closed loop and is said so.
    /// </summary>
    private static string? PromotesOnEvidence(PipelineSpec p, StepGraph g, List<string> held)
    {
        foreach (var deploy in OfKind(p, StepKind.Deploy).OfType<DeployStep>().Where(d => d.PromoteWhen is not null))
        {
            var rule = deploy.PromoteWhen!;
            held.Add($"deploy '{deploy.Id}' promotes '{deploy.Alias}' on evidence (promote_when: {rule.Metric} better by "
                     + $"{(rule.BetterBy * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}% on {rule.MinLabels} labels within {Loading.DurationText.Format(rule.Within)})");
        }

        return null;
    }

    private static IEnumerable<StepSpec> OfKind(PipelineSpec p, StepKind kind) => p.Steps.Where(s => s.Kind == kind);

    private static string Manual(StepSpec step) =>
        $"{KindName(step.Kind)} '{step.Id}' is manual (automated: false); remove 'automated: false' to automate it";

    private static string KindName(StepKind kind) => PlanBuilder.KindName(kind);

    private static string? AllAutomated(PipelineSpec p, StepKind kind, string missing, List<string> held)
    {
        var steps = OfKind(p, kind).ToList();
        if (steps.Count == 0)
        {
            return missing;
        }

        var manual = steps.FirstOrDefault(s => !s.Automated);
        if (manual is not null)
        {
            return Manual(manual);
        }

        held.Add($"{KindName(kind)} {string.Join(", ", steps.Select(s => $"'{s.Id}'"))} automated");
        return null;
    }

    private static string? DataPrepAutomated(PipelineSpec p, StepGraph g, List<string> held) =>
        AllAutomated(p, StepKind.DataPrep, "no data_prep step; add a step with 'kind: data_prep'", held);

    private static string? TrainAutomated(PipelineSpec p, StepGraph g, List<string> held) =>
        AllAutomated(p, StepKind.Train, "no train step; add a step with 'kind: train'", held);

    private static string? HasCronTrigger(PipelineSpec p, StepGraph g, List<string> held)
    {
        var cron = p.Triggers.FirstOrDefault(t => t.IsCron);
        if (cron is null)
        {
            return "no cron trigger; add a trigger with 'cron:' so training runs without a human";
        }

        held.Add($"cron trigger '{cron.Id}'");
        return null;
    }

    private static string? GatedEvaluateThenDeploy(PipelineSpec p, StepGraph g, List<string> held)
    {
        var evaluates = OfKind(p, StepKind.Evaluate).Cast<EvaluateStep>().ToList();
        if (evaluates.Count == 0)
        {
            return "no evaluate step; add 'kind: evaluate' with at least one gate";
        }

        var gated = evaluates.Where(e => e.Automated && e.Gates.Count > 0).ToList();
        if (gated.Count == 0)
        {
            var e = evaluates[0];
            return e.Automated ? $"evaluate '{e.Id}' has no gates; add 'gates:' so only a good model is deployed" : Manual(e);
        }

        var deploys = OfKind(p, StepKind.Deploy).ToList();
        if (deploys.Count == 0)
        {
            return "no deploy step; add 'kind: deploy' that needs the evaluate step";
        }

        var after = deploys.Where(d => gated.Any(e => g.Ancestors(d.Id).Contains(e.Id))).ToList();
        if (after.Count == 0)
        {
            return $"deploy '{deploys[0].Id}' does not need a gated evaluate step; add it to 'needs'";
        }

        var automated = after.FirstOrDefault(d => d.Automated);
        if (automated is null)
        {
            return Manual(after[0]);
        }

        var gate = gated.First(e => g.Ancestors(automated.Id).Contains(e.Id));
        held.Add($"evaluate '{gate.Id}' gates on {string.Join(", ", gate.Gates.Select(x => x.Metric).Distinct())}; deploy '{automated.Id}' automated");
        return null;
    }

    private static Rule Automated(StepKind kind, string name) => (p, g, held) =>
    {
        var steps = OfKind(p, kind).ToList();
        if (steps.Count == 0)
        {
            return $"no {name} step; add 'kind: {name}'";
        }

        var automated = steps.FirstOrDefault(s => s.Automated);
        if (automated is null)
        {
            return Manual(steps[0]);
        }

        held.Add($"{name} '{automated.Id}' automated");
        return null;
    };

    private static string? RetrainsOnDrift(PipelineSpec p, StepGraph g, List<string> held)
    {
        var drift = p.Triggers.Where(t => t.IsDrift).ToList();
        if (drift.Count == 0)
        {
            return "no 'on: drift' trigger; add one and name it in the retrain step's 'trigger'";
        }

        var retrain = OfKind(p, StepKind.Retrain).Cast<RetrainStep>().FirstOrDefault(r => r.Automated && drift.Any(t => t.Id == r.Trigger));
        if (retrain is null)
        {
            return $"no automated retrain step fires the 'on: drift' trigger '{drift[0].Id}'; set its 'trigger: {drift[0].Id}'";
        }

        held.Add($"retrain '{retrain.Id}' fires 'on: drift' trigger '{retrain.Trigger}'");
        return null;
    }
}
