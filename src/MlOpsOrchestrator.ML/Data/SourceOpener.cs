using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Data;

/// <summary>Turns a <c>source</c> or <c>test_source</c> into a readable <see cref="CsvFile"/>: the file itself, or a spool of the query result.</summary>
internal static class SourceOpener
{
    /// <summary>
    /// Opens <paramref name="source"/>, or returns the problem that prevented it. A query's spool file is added to
    /// <paramref name="temporaries"/>, which the caller deletes when the step ends.
    /// </summary>
    public static async Task<(CsvFile? File, string? Problem)> OpenAsync(
        SourceSpec source, DataSpec data, DateTimeOffset? watermark, List<string> temporaries, Action<string> progress, CancellationToken ct)
    {
        var schemaNames = data.Schema.Select(c => c.Name).ToList();
        if (source.Type == SourceType.Postgres)
        {
            var spool = Path.Combine(Path.GetTempPath(), $"mlops-spool-{Guid.NewGuid():N}.csv");
            temporaries.Add(spool);
            var failed = await PostgresSpooler.SpoolAsync(source, watermark, spool, progress, ct);
            return failed is null
                ? CsvFile.Open(spool, PostgresSpooler.DisplayName, ',', header: true, schemaNames, hasLines: false)
                : (null, failed);
        }

        var name = Path.GetFileName(source.Path!);
        try
        {
            return CsvFile.Open(source.Path!, name, source.Separator, source.Header, schemaNames, encoding: source.Encoding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read {name}: {e.Message}");
        }
    }
}
