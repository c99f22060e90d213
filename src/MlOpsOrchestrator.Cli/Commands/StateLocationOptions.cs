using System.CommandLine;
using MlOpsOrchestrator.Cli.Runtime;

namespace MlOpsOrchestrator.Cli.Commands;

/// <summary>The options that choose where state lives, shared by every command that reads or writes runs and models.</summary>
internal sealed class StateLocationOptions
{
    public Option<string?> Home { get; } = new("--home") { Description = "artifacts and the embedded database (default: MLOPS_HOME, else ./.mlops)" };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "an Npgsql connection string (default: MLOPS_POSTGRES); without it, embedded SQLite" };

    public Option<string?> DataRoot { get; } = CommonOptions.DataRoot();

    public void AddTo(Command command)
    {
        command.Options.Add(Home);
        command.Options.Add(Postgres);
        command.Options.Add(DataRoot);
    }

    public RuntimeSettings Resolve(ParseResult parse) =>
        RuntimeSettings.Resolve(parse.GetValue(Home), parse.GetValue(Postgres), parse.GetValue(DataRoot));
}
