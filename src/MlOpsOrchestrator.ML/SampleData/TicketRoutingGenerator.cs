namespace MlOpsOrchestrator.ML.SampleData;

/// <summary>
/// Support tickets routed to a team (multiclass, label 'team'): the subject text carries most of the signal, the
/// product and the customer's tier the rest. After the drift point a new product line sends its tickets to 'platform'.
/// </summary>
public sealed class TicketRoutingGenerator : ISampleGenerator
{
    private static readonly string[] Teams = ["billing", "network", "account", "platform"];
    private static readonly string[] Products = ["mobile", "fiber", "tv", "cloud"];
    private static readonly string[] Tiers = ["basic", "plus", "business"];

    private static readonly Dictionary<string, string[]> Phrases = new()
    {
        ["billing"] = ["charged twice", "refund request", "invoice is wrong", "payment failed", "price increase question"],
        ["network"] = ["no signal at home", "connection drops", "slow speed in evenings", "router keeps restarting", "packet loss"],
        ["account"] = ["cannot log in", "change my email", "reset password", "close my account", "update address"],
        ["platform"] = ["api returns 500", "dashboard not loading", "deployment stuck", "storage quota exceeded", "webhook not firing"],
    };

    private static readonly string[] Filler = ["please help", "urgent", "since yesterday", "again", "thanks", ""];

    public string Name => "ticket-routing";
    public string Description => "support tickets (multiclass, label 'team'; text subject, categorical product and tier, drift)";
    public string Header => "created_ts,product,tier,attachments,subject,team";

    public IEnumerable<string> Rows(SampleSettings settings)
    {
        var random = new Random(settings.Seed);
        for (var i = 0; i < settings.Rows; i++)
        {
            var time = settings.Start + (settings.Step * i);
            var drifted = settings.DriftAt is { } drift && time >= drift;
            var product = drifted && random.NextDouble() < 0.35 ? "cloud" : Csv.Pick(random, Products);
            var team = product == "cloud" && random.NextDouble() < (drifted ? 0.8 : 0.5) ? "platform" : Csv.Pick(random, Teams[..3]);
            var phraseTeam = random.NextDouble() < 0.85 ? team : Csv.Pick(random, Teams);
            var subject = $"{Csv.Pick(random, Phrases[phraseTeam])} {Csv.Pick(random, Filler)}".Trim();
            var attachments = (int)Math.Max(0, Math.Round(Csv.Gaussian(random, team == "platform" ? 2 : 0.5, 1)));
            yield return string.Join(',', Csv.Time(time), product, Csv.Pick(random, Tiers), attachments, Csv.Text(subject), team);
        }
    }
}
