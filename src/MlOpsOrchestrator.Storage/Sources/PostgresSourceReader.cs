using System.Globalization;
using System.Text;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using Npgsql;
using NpgsqlTypes;

namespace MlOpsOrchestrator.Storage.Sources;

/// <summary>
/// Reads <c>type: postgres</c> sources: runs the query once and spools the result to a local file, which is then
/// read like any source (same inference, validation and messages, and it can be read twice without running the query
/// twice). The query gets one parameter, <c>@watermark</c> (timestamptz), always bound, never spliced into the SQL:
/// the pipeline's watermark in incremental mode, otherwise <c>-infinity</c>, so <c>ts &gt; @watermark</c> selects
/// every row of a full run. Column names come from the result set; NULL becomes a missing value.
/// </summary>
public sealed class PostgresSourceReader : ISourceReader
{
    /// <summary>How messages name a postgres source.</summary>
    public const string QueryName = "the postgres query";

    private const int ProgressEvery = 100_000;

    public string Type => SourceType.Postgres;

    public SourceKeys Keys => SourceKeys.Postgres;

    public string DisplayName(SourceSpec source) => QueryName;

    public async Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = Path.Combine(Path.GetTempPath(), $"mlops-spool-{Guid.NewGuid():N}.bin");
        string? problem;
        try
        {
            problem = await SpoolAsync(request, path, ct);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        if (problem is null && PostgresSpool.Open(path, QueryName, out problem) is { } spool)
        {
            return SourceOpening.Opened(spool);
        }

        File.Delete(path);
        return SourceOpening.Failed(problem!);
    }

    /// <returns>The problem when the query could not run, else null.</returns>
    private static async Task<string?> SpoolAsync(SourceRequest request, string path, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(request.Source.Connection);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(request.Source.Query, connection);
            command.Parameters.Add(new NpgsqlParameter<DateTime>("watermark", NpgsqlDbType.TimestampTz)
            {
                // DateTime.MinValue is sent as -infinity (Npgsql's default infinity conversion); a host that turns
                // that conversion off sends 0001-01-01, which is still older than any row.
                TypedValue = request.Watermark?.UtcDateTime ?? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            await using var writer = new BinaryWriter(stream, new UTF8Encoding(false));
            writer.Write(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                writer.Write(reader.GetName(i));
            }

            var values = new object[reader.FieldCount];
            var rows = 0;
            while (await reader.ReadAsync(ct))
            {
                reader.GetValues(values);
                foreach (var value in values)
                {
                    writer.Write(Text(value));
                }

                if (++rows % ProgressEvery == 0)
                {
                    request.Progress(string.Create(CultureInfo.InvariantCulture, $"fetched {rows:N0} rows from {QueryName}"));
                }
            }

            return null;
        }
        catch (ArgumentException)
        {
            // The message could quote the connection string; it never leaves this method.
            return "the postgres connection string is not valid (check data.source.connection)";
        }
        catch (NpgsqlException e)
        {
            return $"{QueryName} failed: {e.Message}";
        }
    }

    /// <summary>A value as text, culture-invariant; timestamps as ISO 8601 UTC.</summary>
    private static string Text(object value) => value switch
    {
        DBNull or null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime { Kind: DateTimeKind.Local } local => Iso(local.ToUniversalTime()),
        DateTime time => Iso(time),
        DateTimeOffset offset => Iso(offset.UtcDateTime),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Iso(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
