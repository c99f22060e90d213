using System.Text.Json;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The body of <c>POST /api/pipelines/{name}/runs</c>: <c>{ "trigger": "on-drift", "mode": "full", "params": { "k": "v" } }</c>,
/// all optional. Only its shape is checked here; whether the pipeline has the trigger and what a parameter's name and
/// value may be are the run service's rules.
/// </summary>
internal sealed record RunStartBody(RunMode? Mode, IReadOnlyDictionary<string, string> Parameters, string? Trigger = null)
{
    public static (RunStartBody? Body, string? Error) Parse(JsonElement? json)
    {
        if (json is not { } body)
        {
            return (new RunStartBody(null, new Dictionary<string, string>()), null);
        }

        if (ApiBody.CheckObject(body, "trigger", "mode", "params") is { } shape)
        {
            return (null, shape);
        }

        var (trigger, triggerError) = ApiBody.String(body, "trigger");
        if (triggerError is not null)
        {
            return (null, triggerError);
        }

        if (trigger is not null && Security.InputText.NameProblem(trigger) is { } triggerProblem)
        {
            return (null, $"'trigger' {triggerProblem}");
        }

        var (modeText, modeError) = ApiBody.String(body, "mode");
        if (modeError is not null)
        {
            return (null, modeError);
        }

        RunMode? mode = null;
        if (modeText is not null)
        {
            if (modeText is not ("full" or "incremental"))
            {
                return (null, $"unknown mode '{modeText}'; use 'full' or 'incremental'");
            }

            mode = modeText == "full" ? RunMode.Full : RunMode.Incremental;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("params", out var values) && values.ValueKind != JsonValueKind.Null)
        {
            if (values.ValueKind != JsonValueKind.Object)
            {
                return (null, $"'params' must be an object of names to values, not {ApiBody.Describe(values.ValueKind)}");
            }

            foreach (var parameter in values.EnumerateObject())
            {
                var value = parameter.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        parameters[parameter.Name] = value.GetString()!;
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        parameters[parameter.Name] = value.GetRawText();
                        break;
                    default:
                        return (null, $"parameter '{parameter.Name}' must be a string, number or boolean, not {ApiBody.Describe(value.ValueKind)}");
                }
            }
        }

        return (new RunStartBody(mode, parameters, trigger), null);
    }
}
