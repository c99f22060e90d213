using System.CommandLine;
using MlOpsOrchestrator.Storage;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>
/// <c>mlops migrate-artifacts [--json]</c>: moves the artifact files of a PostgreSQL-mode home (written when a cluster
/// shared a home folder) into the database, so the nodes no longer need that folder. Safe to run again.
/// </summary>
internal static class MigrateArtifactsCommand
{
    public static Command Create(CliContext context)
    {
        var json = CommonOptions.Json();
        var storage = new StateLocationOptions();
        var command = new Command("migrate-artifacts", "copy the files of HOME/artifacts into PostgreSQL (idempotent; the files are kept)") { json };
        storage.AddTo(command);
        RuntimeAction.Set(command, context, storage, async (parse, runtime, ct) =>
        {
            if (runtime.Settings.Postgres is null)
            {
                await context.Error.WriteLineAsync("error: the embedded mode keeps artifacts as files already; migrate-artifacts copies them into PostgreSQL: pass --postgres or set MLOPS_POSTGRES");
                return ExitCodes.BadInput;
            }

            var report = await MlOpsStorage.ImportArtifactFolderAsync(runtime.Storage, runtime.Settings.Home, ct);
            if (parse.GetValue(json))
            {
                CliJson.Write(context.Out, report);
                return ExitCodes.Success;
            }

            foreach (var name in report.Imported)
            {
                await context.Out.WriteLineAsync($"imported {name}");
            }

            await context.Error.WriteLineAsync(
                $"{report.Imported.Count} artifacts copied from {report.Folder} into the database, {report.AlreadyStored} already there; " +
                "the files are kept: delete the folder once every node runs with PostgreSQL artifacts");
            return ExitCodes.Success;
        });
        return command;
    }
}
