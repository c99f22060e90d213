namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// Who a command acts as, recorded with every decision and manual run it makes: the operating-system user and the
/// machine (<c>alice@build-7</c>), so a run history shared by several machines through PostgreSQL tells them apart.
/// A <c>--by NAME</c> is a note after it (<c>alice@build-7 for bob</c>), never a replacement.
/// </summary>
internal static class CliUser
{
    public static string Name { get; } = $"{Environment.UserName}@{Environment.MachineName}";
}
