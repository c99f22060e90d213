using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Tests.Steps.Support;

/// <summary>
/// Small, deterministic, easy problems for every task, with every column type the contract knows. Demand is linear
/// in the features (plus one per hour of <c>opened</c>); churn and team follow simple rules with a little noise.
/// </summary>
internal static class SyntheticData
{
    public static readonly string[] Segments = ["north", "south", "west"];
    public static readonly string[] Teams = ["alpha", "beta", "gamma"];
    private static readonly string[] CalmWords = ["thanks", "great", "fine", "happy", "ok"];
    private static readonly string[] AngryWords = ["refund", "cancel", "broken", "slow", "angry"];

    public static List<SyntheticRow> Rows(int count, int seed, double missingAmount = 0.05)
    {
        var random = new Random(seed);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = new List<SyntheticRow>(count);
        for (var i = 0; i < count; i++)
        {
            var amount = (float)(random.NextDouble() * 100);
            var visits = (float)random.Next(0, 21);
            var segment = Segments[random.Next(Segments.Length)];
            var member = random.NextDouble() < 0.5;
            var opened = start.AddHours(random.Next(0, 24 * 60));
            var angry = amount / 100 + (segment == "south" ? 0.4 : 0) - (member ? 0.4 : 0) + ((random.NextDouble() - 0.5) * 0.3) > 0.5;
            var words = angry ? AngryWords : CalmWords;
            var note = $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]}";
            var demand = (2 * amount) + (5 * visits) + SegmentEffect(segment) + (member ? 15 : 0) + opened.Hour + Noise(random, 5);
            var team = segment == "north" ? "alpha" : visits > 10 ? "beta" : "gamma";
            if (random.NextDouble() < 0.03)
            {
                team = Teams[random.Next(Teams.Length)];
            }

            rows.Add(new SyntheticRow
            {
                Amount = random.NextDouble() < missingAmount ? float.NaN : amount,
                Visits = visits,
                Segment = segment,
                Member = member,
                Note = note,
                Opened = opened,
                Ts = start.AddMinutes(i * 7),
                Demand = (float)demand,
                Churned = angry,
                Team = team,
            });
        }

        return rows;
    }

    /// <summary>The schema data_prep would write for these rows with <paramref name="task"/>'s label.</summary>
    public static DatasetSchema Schema(MlTask task, string? positive = null, IReadOnlyList<string>? classes = null)
    {
        var label = LabelOf(task);
        ColumnRole RoleOf(string name) => name == label ? ColumnRole.Label : ColumnRole.Ignored;
        return new DatasetSchema
        {
            Columns =
            [
                new DatasetColumn("amount", ColumnType.Float, ColumnRole.Feature, MissingPolicy.Mean),
                new DatasetColumn("visits", ColumnType.Int, ColumnRole.Feature, MissingPolicy.Fail),
                new DatasetColumn("segment", ColumnType.Categorical, ColumnRole.Feature, MissingPolicy.Fail),
                new DatasetColumn("member", ColumnType.Boolean, ColumnRole.Feature, MissingPolicy.Fail),
                new DatasetColumn("note", ColumnType.Text, ColumnRole.Feature, MissingPolicy.Fail),
                new DatasetColumn("opened", ColumnType.Datetime, ColumnRole.Feature, MissingPolicy.Fail),
                new DatasetColumn("ts", ColumnType.Datetime, ColumnRole.Timestamp, MissingPolicy.Fail),
                new DatasetColumn("demand", ColumnType.Float, RoleOf("demand"), MissingPolicy.Fail),
                new DatasetColumn("churned", ColumnType.Boolean, RoleOf("churned"), MissingPolicy.Fail),
                new DatasetColumn("team", ColumnType.Categorical, RoleOf("team"), MissingPolicy.Fail),
            ],
            Label = label,
            Timestamp = "ts",
            Positive = positive,
            Classes = classes ?? (task == MlTask.Multiclass ? Teams : null),
        };
    }

    public static string LabelOf(MlTask task) => task switch
    {
        MlTask.Binary => "churned",
        MlTask.Multiclass => "team",
        _ => "demand",
    };

    private static double SegmentEffect(string segment) => segment switch
    {
        "south" => 30,
        "west" => -20,
        _ => 0,
    };

    private static double Noise(Random random, double scale) =>
        scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
