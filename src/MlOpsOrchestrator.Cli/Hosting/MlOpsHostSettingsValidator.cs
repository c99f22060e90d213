using System.Data.Common;
using MlOpsOrchestrator.Security;

namespace MlOpsOrchestrator.Cli.Hosting;

/// <summary>
/// Checks host settings as a whole and lists every problem, each with what to do about it, so a misconfigured
/// process fails at start-up with one complete message instead of one error per restart.
/// </summary>
internal static class MlOpsHostSettingsValidator
{
    public static IReadOnlyList<string> Validate(MlOpsHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        CheckHome(settings.Home, problems);
        _ = LogSettings.Level(settings.LogLevel, out var levelProblem);
        _ = LogSettings.Json(settings.LogFormat, out var formatProblem);
        problems.AddRange(new[] { levelProblem, formatProblem }.OfType<string>());
        if (!Directory.Exists(settings.DataRoot))
        {
            problems.Add($"the data root '{settings.DataRoot}' does not exist; pass --data-root DIR or set MLOPS_DATA_ROOT");
        }

        if (settings.Postgres is { } postgres)
        {
            CheckConnectionString(postgres, problems);
        }
        else if (settings.Role == HostRole.Worker)
        {
            problems.Add("mlops worker needs PostgreSQL: with the embedded default the queue lives in the memory of the 'mlops serve' process and no other process can take work from it; set MLOPS_POSTGRES or pass --postgres (or run 'mlops serve' alone)");
        }

        if (settings.Role == HostRole.Serve)
        {
            if (!Directory.Exists(settings.PipelinesFolder))
            {
                problems.Add($"the pipelines folder '{settings.PipelinesFolder}' does not exist; create it or pass --pipelines DIR");
            }

            CheckUrls(settings.Urls, problems);
            problems.AddRange(settings.AllowedHosts.Select(Api.AllowedHosts.Problem).OfType<string>());
            problems.AddRange(settings.AllowedOrigins.Where(o => AccessPolicy.Origin(o) is null || !IsBareOrigin(o)).Select(o =>
                $"'{o}' in {AccessPolicy.AllowedOriginsVariable} is not a web origin; expected scheme://host[:port] such as https://mlops.example.com, separated by ';'"));
            foreach (var variable in new[] { AccessPolicy.NamedApiTokensVariable, AccessPolicy.NamedViewerTokensVariable })
            {
                problems.AddRange(AccessToken.Problems(variable, Environment.GetEnvironmentVariable(variable)));
            }
        }

        problems.AddRange(settings.NotifyProblems);
        if (settings.RetentionProblem is { } retention)
        {
            problems.Add(retention);
        }

        // The queue's and the scheduler's own rules, in the same list.
        problems.AddRange(settings.Execution().Validate());
        if (settings.Role == HostRole.Serve)
        {
            problems.AddRange(settings.Scheduler().Validate());
        }

        return problems;
    }

    private static bool IsBareOrigin(string origin) =>
        Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri) && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    private static void CheckHome(string home, List<string> problems)
    {
        try
        {
            Directory.CreateDirectory(home);
            var probe = Path.Combine(home, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problems.Add($"the home folder '{home}' is not writable ({ex.Message}); pass --home DIR or set MLOPS_HOME");
        }
    }

    private static void CheckConnectionString(string postgres, List<string> problems)
    {
        try
        {
            _ = new DbConnectionStringBuilder { ConnectionString = postgres };
        }
        catch (ArgumentException ex)
        {
            problems.Add($"the PostgreSQL connection string is not valid ({ex.Message}); expected e.g. 'Host=db;Username=mlops;Password=...;Database=mlops'");
        }
    }

    private static void CheckUrls(IReadOnlyList<string> urls, List<string> problems)
    {
        if (urls.Count == 0)
        {
            problems.Add($"no URL to listen on; pass --urls (default: {MlOpsHostSettings.DefaultUrl})");
        }

        foreach (var url in urls)
        {
            // Kestrel's wildcard hosts are not valid URI hosts; they bind every interface.
            var candidate = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                problems.Add($"'{url}' is not a URL to listen on; expected e.g. {MlOpsHostSettings.DefaultUrl} (several separated by ';')");
            }
            else if (uri.AbsolutePath != "/")
            {
                problems.Add($"'{url}' has a path; Kestrel listens on scheme://host:port only");
            }
        }
    }
}
