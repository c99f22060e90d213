using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MlOpsOrchestrator.Scheduling.Quartz;

/// <summary>
/// The connections Quartz opens on the embedded store: Microsoft.Data.Sqlite's, each set to <c>synchronous = NORMAL</c>
/// when it opens. In WAL mode that syncs the log at checkpoints instead of at every commit (a fire commits three
/// times), and the file stays consistent whatever happens; what a power cut (not a crash of the process) can cost is
/// the last few commits, i.e. a tick delivered again, which starts no second run (the fire time is the run's
/// idempotency key).
/// </summary>
internal sealed class SqliteScheduleConnections : DbProviderFactory
{
    public static readonly SqliteScheduleConnections Instance = new();

    private SqliteScheduleConnections()
    {
    }

    public override DbConnection CreateConnection() => new TunedConnection();

    public override DbCommand CreateCommand() => SqliteFactory.Instance.CreateCommand();

    public override DbParameter CreateParameter() => SqliteFactory.Instance.CreateParameter();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => SqliteFactory.Instance.CreateConnectionStringBuilder();

    private sealed class TunedConnection : SqliteConnection
    {
        public override void Open()
        {
            base.Open();
            using var command = CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
        }

        public override async Task OpenAsync(CancellationToken cancellationToken)
        {
            await base.OpenAsync(cancellationToken);
            await using var command = CreateCommand();
            command.CommandText = "PRAGMA synchronous = NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
