using System.Globalization;
using MlOpsOrchestrator.Cli.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Serilog for <c>serve</c> and <c>worker</c>, configured only here: a readable console (stderr, run and step in
/// brackets; or compact JSON with <c>MLOPS_LOG_FORMAT=json</c>) for people and a compact JSON file under
/// <c>&lt;home&gt;/logs</c> for machines. The executor pushes
/// RunId, Pipeline and StepId scopes; <c>FromLogContext</c> puts them on every event of a run.
/// </summary>
internal static class HostLogging
{
    /// <summary>An exception is shown in one line (<see cref="FailureSummaryEnricher"/>); its stack trace goes to the file only.</summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}]{RunTag} {Message:lj}{Failure}{NewLine}";

    public static IServiceCollection AddMlOpsLogging(this IServiceCollection services, MlOpsHostSettings settings) =>
        services.AddSerilog((provider, configuration) => Configure(configuration, settings, provider.GetService<IConfiguration>()), preserveStaticLogger: true);

    /// <summary>
    /// The product's defaults, then the <c>Serilog</c> section of the host's configuration (<c>appsettings.json</c> in
    /// the working folder, <c>Serilog__…</c> variables), then <c>MLOPS_LOG_LEVEL</c>: each may change the levels
    /// without a rebuild. Events carry the trace and span of the current activity (<c>@tr</c>, <c>@sp</c> in JSON).
    /// </summary>
    public static LoggerConfiguration Configure(LoggerConfiguration configuration, MlOpsHostSettings settings, IConfiguration? hostConfiguration = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var role = settings.Role == HostRole.Serve ? "serve" : "worker";
        configuration
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            // Keys under <home>/keys are stored unencrypted, as the home folder itself is; said once in the docs, not on every start.
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error);
        if (hostConfiguration is not null)
        {
            configuration.ReadFrom.Configuration(hostConfiguration);
        }

        if (LogSettings.Level(settings.LogLevel, out _) is { } level)
        {
            configuration.MinimumLevel.Is(level);
        }

        var json = LogSettings.Json(settings.LogFormat, out _);
        return configuration
            .Enrich.FromLogContext()
            .Enrich.With<RunTagEnricher>()
            .Enrich.WithProperty("Role", role)
            .Enrich.WithProperty("Instance", $"{Environment.MachineName}:{Environment.ProcessId}")
            .WriteTo.Logger(console => Console(console.Filter.ByExcluding(IsStartupFailure), settings, json))
            .WriteTo.File(
                new CompactJsonFormatter(),
                Path.Combine(settings.LogsFolder, $"{role}-{Environment.MachineName}-.json"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 31,
                shared: true);
    }

    /// <summary>People read text (one line per event, the failure summarised); machines read compact JSON with everything.</summary>
    private static void Console(LoggerConfiguration console, MlOpsHostSettings settings, bool json)
    {
        if (json)
        {
            console.WriteTo.Console(new CompactJsonFormatter(), restrictedToMinimumLevel: settings.ConsoleLogLevel, standardErrorFromLevel: LogEventLevel.Verbose);
            return;
        }

        console
            .Enrich.With<FailureSummaryEnricher>()
            .WriteTo.Console(
                restrictedToMinimumLevel: settings.ConsoleLogLevel,
                outputTemplate: ConsoleTemplate,
                formatProvider: CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Verbose);
    }

    /// <summary>
    /// The host's own "Hosting failed to start" event, with its stack trace: the command says what failed in one line
    /// on the console, and the stack trace stays in the file.
    /// </summary>
    private static bool IsStartupFailure(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" }
        && logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
        && eventId.Properties.Any(p => p.Name == "Name" && p.Value is ScalarValue { Value: "HostedServiceStartupFaulted" });
}
