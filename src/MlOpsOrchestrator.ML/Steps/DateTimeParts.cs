using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// Turns a datetime feature into three numbers: hour of day, day of week (0 = Sunday) and month (1-12). ML.NET has
/// no built-in transform for this, so it is a custom mapping saved in the model zip under <see cref="ContractName"/>;
/// whoever loads a model registers this assembly first (<see cref="ModelFile"/> does).
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class DateTimeParts : CustomMappingFactory<DateTimePartsInput, DateTimePartsOutput>
{
    public const string ContractName = "MlOpsOrchestrator.DateTimeParts.v1";

    /// <summary>The fixed column the mapping reads; the featurizer copies each datetime column here in turn.</summary>
    public const string InputColumn = "__datetime_in";

    /// <summary>The fixed column the mapping writes: a vector of three Singles.</summary>
    public const string OutputColumn = "__datetime_parts";

    public const int Size = 3;

    public static void Map(DateTimePartsInput input, DateTimePartsOutput output)
    {
        var value = input.Value;
        output.Parts = [value.Hour, (float)value.DayOfWeek, value.Month];
    }

    public override Action<DateTimePartsInput, DateTimePartsOutput> GetMapping() => Map;
}

internal sealed class DateTimePartsInput
{
    [ColumnName(DateTimeParts.InputColumn)]
    public DateTime Value { get; set; }
}

internal sealed class DateTimePartsOutput
{
    [ColumnName(DateTimeParts.OutputColumn)]
    [VectorType(DateTimeParts.Size)]
    public float[] Parts { get; set; } = new float[DateTimeParts.Size];
}
