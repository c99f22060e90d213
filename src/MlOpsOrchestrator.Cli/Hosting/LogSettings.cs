using Serilog.Events;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// The two logging switches an operator sets without a rebuild: <c>MLOPS_LOG_LEVEL</c> (the least level logged:
/// <c>debug</c>, <c>information</c>, <c>warning</c>, <c>error</c>…) and <c>MLOPS_LOG_FORMAT</c> (<c>text</c>, the default,
/// or <c>json</c>: one compact JSON object per console line). The <c>Serilog</c> section of <c>appsettings.json</c> or
/// the environment (<c>Serilog__MinimumLevel__Default</c>, <c>Serilog__MinimumLevel__Override__Hangfire</c>) says the
/// same in Serilog's own terms; <c>MLOPS_LOG_LEVEL</c>, when set, has the last word on the default level.
/// </summary>
internal static class LogSettings
{
    public const string LevelVariable = "MLOPS_LOG_LEVEL";

    public const string FormatVariable = "MLOPS_LOG_FORMAT";

    private static readonly Dictionary<string, LogEventLevel> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["verbose"] = LogEventLevel.Verbose, ["trace"] = LogEventLevel.Verbose,
        ["debug"] = LogEventLevel.Debug,
        ["information"] = LogEventLevel.Information, ["info"] = LogEventLevel.Information,
        ["warning"] = LogEventLevel.Warning, ["warn"] = LogEventLevel.Warning,
        ["error"] = LogEventLevel.Error,
        ["fatal"] = LogEventLevel.Fatal,
    };

    /// <summary>The level a value names, or null for an empty value; <paramref name="problem"/> says what is wrong with a bad one.</summary>
    public static LogEventLevel? Level(string? value, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Levels.TryGetValue(value.Trim(), out var level))
        {
            return level;
        }

        problem = $"{LevelVariable}='{value}' is not a log level; use one of debug, information, warning, error (or verbose, fatal)";
        return null;
    }

    /// <summary>True for <c>json</c>, false for <c>text</c> or nothing; <paramref name="problem"/> says what is wrong with another value.</summary>
    public static bool Json(string? value, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), "text", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.Equals(value.Trim(), "json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        problem = $"{FormatVariable}='{value}' is not a log format; use text or json";
        return false;
    }
}
