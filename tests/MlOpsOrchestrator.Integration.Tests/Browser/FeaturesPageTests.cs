using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace MlOpsOrchestrator.Integration.Tests.Browser;

/// <summary>
/// The dashboard's Features page on a real <c>mlops serve</c> of samples/feature-store: the view with its features,
/// owner and the pipelines that use each feature, its freshness before and after a lookup materialized it, and the
/// lookup of one station's values as of a time, checked against a brute-force count over the trips file; over HTTP
/// and in Chromium (navigation link, form, values).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FeaturesPageTests
{
    private const string At = "2025-03-05T12:00:00Z";
    private const string Station = "st-01";

    private string _folder = null!;
    private ServeProcess _serve = null!;

    [OneTimeSetUp]
    public async Task StartServe()
    {
        _folder = Directory.CreateTempSubdirectory("mlops-featurespage-").FullName;
        var sample = RepositoryPaths.Combine("samples", "feature-store");
        foreach (var sub in new[] { "features", "data", "pipelines" })
        {
            Directory.CreateDirectory(Path.Combine(_folder, sub));
            foreach (var file in Directory.GetFiles(Path.Combine(sample, sub)))
            {
                File.Copy(file, Path.Combine(_folder, sub, Path.GetFileName(file)));
            }
        }

        // A second view over the same trips, which only the browser test looks up, so the HTTP test sees
        // station_activity unmaterialized whichever test runs first.
        var view = await File.ReadAllTextAsync(Path.Combine(_folder, "features", "station_activity.yaml"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "features", "station_lookup.yaml"), view.Replace("name: station_activity", "name: station_lookup", StringComparison.Ordinal));
        _serve = await ServeProcess.StartAsync(_folder, Path.Combine(_folder, "pipelines"));
    }

    [OneTimeTearDown]
    public async Task StopServe()
    {
        await _serve.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    [Test]
    public async Task Page_OverHttp_ViewsUsersFreshnessAndLookupAsOfATime()
    {
        var before = await PageAsync("/features");
        var activity = before[before.IndexOf("data-view=\"station_activity\"", StringComparison.Ordinal)..before.IndexOf("data-view=\"station_lookup\"", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Contain("data-view=\"station_activity\"").And.Contain("owner mobility-data"));
            Assert.That(before, Does.Contain("<tr data-feature=\"mean_minutes_7d\"><td>mean_minutes_7d</td><td>mean</td><td>minutes</td><td>7d</td>"));
            Assert.That(before, Does.Contain("<tr data-feature=\"riders_24h\"><td>riders_24h</td><td>distinct_count</td><td>rider</td><td>1d</td><td class=\"mlops-used-by\">rentals-calendar-and-day</td>"));
            Assert.That(before, Does.Contain("<td class=\"mlops-used-by\">rentals-calendar-and-day, rentals-next-hour</td>"), "trips_24h is used by both pipelines");
            Assert.That(activity, Does.Contain("not materialized yet"));
            Assert.That(before, Does.Match("<a href=\"[^\"]*/features\">\\s*Features\\s*</a>"), "the navigation links the page");
        });

        var lookup = await PageAsync($"/features?view=station_activity&entity={Station}&at={Uri.EscapeDataString(At)}");
        var after = await PageAsync("/features");

        var expected = BruteForce(DateTimeOffset.Parse(At, CultureInfo.InvariantCulture));
        foreach (var (feature, value) in expected)
        {
            Assert.That(lookup, Does.Contain($"<tr data-feature=\"{feature}\"><td>{feature}</td><td class=\"mlops-value\">{value.ToString("R", CultureInfo.InvariantCulture)}</td></tr>"), feature);
        }

        Assert.That(lookup, Does.Contain($"station_id = {Station} as of 2025-03-05 12:00:00Z"));
        var activityAfter = after[after.IndexOf("data-view=\"station_activity\"", StringComparison.Ordinal)..after.IndexOf("data-view=\"station_lookup\"", StringComparison.Ordinal)];
        Assert.That(activityAfter, Does.Match("materialized [0-9-]+ [0-9:]+Z, 27,000 events, source fingerprint <code>[0-9a-f]{12}</code>, current"));
    }

    [TestCase("view=nope&entity=st-01", 200, "unknown feature view 'nope'")]
    [TestCase("view=station_activity&entity=st-01&at=soon", 200, "'soon' is not a date and time")]
    [TestCase("view=station_activity&entity=", 200, "give the entity's key")]
    [TestCase("view=station_activity&entity=st%0001", 400, "'entity' in the query string")]
    public async Task Page_BadLookup_SaysWhat(string query, int status, string message)
    {
        using var response = await _serve.Http.GetAsync(_serve.Page($"/features?{query}"));

        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        Assert.That(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), Does.Contain(message));
    }

    [Test]
    public async Task Page_InChromium_FromTheMenuThroughTheLookupForm()
    {
        var executable = Chromium.Require();
        await using var chromium = await Chromium.LaunchAsync(executable);
        var page = await (await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } })).NewPageAsync();
        page.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);

        await page.GotoAsync(_serve.Page("/pipelines"));
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Features", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(_serve.Page("/features"));
        await Expect(page.Locator("div.mlops-feature-view[data-view='station_activity'] tr[data-feature='trips_1h'] td.mlops-used-by")).ToHaveTextAsync("rentals-next-hour");

        var form = page.Locator("form.mlops-feature-lookup");
        await form.Locator("select[name='view']").SelectOptionAsync("station_lookup");
        await form.Locator("input[name='entity']").FillAsync(Station);
        await form.Locator("input[name='at']").FillAsync(At);
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Look up" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("view=station_lookup&entity=st-01&at="));
        var expected = BruteForce(DateTimeOffset.Parse(At, CultureInfo.InvariantCulture));
        await Expect(page.Locator("table.mlops-feature-values tr[data-feature='trips_24h'] td.mlops-value"))
            .ToHaveTextAsync(expected["trips_24h"].ToString("R", CultureInfo.InvariantCulture));
        await Expect(page.Locator("form.mlops-feature-lookup input[name='entity']")).ToHaveValueAsync(Station);
    }

    private async Task<string> PageAsync(string path)
    {
        using var response = await _serve.Http.GetAsync(_serve.Page(path));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        return html;
    }

    /// <summary>trips_1h, trips_24h and last_bikes of <see cref="Station"/> at <paramref name="at"/>, counted from the trips file itself.</summary>
    private Dictionary<string, double> BruteForce(DateTimeOffset at)
    {
        var events = File.ReadLines(Path.Combine(_folder, "data", "station-trips.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(c => c[1] == Station)
            .Select(c => (Time: DateTimeOffset.Parse(c[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), Bikes: double.Parse(c[5], CultureInfo.InvariantCulture)))
            .Where(e => e.Time <= at)
            .ToList();
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["trips_1h"] = events.Count(e => e.Time > at.AddHours(-1)),
            ["trips_24h"] = events.Count(e => e.Time > at.AddHours(-24)),
            ["last_bikes"] = events.MaxBy(e => e.Time).Bikes,
        };
    }
}
