using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.Bench;

/// <summary>The source readers the product registers: CSV files and PostgreSQL queries.</summary>
internal static class BenchSources
{
    public static SourceReaders Readers { get; } = new([new CsvSourceReader(), new PostgresSourceReader()]);
}
