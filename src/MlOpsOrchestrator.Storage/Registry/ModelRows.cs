using System.Data.Common;
using MlOpsOrchestrator.Storage.Sql;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Registry;

/// <summary>How <see cref="ModelVersion"/> and <see cref="AliasChange"/> map to rows.</summary>
internal static class ModelRows
{
    public const string VersionColumns =
        "name, version, run_id, step_id, pipeline_version, data_hash, metrics, artifact_path, properties, created_at";

    public const string VersionParameters =
        "@name, @version, @run_id, @step_id, @pipeline_version, @data_hash, @metrics, @artifact_path, @properties, @created_at";

    public const string HistoryColumns = "name, alias, version, previous_version, moved_by, reason, moved_at, traffic, route_key, removed";

    public static DbCommand Bind(this DbCommand command, ModelVersion model, ISqlEngine engine) =>
        command
            .With("@name", model.Name)
            .With("@version", model.Version)
            .With("@run_id", model.RunId)
            .With("@step_id", model.StepId)
            .With("@pipeline_version", model.PipelineVersion)
            .With("@data_hash", model.DataHash)
            .With("@metrics", JsonColumn.Write(model.Metrics ?? new Dictionary<string, double>()))
            .With("@artifact_path", model.ArtifactPath)
            .With("@properties", JsonColumn.Write(model.Properties ?? new Dictionary<string, string>()))
            .With("@created_at", engine.TimeValue(model.CreatedAt));

    public static ModelVersion ReadVersion(DbDataReader reader, ISqlEngine engine) => new()
    {
        Name = reader.GetString(0),
        Version = reader.GetInt(1),
        RunId = reader.GetString(2),
        StepId = reader.GetString(3),
        PipelineVersion = reader.GetString(4),
        DataHash = reader.GetString(5),
        Metrics = JsonColumn.Numbers(reader.GetString(6)),
        ArtifactPath = reader.GetString(7),
        Properties = JsonColumn.Strings(reader.GetString(8)),
        CreatedAt = engine.ReadTime(reader, 9),
    };

    public static AliasChange ReadChange(DbDataReader reader, ISqlEngine engine) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt(2),
        reader.GetNullableInt32(3),
        reader.GetString(4),
        reader.GetNullableString(5),
        engine.ReadTime(reader, 6),
        ReadRoute(reader, 7),
        Convert.ToBoolean(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The route in the columns <c>traffic, route_key</c> from <paramref name="ordinal"/>; null without a traffic share.</summary>
    public static AliasRoute? ReadRoute(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal)
            ? null
            : new AliasRoute(Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture), reader.GetNullableString(ordinal + 1));

    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
