using System.Globalization;
using System.Text;

namespace MlOpsOrchestrator.Cli.Tests.Runs;

/// <summary>
/// A small, deterministic customer export (the shape of a nightly CSV dump) and the ways real exports break. Rows are
/// numbered as the product numbers them: row 1 is the first data row, on line 2 under the header.
/// </summary>
internal static class ChurnExport
{
    public const string Header = "signup_ts,plan,monthly_charges,support_calls,churned";
    public const int Rows = 300;

    public const string Pipeline = """
        # A nightly customer export; the deploy step registers 'churn-export' in the registry.
        version: 1
        name: churn-export
        data:
          source: { type: csv, path: exports/customers.csv }
          timestamp: signup_ts
          label: churned
          schema:
            signup_ts: { type: datetime }
            plan: { type: categorical }
            monthly_charges: { type: float }
            support_calls: { type: int }
            churned: { type: categorical, positive: "yes" }
        steps:
          - { id: prep, kind: data_prep, checks: { min_rows: 100 } }
          - { id: train, kind: train, needs: prep, task: binary, trainer: lbfgs_logistic_regression }
          - id: evaluate
            kind: evaluate
            needs: train
            gates: { auc: { min: 0.55 } }
          - { id: deploy, kind: deploy, needs: evaluate }

        """;

    /// <summary>The same pipeline, scored on a separate hold-out export (<c>test_source</c>) instead of a split.</summary>
    public static string PipelineWithHoldout => Pipeline.Replace(
        "  source: { type: csv, path: exports/customers.csv }\n",
        "  source: { type: csv, path: exports/customers.csv }\n  test_source: { type: csv, path: exports/holdout.csv }\n",
        StringComparison.Ordinal);

    /// <summary>The fields of every data row of a good export: churn rises with support calls and on the basic plan.</summary>
    public static List<string[]> GoodRows(int rows = Rows, int seed = 11)
    {
        var random = new Random(seed);
        var plans = new[] { "basic", "plus", "pro" };
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var result = new List<string[]>(rows);
        for (var i = 0; i < rows; i++)
        {
            var plan = plans[random.Next(plans.Length)];
            var charges = Math.Round(10 + (random.NextDouble() * 110), 2);
            var calls = random.Next(0, 7);
            var risk = 0.08 + (0.11 * calls) + (plan == "basic" ? 0.2 : 0);
            result.Add(
            [
                start.AddHours(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                plan,
                charges.ToString(CultureInfo.InvariantCulture),
                calls.ToString(CultureInfo.InvariantCulture),
                random.NextDouble() < risk ? "yes" : "no",
            ]);
        }

        return result;
    }

    public static string Csv(IEnumerable<string[]> rows, string header = Header)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row)).Append('\n');
        }

        return text.ToString();
    }

    public static string Good() => Csv(GoodRows());

    /// <summary>The good export with one value replaced: <paramref name="row"/> is 1-based, as in the product's messages.</summary>
    public static string WithValue(int row, int column, string value)
    {
        var rows = GoodRows();
        rows[row - 1][column] = value;
        return Csv(rows);
    }

    /// <summary>The good export with one column's values all replaced.</summary>
    public static string WithColumn(int column, string value) => Csv(GoodRows().Select(r => { r[column] = value; return r; }));

    /// <summary>The good export without one column (header and values).</summary>
    public static string Without(int column) => Csv(
        GoodRows().Select(r => r.Where((_, i) => i != column).ToArray()),
        string.Join(',', Header.Split(',').Where((_, i) => i != column)));
}
