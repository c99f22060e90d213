namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// Subscription customers (binary, label 'churned' as yes/no): tenure, charges, contract, support calls and the last
/// support note as text, with missing values. After the drift point a competitor's offer makes price matter more.
/// </summary>
public sealed class CustomerChurnGenerator : ISampleGenerator
{
    private static readonly string[] Contracts = ["monthly", "monthly", "monthly", "annual", "two_year"];
    private static readonly string[] Payments = ["card", "card", "bank_transfer", "invoice"];
    private static readonly string[] HappyNotes = ["thanks for the quick fix", "upgraded plan", "asked about invoices", "changed address", "no issues"];
    private static readonly string[] UnhappyNotes = ["outage again this week", "price too high", "slow support response", "considering cancelling", "billing error not fixed"];

    public string Name => "customer-churn";
    public string Description => "subscription customers (binary, label 'churned' yes/no; categorical, text, missing values, drift)";
    public string Header => "signup_ts,tenure_months,monthly_charges,contract,payment,support_calls,outages,last_note,churned";

    public IEnumerable<string> Rows(SampleSettings settings)
    {
        var random = new Random(settings.Seed);
        for (var i = 0; i < settings.Rows; i++)
        {
            var time = settings.Start + (settings.Step * i);
            var drifted = settings.DriftAt is { } drift && time >= drift;
            var contract = Csv.Pick(random, Contracts);
            var tenure = Math.Max(1, (int)Math.Round(Math.Abs(Csv.Gaussian(random, contract == "monthly" ? 14 : 30, 12))));
            var charges = Math.Round(Math.Clamp(Csv.Gaussian(random, 55, 22), 10, 140), 2);
            var calls = (int)Math.Max(0, Math.Round(Csv.Gaussian(random, 1.5, 1.6)));
            var outages = (int)Math.Max(0, Math.Round(Csv.Gaussian(random, 0.6, 1.0)));

            var logit = -1.2
                + (contract == "monthly" ? 1.1 : contract == "annual" ? -0.4 : -1.4)
                - (0.045 * tenure)
                + ((charges - 55) * (drifted ? 0.055 : 0.018))
                + (0.45 * calls)
                + (0.5 * outages);
            var churned = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            var unhappy = churned ? random.NextDouble() < 0.7 : random.NextDouble() < 0.15;
            var note = Csv.Pick(random, unhappy ? UnhappyNotes : HappyNotes);
            var chargesText = random.NextDouble() < settings.MissingFraction ? "" : Csv.Number(charges);
            yield return string.Join(',',
                Csv.Time(time), tenure, chargesText, contract, Csv.Pick(random, Payments), calls, outages, Csv.Text(note), churned ? "yes" : "no");
        }
    }
}
