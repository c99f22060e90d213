using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Storage.Sources;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>The source readers a host registers: CSV files and PostgreSQL queries.</summary>
public static class TestSources
{
    public static SourceReaders BuiltIn { get; } = new([new CsvSourceReader(), new PostgresSourceReader()]);
}
