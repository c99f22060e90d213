using System.Globalization;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// The header and the first rows of a view's CSV source, read when the view is loaded, so an aggregation of a column
/// that holds text is a YAML error at the feature and not a failed run.
/// </summary>
internal sealed class CsvSample
{
    private const int Rows = 1000;
    private readonly List<List<string>> _rows = [];

    private readonly int _firstLine;

    private CsvSample(IReadOnlyList<string> names, bool header) => (Names, _firstLine) = (names, header ? 2 : 1);

    public IReadOnlyList<string> Names { get; }

    public static CsvSample? Read(string path, char separator, bool header, SourceEncoding encoding)
    {
        try
        {
            var (reader, _) = SourceText.Open(File.OpenRead(path), encoding);
            using (reader)
            {
                var first = reader.ReadLine();
                if (first is null)
                {
                    return null;
                }

                var fields = CsvHeader.Split(first.TrimStart('\uFEFF'), separator);
                var sample = new CsvSample(header ? fields.Select(f => f.Trim()).ToList() : fields.Select((_, i) => $"column_{i}").ToList(), header);
                if (!header)
                {
                    sample._rows.Add(fields);
                }

                while (sample._rows.Count < Rows && reader.ReadLine() is { } line)
                {
                    sample._rows.Add(CsvHeader.Split(line, separator));
                }

                return sample;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The first value of <paramref name="column"/> that is present and not a number, with its line.</summary>
    public (string Value, int Line)? FirstNonNumber(string column)
    {
        var index = Names.ToList().IndexOf(column);
        for (var i = 0; i < _rows.Count; i++)
        {
            var value = index < _rows[i].Count ? _rows[i][index].Trim() : "";
            if (value is not ("" or "?") && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return (Echo.Value(value, 40), i + _firstLine);
            }
        }

        return null;
    }
}
