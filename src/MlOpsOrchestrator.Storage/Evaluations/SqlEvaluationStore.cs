using System.Data;
using System.Text;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Evaluations;

/// <summary>
/// Monitoring series on either engine. A batch is one transaction with one prepared <c>INSERT</c> reused for every
/// point. NaN is stored as NULL in both engines (SQLite has no NaN) and reads back as NaN; infinities are stored as
/// they are. Reads keep the newest <c>limit</c> points and return them oldest first, points of the same time in the
/// order they were appended. Series prefixes match case-sensitively and literally (<c>_</c> and <c>%</c> are not
/// wildcards), the same in both engines.
/// </summary>
internal sealed class SqlEvaluationStore(ISqlEngine engine) : IEvaluationStore
{
    private const string Columns = "pipeline, model, model_version, run_id, step_id, series, value, at";

    private readonly string _points = engine.Table("evaluation_points");

    private static readonly (string Name, DbType? Type)[] Inserted =
    [
        ("pipeline", DbType.String), ("model", DbType.String), ("model_version", DbType.Int32), ("run_id", DbType.String),
        ("step_id", DbType.String), ("series", DbType.String), ("value", DbType.Double),
        ("at", null), // timestamptz or text: the engine's value decides.
    ];

    public Task AppendAsync(IReadOnlyList<EvaluationPoint> points, CancellationToken ct) =>
        BatchInsert.WriteAsync(engine, _points, Inserted, points, "Evaluation point", Problem, (point, p) =>
        {
            p[0].Value = point.Pipeline;
            p[1].Value = point.Model;
            p[2].Value = point.ModelVersion is { } version ? version : DBNull.Value;
            p[3].Value = point.RunId;
            p[4].Value = point.StepId;
            p[5].Value = point.Series;
            p[6].Value = double.IsNaN(point.Value) ? DBNull.Value : point.Value;
            p[7].Value = engine.TimeValue(point.At);
        }, nameof(points), ct);

    public async Task<IReadOnlyList<EvaluationPoint>> ReadAsync(
        string pipeline, string? seriesPrefix, DateTimeOffset? since, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        var sql = new StringBuilder($"SELECT {Columns} FROM {_points} WHERE pipeline = @pipeline");
        if (!string.IsNullOrEmpty(seriesPrefix))
        {
            // LIKE narrows by the index (PostgreSQL: the column is COLLATE "C"); SQLite's LIKE ignores ASCII case, so
            // the exact comparison of the leading characters keeps both engines case-sensitive.
            sql.Append(" AND series LIKE @pattern ESCAPE '\\' AND substr(series, 1, length(@prefix)) = @prefix");
        }

        if (since is not null)
        {
            sql.Append(" AND at >= @since");
        }

        sql.Append(" ORDER BY at DESC, seq DESC LIMIT @limit");

        await using var connection = await engine.OpenAsync(ct);
        await using var command = connection.Command(sql.ToString()).With("@pipeline", pipeline).With("@limit", limit);
        if (!string.IsNullOrEmpty(seriesPrefix))
        {
            command.With("@pattern", LikePrefix(seriesPrefix)).With("@prefix", seriesPrefix);
        }

        if (since is not null)
        {
            command.With("@since", engine.TimeValue(since));
        }

        var newestFirst = new List<EvaluationPoint>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                newestFirst.Add(new EvaluationPoint(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetNullableInt32(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.IsDBNull(6) ? double.NaN : reader.GetDouble(6),
                    engine.ReadTime(reader, 7)));
            }
        }

        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>A LIKE pattern matching strings that start with <paramref name="prefix"/> literally (escape character <c>\</c>).</summary>
    internal static string LikePrefix(string prefix)
    {
        var pattern = new StringBuilder(prefix.Length + 8);
        foreach (var c in prefix)
        {
            if (c is '\\' or '%' or '_')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append('%').ToString();
    }

    /// <summary>What makes the row unwritable, or null.</summary>
    private static string? Problem(EvaluationPoint? point) => point switch
    {
        null => "is null",
        { Pipeline: var p } when string.IsNullOrWhiteSpace(p) => "has no pipeline",
        { Series: var s } when string.IsNullOrWhiteSpace(s) => "has no series",
        { Model: null } => "has a null model",
        { RunId: null } => "has a null run id",
        { StepId: null } => "has a null step id",
        _ => null,
    };
}
