namespace MlOpsOrchestrator.ML.Monitoring;

/// <summary>
/// The feature values of a monitoring window, as drift needs them: numbers for numeric features, counts per category
/// for categorical and boolean ones (in the profile's spelling: the text as read, <c>true</c>/<c>false</c> for
/// booleans). Missing values are not added.
/// </summary>
internal sealed class WindowSample
{
    private readonly Dictionary<string, List<double>> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _categories = new(StringComparer.Ordinal);

    /// <summary>Rows in the window.</summary>
    public int Rows { get; set; }

    /// <summary>Rows (or logged requests) left out because a value could not be read.</summary>
    public int LeftOut { get; set; }

    /// <summary>Where the rows came from, for messages: <c>bikes.csv from 2025-08-09 00:00 to 2025-08-23 00:00</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary>The newest timestamp in the data the window was cut from (windows of the pipeline's data only).</summary>
    public DateTime? Newest { get; set; }

    public void AddNumber(string feature, double value)
    {
        if (!_numbers.TryGetValue(feature, out var values))
        {
            _numbers[feature] = values = [];
        }

        values.Add(value);
    }

    public void AddCategory(string feature, string value)
    {
        if (!_categories.TryGetValue(feature, out var counts))
        {
            _categories[feature] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        counts[value] = counts.GetValueOrDefault(value) + 1;
    }

    public IReadOnlyCollection<double> Numbers(string feature) => _numbers.TryGetValue(feature, out var values) ? values : [];

    public IReadOnlyDictionary<string, int> Categories(string feature) =>
        _categories.TryGetValue(feature, out var counts) ? counts : new Dictionary<string, int>();
}
