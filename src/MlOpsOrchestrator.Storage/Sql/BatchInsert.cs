using System.Data;
using System.Data.Common;

namespace MlOpsOrchestrator.Storage.Sql;

/// <summary>
/// Appends a batch of rows to one table in one transaction, with one prepared <c>INSERT</c> reused for every row. The
/// whole batch is checked first: a batch holding one unwritable row is refused whole, nothing written.
/// </summary>
internal static class BatchInsert
{
    /// <param name="engine">The store's engine.</param>
    /// <param name="table">The table, as the engine names it.</param>
    /// <param name="columns">Column names with their parameter types; null: the engine's value decides (times).</param>
    /// <param name="rows">The batch.</param>
    /// <param name="what">The row's kind, for messages: <c>Prediction record</c>.</param>
    /// <param name="problem">What makes a row unwritable, or null.</param>
    /// <param name="bind">Sets the parameters (in <paramref name="columns"/> order) from a row.</param>
    /// <param name="argument">The caller's parameter name for the batch, for the exceptions.</param>
    /// <param name="ct">Cancels the write; a cancelled batch is rolled back whole.</param>
    public static async Task WriteAsync<T>(
        ISqlEngine engine, string table, IReadOnlyList<(string Name, DbType? Type)> columns, IReadOnlyList<T> rows,
        string what, Func<T, string?> problem, Action<T, DbParameter[]> bind, string argument, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows, argument);
        for (var i = 0; i < rows.Count; i++)
        {
            if (problem(rows[i]) is { } why)
            {
                throw new ArgumentException($"{what} {i} {why}; nothing of the batch was written.", argument);
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await engine.OpenAsync(ct);
        await using var transaction = await engine.BeginWriteAsync(connection, ct);
        await using var insert = connection.Command(
            $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select(c => "@" + c.Name))})",
            transaction);
        var parameters = columns.Select(c => Parameter(insert, "@" + c.Name, c.Type)).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            bind(rows[i], parameters);
            if (i == 0)
            {
                // Prepared once the first row has told the provider every parameter's type.
                await insert.PrepareAsync(ct);
            }

            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType? type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }
}
