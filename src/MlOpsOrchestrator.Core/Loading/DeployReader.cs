using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The keys of a <c>deploy</c> step: where the version goes (<c>model</c>, <c>alias</c>) and how it meets requests
/// (<c>strategy</c>, with <c>traffic</c> and <c>key</c> for a canary). A new deploy setting is one more key here.
/// </summary>
internal static class DeployReader
{
    public static readonly string[] Keys = ["alias", "model", "strategy", "traffic", "key"];

    private static readonly string[] CanaryOnly = ["traffic", "key"];

    public static DeployStep Read(Fields fields, string id, string pipelineName)
    {
        var strategy = fields.Choice("strategy", Vocabulary.DeployStrategies) ?? DeployStrategy.Replace;
        var alias = fields.String("alias");
        var moved = strategy switch
        {
            DeployStrategy.Shadow => DeployStep.ShadowAlias,
            DeployStrategy.Canary => DeployStep.CanaryAlias,
            _ => alias ?? "production",
        };
        if (alias is not null && alias != moved)
        {
            fields.Error("alias", $"strategy '{Name(strategy)}' moves the alias '{moved}'; remove 'alias' (or use 'strategy: replace' to move '{alias}')");
        }

        var traffic = Traffic(fields);
        var key = fields.String("key");
        if (strategy == DeployStrategy.Canary && traffic is null && !fields.Has("traffic"))
        {
            fields.Error("strategy", "strategy 'canary' needs 'traffic', the share of requests the new version answers, e.g. 'traffic: 10%'");
        }

        if (strategy != DeployStrategy.Canary)
        {
            foreach (var only in CanaryOnly.Where(fields.Has))
            {
                fields.Error(only, $"'{only}' applies only to 'strategy: canary'{(strategy == DeployStrategy.Shadow ? " (a shadow scores every request)" : "")}");
            }
        }

        if (key is { Length: 0 })
        {
            fields.Error("key", "'key' is empty; name a field of the request rows, or remove 'key' to split by the X-Request-Key header");
        }

        return new DeployStep
        {
            Id = id,
            Mark = fields.Mapping.Mark,
            Alias = moved,
            Model = fields.String("model") ?? pipelineName,
            Strategy = strategy,
            Traffic = strategy == DeployStrategy.Canary ? traffic : null,
            Key = strategy == DeployStrategy.Canary && key is { Length: > 0 } ? key : null,
        };
    }

    public static string Name(DeployStrategy strategy) => Vocabulary.DeployStrategies.First(s => s.Value == strategy).Key;

    /// <summary><c>traffic: 10%</c> or <c>traffic: 0.1</c>: more than 0, less than all requests.</summary>
    private static double? Traffic(Fields fields)
    {
        var text = fields.String("traffic");
        if (text is null)
        {
            return null;
        }

        var percent = text.EndsWith('%');
        var number = percent ? text[..^1].TrimEnd() : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            var share = percent ? value / 100 : value;
            if (share > 0 && share < 1)
            {
                return share;
            }
        }

        fields.Error("traffic", $"invalid traffic '{text}'; use a share of requests more than 0 % and less than 100 %, such as '10%' or 0.1");
        return null;
    }
}
