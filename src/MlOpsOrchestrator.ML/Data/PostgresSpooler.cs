using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data;

/// <summary>
/// Runs a <c>postgres</c> source's query and spools the result to a local CSV file, which is then read exactly like
/// a <c>csv</c> source (same inference, validation and messages, and the file can be read twice without running the
/// query twice). The query gets one parameter, <c>@watermark</c> (timestamptz), always bound, never spliced into the
/// SQL: the pipeline's watermark in incremental mode, otherwise <c>-infinity</c>, so <c>ts &gt; @watermark</c>
/// selects every row of a full run. Column names come from the result set; NULL becomes a missing value.
/// </summary>
internal static class PostgresSpooler
{
    public const string DisplayName = "the postgres query";

    /// <returns>The problem when the query could not run, else null.</returns>
    public static async Task<string?> SpoolAsync(SourceSpec source, DateTimeOffset? watermark, string path, Action<string> progress, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(source.Connection);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(source.Query, connection);
            command.Parameters.Add(new NpgsqlParameter<DateTime>("watermark", NpgsqlDbType.TimestampTz)
            {
                // DateTime.MinValue is sent as -infinity (Npgsql's default infinity conversion); a host that turns
                // that conversion off sends 0001-01-01, which is still older than any row.
                TypedValue = watermark?.UtcDateTime ?? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
            var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            await writer.WriteLineAsync(string.Join(',', names.Select(Quote)));
            var values = new object[reader.FieldCount];
            var rows = 0;
            var line = new StringBuilder();
            while (await reader.ReadAsync(ct))
            {
                reader.GetValues(values);
                line.Clear();
                for (var i = 0; i < values.Length; i++)
                {
                    line.Append(i > 0 ? "," : "").Append(Quote(Text(values[i])));
                }

                await writer.WriteLineAsync(line, ct);
                if (++rows % 100_000 == 0)
                {
                    progress(string.Create(CultureInfo.InvariantCulture, $"fetched {rows:N0} rows from {DisplayName}"));
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
            return $"{DisplayName} failed: {e.Message}";
        }
    }

    /// <summary>A value as CSV text, culture-invariant; timestamps as ISO 8601 UTC.</summary>
    private static string Text(object value) => value switch
    {
        DBNull or null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime { Kind: DateTimeKind.Local } local => ValueText.Iso(local.ToUniversalTime()),
        DateTime time => ValueText.Iso(time),
        DateTimeOffset offset => ValueText.Iso(offset.UtcDateTime),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;
}
