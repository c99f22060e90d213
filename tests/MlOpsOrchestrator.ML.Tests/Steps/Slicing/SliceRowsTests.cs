using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.ML.Steps.Slicing;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps.Slicing;

[TestFixture]
public sealed class SliceRowsTests
{
    private static readonly SourceMark Mark = new(1, 1);

    public sealed class Row
    {
        [ColumnName("season")]
        public string Season { get; set; } = "";

        [ColumnName("temp")]
        public float Temp { get; set; }

        [ColumnName("count")]
        public float Count { get; set; }
    }

    [Test]
    public void Cut_ValuesAndBins_OneSlicePerValueAndIntervalWithMissingLastInValueOrder()
    {
        var ml = new MLContext(seed: 1);
        Row[] rows =
        [
            new() { Season = "winter", Temp = -3, Count = 1 },
            new() { Season = "summer", Temp = 25, Count = 2 },
            new() { Season = "", Temp = float.NaN, Count = 3 },
            new() { Season = "summer", Temp = 10, Count = 4 },
            new() { Season = "autumn", Temp = 9.5f, Count = 5 },
            new() { Season = "summer", Temp = 0, Count = 6 },
        ];
        var view = ml.Data.LoadFromEnumerable(rows);

        var slices = SliceRows.Cut(view, [new SliceSpec("season", null, Mark), new SliceSpec("temp", [0, 10], Mark)]);

        Assert.That(slices.Select(s => (s.Column, s.Slice, s.Rows)), Is.EqualTo(new[]
        {
            ("season", "season=autumn", 1), ("season", "season=summer", 3), ("season", "season=winter", 1), ("season", "season missing", 1),
            ("temp", "temp<0", 1), ("temp", "0<=temp<10", 2), ("temp", "temp>=10", 2), ("temp", "temp missing", 1),
        }));
        var counts = slices.Single(s => s.Slice == "0<=temp<10").View.GetColumn<float>("count").ToList();
        Assert.That(counts, Is.EqualTo(new[] { 5f, 6f }), "a slice holds its rows with every column");
    }

    [Test]
    public void Cut_ColumnNotInTheRows_ClearError()
    {
        var view = new MLContext(seed: 1).Data.LoadFromEnumerable(new[] { new Row() });

        Assert.That(() => SliceRows.Cut(view, [new SliceSpec("weather", null, Mark)]),
            Throws.TypeOf<MlOpsOrchestrator.ML.Steps.StepInputException>().With.Message.StartsWith("slice column 'weather' is not in the evaluation rows"));
    }
}
